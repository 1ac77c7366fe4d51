import { describe, expect, it } from 'vitest';
import { historySecretCommand } from '../../../src/commands/history.js';
import { rollbackPinnedCommand, rollbackSecretCommand } from '../../../src/commands/rollback.js';
import { UsageError } from '../../../src/errors.js';

const ID = '3f0c9d1e-5a4b-4c2d-9e8f-7a6b5c4d3e2f';

describe('history and rollback options', () => {
  it('history secret: the key, -p/-d, --who', () => {
    expect(historySecretCommand.build(['K'], { project: 'p', who: true })).toEqual({ key: 'K', project: 'p', domain: undefined, who: true });
    expect(historySecretCommand.build(['K'], {}).who).toBe(false);
  });

  it('rollback secret: exactly one of --previous and --to, a --to that can be a version id', () => {
    expect(rollbackSecretCommand.build(['K'], { previous: true })).toMatchObject({ key: 'K', target: { previous: true }, dryRun: false });
    expect(rollbackSecretCommand.build(['K'], { to: ID, dryRun: true })).toMatchObject({ target: { versionId: ID }, dryRun: true });
    expect(() => rollbackSecretCommand.build(['K'], {})).toThrow(/either --previous or --to/);
    expect(() => rollbackSecretCommand.build(['K'], { previous: true, to: ID })).toThrow(/--previous and --to cannot be combined/);
    expect(() => rollbackSecretCommand.build(['K'], { to: 'v1' })).toThrow(UsageError);
    expect(() => rollbackSecretCommand.build(['K'], { to: 'v1' })).toThrow(/is not a version id/);
  });

  it('rollback --pinned FILE: no other word; without --pinned, a resource is needed', () => {
    expect(rollbackPinnedCommand.build([], { pinned: 'r.pin.json', dryRun: true })).toEqual({ file: 'r.pin.json', dryRun: true });
    expect(() => rollbackPinnedCommand.build([], {})).toThrow(/needs a resource \(secret KEY\) or --pinned FILE/);
    expect(() => rollbackPinnedCommand.build(['secrets'], {})).toThrow(/unknown resource 'secrets' for rollback/);
    expect(() => rollbackPinnedCommand.build(['--previus'], { pinned: 'r' })).toThrow(/unknown option '--previus' for rollback/);
  });
});

import { describe, expect, it } from 'vitest';
import { buildHistoryOptions } from '../../../src/commands/history.js';
import { buildRollbackPinnedOptions, buildRollbackSecretOptions } from '../../../src/commands/rollback.js';
import { UsageError } from '../../../src/errors.js';

const ID = '3f0c9d1e-5a4b-4c2d-9e8f-7a6b5c4d3e2f';

describe('history and rollback options', () => {
  it('history secret: the key, -p/-d, --who', () => {
    expect(buildHistoryOptions(['K'], { project: 'p', who: true })).toEqual({ key: 'K', project: 'p', domain: undefined, who: true });
    expect(buildHistoryOptions(['K'], {}).who).toBe(false);
  });

  it('rollback secret: exactly one of --previous and --to, a --to that can be a version id', () => {
    expect(buildRollbackSecretOptions(['K'], { previous: true })).toMatchObject({ key: 'K', target: { previous: true }, dryRun: false });
    expect(buildRollbackSecretOptions(['K'], { to: ID, dryRun: true })).toMatchObject({ target: { versionId: ID }, dryRun: true });
    expect(() => buildRollbackSecretOptions(['K'], {})).toThrow(/either --previous or --to/);
    expect(() => buildRollbackSecretOptions(['K'], { previous: true, to: ID })).toThrow(/either --previous or --to/);
    expect(() => buildRollbackSecretOptions(['K'], { to: 'v1' })).toThrow(UsageError);
    expect(() => buildRollbackSecretOptions(['K'], { to: 'v1' })).toThrow(/is not a version id/);
  });

  it('rollback --pinned FILE: no other word; without --pinned, a resource is needed', () => {
    expect(buildRollbackPinnedOptions([], { pinned: 'r.pin.json', dryRun: true })).toEqual({ file: 'r.pin.json', dryRun: true });
    expect(() => buildRollbackPinnedOptions([], {})).toThrow(/needs a resource \(secret KEY\) or --pinned FILE/);
    expect(() => buildRollbackPinnedOptions(['secrets'], {})).toThrow(/unknown resource 'secrets' for rollback/);
    expect(() => buildRollbackPinnedOptions(['--previus'], { pinned: 'r' })).toThrow(/unknown option '--previus' for rollback/);
  });
});

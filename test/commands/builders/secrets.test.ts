import { describe, expect, it } from 'vitest';
import { createSecretCommand, parseTags } from '../../../src/commands/create-secret.js';
import { deleteSecretCommand } from '../../../src/commands/delete-secret.js';
import { getSecretCommand } from '../../../src/commands/get-secret.js';
import { resolveCommand } from '../../../src/commands/resolve.js';
import { updateSecretCommand } from '../../../src/commands/update-secret.js';
import { UsageError } from '../../../src/errors.js';

// argv (as commander hands it over) -> typed, validated options; behaviour is tested in test/commands.
describe('option builders', () => {
  it('create: tags parsed, reserved tag keys refused', () => {
    const o = createSecretCommand.build(['K', 'v'], { project: 'p', tag: ['team=a', 'note=x=y'], replicaRegion: ['eu-west-1'] });
    expect(o).toMatchObject({ key: 'K', value: 'v', project: 'p', tags: { team: 'a', note: 'x=y' }, replicaRegions: ['eu-west-1'] });
    expect(() => parseTags(['novalue'])).toThrow(/invalid --tag "novalue"/);
    expect(() => parseTags(['scoped:org=x'])).toThrow(UsageError);
    expect(() => parseTags(['AWS:x=y'])).toThrow(/reserved/);
  });

  it('options are typed from the definitions: an unknown or renamed flag does not compile', () => {
    // @ts-expect-error -- `fromFiel` is not an option of create secret (the type check fails without this line)
    expect(createSecretCommand.build(['K'], { fromFiel: 'x' })).toMatchObject({ key: 'K', fromFile: undefined });
    // @ts-expect-error -- --recovery-days arrives as a string, as typed
    expect(() => deleteSecretCommand.build(['K'], { recoveryDays: 7 })).not.toThrow(/not both/);
  });

  it('update: --no-value needs --description and excludes a value', () => {
    expect(updateSecretCommand.build(['K'], { value: false, description: 'd' })).toMatchObject({ descriptionOnly: true });
    expect(() => updateSecretCommand.build(['K'], { value: false })).toThrow(/needs --description/);
    expect(() => updateSecretCommand.build(['K', 'v'], { value: false, description: 'd' })).toThrow(/cannot be combined/);
  });

  it.each<[string, string[], Record<string, unknown>, RegExp]>([
    ['--reveal without KEY', [], { reveal: true }, /--reveal needs a KEY/],
    ['--versions without KEY', [], { versions: true }, /--versions needs a KEY/],
    ['--all with KEY', ['K'], { all: true }, /takes no KEY/],
    ['--all with a scope', [], { all: true, project: 'p' }, /drop --project/],
    ['--version-stage without --reveal', ['K'], { versionStage: 'AWSPREVIOUS' }, /add --reveal/],
    ['--reveal with --versions', ['K'], { reveal: true, versions: true }, /either --reveal or --versions/],
  ])('get: %s is a usage error', (_label, args, opts, message) => {
    expect(() => getSecretCommand.build(args, opts)).toThrow(UsageError);
    expect(() => getSecretCommand.build(args, opts)).toThrow(message);
  });

  it('get: the hint for a missing KEY repeats the flag given', () => {
    const err = (() => {
      try {
        getSecretCommand.build([], { versions: true });
      } catch (e) {
        return e as UsageError;
      }
      throw new Error('no error');
    })();
    expect(err.hint).toBe('e.g. scoped get secret DB_PASSWORD --versions');
  });

  it('delete: recovery window 7..30, or --force, not both', () => {
    expect(deleteSecretCommand.build(['K'], {})).toMatchObject({ force: false, recoveryDays: 30 });
    expect(deleteSecretCommand.build(['K'], { recoveryDays: '7' })).toMatchObject({ recoveryDays: 7 });
    expect(deleteSecretCommand.build(['K'], { force: true })).toMatchObject({ force: true });
    for (const days of ['6', '31', '7.5', 'ten']) expect(() => deleteSecretCommand.build(['K'], { recoveryDays: days })).toThrow(/7 to 30/);
    expect(() => deleteSecretCommand.build(['K'], { force: true, recoveryDays: '7' })).toThrow(/not both/);
  });

  it('resolve: keys validated; --reveal takes exactly one', () => {
    expect(resolveCommand.build(['A', 'B'], { explain: true })).toMatchObject({ keys: ['A', 'B'], explain: true });
    expect(() => resolveCommand.build(['bad-key'], {})).toThrow(/invalid key "bad-key"/);
    expect(() => resolveCommand.build(['A', 'B'], { reveal: true })).toThrow(/exactly one KEY/);
    expect(() => resolveCommand.build(['A'], { reveal: true, explain: true })).toThrow(/either --reveal or --explain/);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { suggestOption } from '../../src/cli/suggest.js';
import { sandbox, type Sandbox } from '../helpers/io.js';

// A mistyped option after a command is not told "did you mean --version?" (review s28, finding 9):
// --version prints the version and exits, which is not what `history secret K --versions` was after.
// On a line with no command it is still offered (`scoped --versoin`).
let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.cleanup());

describe('suggestOption', () => {
  it('leaves --version out when the line names a command, offers it when not', () => {
    expect(suggestOption('--versions', ['--org', '--version'], true)).toEqual([]);
    expect(suggestOption('--versio', ['--org', '--version'], true)).toEqual([]);
    expect(suggestOption('--versions', ['--org', '--version'])).toEqual(['--version']);
    // The command's own close option still wins, now alone.
    expect(suggestOption('--versoin', ['--versions', '--version'], true)).toEqual(['--versions']);
  });
});

describe('through main', () => {
  it('history secret K --versions: no suggestion, where to look', async () => {
    expect(await sb.run(['history', 'secret', 'K', '--versions'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: "scoped: unknown option '--versions' (see: scoped history secret --help)\n",
    });
  });

  it('other commands and a verb alone: --version never offered', async () => {
    for (const argv of [
      ['resolve', '--versions'],
      ['history', 'secret', 'K', '--verison'],
      ['copy', '--versoin'],
    ]) {
      const r = await sb.run(argv);
      expect(r).toMatchObject({ code: 2, stdout: '' });
      expect(r.stderr.split('\n')).toHaveLength(2);
      expect(r.stderr).not.toContain('--version?');
    }
    expect((await sb.run(['get', 'secret', 'K', '--versoin'])).stderr).toBe("scoped: unknown option '--versoin' -- did you mean --versions?\n");
  });

  it('kept: --version for a line with no command, --help and the options a command has', async () => {
    expect((await sb.run(['--versoin'])).stderr).toBe("scoped: unknown option '--versoin' -- did you mean --version?\n");
    expect((await sb.run(['get', 'secret', '--hepl'])).stderr).toBe("scoped: unknown option '--hepl' -- did you mean --help?\n");
    expect((await sb.run(['resolve', '--projetc', 'x'])).stderr).toBe("scoped: unknown option '--projetc' -- did you mean --project?\n");
    expect((await sb.run(['reslove'])).stderr).toBe("scoped: unknown command 'reslove' -- did you mean resolve?\n");
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';

// Global options but no command (review s28, finding 5): one line saying what is missing and where to look,
// exit 2, stdout empty; it was the whole top-level help (143 lines) on stderr. `scoped` alone still prints
// the help on stdout and exits 0. The built binary: test/e2e/no-command-one-line.test.ts.
const LINE = 'scoped: no command given; see: scoped --help\n';
const LINES: string[][] = [['-q'], ['--org', 'acme'], ['--'], ['-y'], ['--no-color'], ['-o', 'json'], ['--org=acme', '--region', 'eu-west-1', '--'], ['--cache']];

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox();
});
afterEach(() => sb.cleanup());

describe('options but no command', () => {
  it.each(LINES.map((l) => [l.join(' '), l]))('scoped %s: one line, exit 2, stdout empty', async (_, argv) => {
    expect(await sb.run(argv as string[])).toMatchObject({ code: 2, stdout: '', stderr: LINE });
  });

  it('--debug: the same line first (a stack trace follows, as for any error with --debug)', async () => {
    const r = await sb.run(['--debug']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr.startsWith(LINE)).toBe(true);
    expect(r.stderr).not.toContain('Usage:');
  });

  it('what is kept: scoped alone and --help print the help on stdout (exit 0); a bad option value or an unknown command is named', async () => {
    for (const argv of [[], ['--help'], ['-q', '--help']]) {
      const r = await sb.run(argv);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toMatch(/^Usage: scoped <command> \[options\]\n/);
    }
    expect((await sb.run(['-o', 'bogus'])).stderr).toMatch(/^scoped: option '-o, --output <format>' argument 'bogus' is invalid/);
    expect((await sb.run(['--org'])).stderr).toMatch(/^scoped: option '--org <org>' argument missing/);
    expect(await sb.run(['--org', 'acme', 'bogus'])).toMatchObject({ code: 2, stdout: '', stderr: "scoped: unknown command 'bogus' (see: scoped --help)\n" });
    expect(await sb.run(['get'])).toMatchObject({ code: 2, stdout: '', stderr: 'scoped: get needs a resource: secret; see: scoped get --help\n' });
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import type { CommandUnknownOpts, Option } from '@commander-js/extra-typings';
import { fullProgram } from '../../../src/cli/program.js';
import { isRepeatable, takesValue } from '../../../src/commands/options.js';
import { suggestOption } from '../../../src/cli/suggest.js';
import { sandbox, testIO } from '../../helpers/io.js';

/** The whole command tree (every command module loaded). */
const fullTree = (await fullProgram(testIO(), '0')).root;

/** Unknown flags and words get a did-you-mean; a repeated value is refused the same way everywhere (issue 18). */

const sb = sandbox();
afterAll(() => sb.cleanup());

describe('did you mean', () => {
  it.each([
    [['copy', 'secret', 'A', '--too', 'x/_'], "scoped: unknown option '--too' -- did you mean --to?\n"],
    [['copy', '--too', 'x/_'], "scoped: unknown option '--too' for copy -- did you mean copy secret --to?\n"],
    [['copy', '--to', 'x/_', 'A'], 'scoped: copy needs a resource before --to -- did you mean copy secret --to?\n'],
    [['copy', 'secrets', 'A', '--to', 'x/_'], "scoped: unknown resource 'secrets' for copy -- did you mean secret?\n"],
    [['delete', 'secrte', 'A', '--yes'], "scoped: unknown resource 'secrte' for delete -- did you mean secret?\n"],
    [['config', '--orgg', 'x', 'show'], "scoped: unknown option '--orgg' -- did you mean --org?\n"],
    [['--orgg', 'x', 'get', 'secret'], "scoped: unknown option '--orgg' -- did you mean --org?\n"],
    [['check', '--deploy', 'a/b'], "scoped: unknown option '--deploy' -- did you mean --deployment?\n"],
    [['check', '--dep', 'a/b'], "scoped: unknown option '--dep' -- did you mean --deployment?\n"],
    [['run', '--onl', 'A', '--', 'true'], "scoped: unknown option '--onl' -- did you mean --only?\n"],
    [['export', '--exclud', 'A'], "scoped: unknown option '--exclud' -- did you mean --exclude?\n"],
    [['get', 'secret', '--endpoint', 'x'], "scoped: unknown option '--endpoint' -- did you mean --endpoint-url?\n"],
  ])('%j', async (argv, stderr) => {
    expect(await sb.run(argv)).toMatchObject({ code: 2, stdout: '', stderr });
  });

  it('a global option on a verb is still taken', async () => {
    expect(await sb.run(['get', '--org', 'other', 'secret', 'NOPE'])).toMatchObject({
      code: 3,
      stderr: 'scoped: no secret NOPE at org other; list this scope with: scoped get secret --org other\n',
    });
  });

  it('nothing close: where to look, still one line', async () => {
    expect(await sb.run(['copy', '--zzzzz'])).toMatchObject({ code: 2, stdout: '', stderr: "scoped: unknown option '--zzzzz' for copy; see: scoped copy --help\n" });
    expect(await sb.run(['check', '--zzzzz'])).toMatchObject({ code: 2, stderr: "scoped: unknown option '--zzzzz' (see: scoped check --help)\n" });
  });

  it("a bad value for a global flag points at the help of the command the line names, not the root's", async () => {
    const bad = "scoped: option '-o, --output <format>' argument 'bogus' is invalid. Allowed choices are table, json, yaml, markdown.";
    expect(await sb.run(['resolve', '-p', 'p', '-d', 'd', '-o', 'bogus'])).toMatchObject({ code: 2, stdout: '', stderr: `${bad} (see: scoped resolve --help)\n` });
    // Before the command, after a global flag's value that is also a command's name, or inline.
    expect((await sb.run(['-o', 'bogus', 'get', 'secret', 'A'])).stderr).toBe(`${bad} (see: scoped get secret --help)\n`);
    expect((await sb.run(['--org', 'resolve', 'get', 'secret', 'A', '-o', 'bogus'])).stderr).toBe(`${bad} (see: scoped get secret --help)\n`);
    expect((await sb.run(['--org=x', 'get', 'secret', 'A', '--output=bogus'])).stderr).toBe(`${bad} (see: scoped get secret --help)\n`);
    // No command named: the root's.
    expect((await sb.run(['-o', 'bogus'])).stderr).toBe(`${bad} (see: scoped --help)\n`);
  });

  it("a verb takes any words, its resources still do not (a subcommand copies its parent's settings)", async () => {
    expect(await sb.run(['create', 'secret', 'A', 'B', 'C'], { stdin: 'v' })).toMatchObject({ code: 2, stdout: '' });
    expect((await sb.run(['create', 'secret', 'A', '--bogus'], { stdin: 'v' })).stderr).toBe("scoped: unknown option '--bogus' (see: scoped create secret --help)\n");
    expect((await sb.run(['delete', 'secret', 'A', 'B', '--yes'])).code).toBe(2);
    expect((await sb.run(['get', 'secret'])).code).toBe(0);
  });

  it('copy without --to: said after a mistyped flag, not before it', async () => {
    expect((await sb.run(['copy', 'secret', 'A'])).stderr).toBe('scoped: copy needs --to; name the target scope: --to PROJECT/DOMAIN, PROJECT/_, _/DOMAIN or _/_\n');
  });

  it('suggestOption: a beginning, else the closest; a short beginning is not enough', () => {
    expect(suggestOption('--deploy', ['--deployment', '--require'])).toEqual(['--deployment']);
    expect(suggestOption('--too', ['--to', '--all'])).toEqual(['--to']);
    expect(suggestOption('--d', ['--deployment', '--debug'])).toEqual([]);
  });
});

describe('check takes -p/-d like every deployment command', () => {
  it('-p P -d D checks that deployment', async () => {
    expect((await sb.run(['create', 'secret', 'DB_URL', '-p', 'billing', '-d', 'prod'], { stdin: 'postgres://x' })).code).toBe(0);
    const ok = await sb.run(['check', '-p', 'billing', '-d', 'prod', '--require', 'DB_URL']);
    expect(ok).toMatchObject({ code: 0, stderr: '✓ 1 deployment resolves all 1 required key\n' });
    const missing = await sb.run(['check', '-p', 'billing', '-d', 'dev', '--require', 'DB_URL']);
    expect(missing.code).toBe(3);
    expect(missing.stdout).toBe('billing/dev\tDB_URL\tmissing\n');
  });

  it('with --deployment: both are checked', async () => {
    const res = await sb.run(['check', '-p', 'billing', '-d', 'prod', '--deployment', 'billing/dev', '--require', 'DB_URL', '-o', 'json']);
    expect(res.code).toBe(3);
    expect(res.stdout).toContain('billing/prod');
    expect(res.stdout).toContain('billing/dev');
  });

  it('-p alone names a scope, not a deployment: says what to give', async () => {
    expect(await sb.run(['check', '-p', 'billing', '--require', 'DB_URL'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'scoped: check needs a whole deployment: -p billing alone names a scope; give both -p PROJECT -d DOMAIN, or --deployment PROJECT/DOMAIN\n',
    });
  });
});

/** Every repeatable value flag of every command, read from the tree: one added later is covered. */
function repeatable(cmd: CommandUnknownOpts, path: string[] = []): { path: string[]; flag: string }[] {
  const own = (cmd.options as readonly Option[]).filter((o) => takesValue(o) && isRepeatable(o)).map((o) => ({ path, flag: o.long as string }));
  return [...own, ...cmd.commands.flatMap((sub) => repeatable(sub, [...path, sub.name()]))];
}

describe('the same value twice: one rule for every repeatable flag', () => {
  const rows = repeatable(fullTree);

  it('the table holds the repeatable flags the issue names', () => {
    const names = rows.map((r) => `${r.path.join(' ')} ${r.flag}`);
    expect(names).toEqual(
      expect.arrayContaining([
        'check --deployment',
        'check --require',
        'run --only',
        'run --file',
        'run --expand',
        'run --exclude',
        'export --only',
        'create secret --tag',
        'create secret --replica-region',
      ]),
    );
  });

  it.each(rows.map((r) => [`${r.path.join(' ')} ${r.flag}`, r] as const))('%s given the same value twice: exit 2, one line', async (_l, r) => {
    const res = await sb.run([...r.path, r.flag, 'A_KEY', r.flag, 'A_KEY']);
    expect(res).toMatchObject({ code: 2, stdout: '', stderr: `scoped: ${r.flag} "A_KEY" given twice; give each value once\n` });
  });

  it('different values still collect (--only A --only A=B hands one key over under two names)', async () => {
    expect((await sb.run(['create', 'secret', 'ONE'], { stdin: 'one-value' })).code).toBe(0);
    const res = await sb.run(['run', '--only', 'ONE', '--only', 'ONE=TWO', '--', 'sh', '-c', 'test "$ONE" = one-value && test "$TWO" = one-value']);
    expect(res.code, res.stderr).toBe(0);
    const missing = await sb.run(['run', '--only', 'NOPE', '--only', 'NOPE=OTHER', '--', 'true']);
    expect(missing).toMatchObject({ code: 3 });
    expect(missing.stderr).toMatch(/^scoped: key NOPE not visible/);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import type { CommandUnknownOpts, Option } from '@commander-js/extra-typings';
import { fullProgram } from '../../../src/cli/program.js';
import { EMPTY_ALLOWED, isRepeatable, takesValue } from '../../../src/commands/options.js';
import { sandbox, testIO } from '../../helpers/io.js';

/** Every value flag of every command, read from the command tree itself: a flag added later is in the table. */
interface Row {
  path: string[];
  flag: string;
  option: Option;
}

function valueFlags(cmd: CommandUnknownOpts, path: string[] = []): Row[] {
  const own = (cmd.options as readonly Option[]).filter(takesValue).map((option) => ({ path, flag: option.long ?? (option.short as string), option }));
  return [...own, ...cmd.commands.flatMap((sub) => valueFlags(sub, [...path, sub.name()]))];
}

const rows = valueFlags((await fullProgram(testIO(), '0')).root);
const single = rows.filter((r) => !isRepeatable(r.option));
const repeatable = rows.filter((r) => isRepeatable(r.option));
const label = (r: Row) => `${['scoped', ...r.path].join(' ')} ${r.flag}`;
/** Two valid values: a flag with choices gets two of its choices, so the repeat is what is refused. */
const values = (o: Option): [string, string] => {
  const choices = o.argChoices ?? [];
  return [choices[0] ?? 'alpha', choices[1] ?? choices[0] ?? 'beta'];
};

const sb = sandbox({ SCOPED_ORG: 'acme' });
afterAll(() => sb.cleanup());

describe('single-value flags given twice', () => {
  it('the table covers the globals and every command (it is derived, not written out)', () => {
    const names = single.map(label);
    expect(names).toEqual(
      expect.arrayContaining([
        'scoped --org',
        'scoped --output',
        'scoped --region',
        'scoped delete secret --project',
        'scoped delete secret --recovery-days',
        'scoped create secret --kms-key-id',
        'scoped get secret --version-id',
        'scoped render --out',
        'scoped policy --access',
      ]),
    );
    expect(repeatable.map(label)).toEqual(expect.arrayContaining(['scoped create secret --tag', 'scoped create secret --replica-region', 'scoped run --only']));
    expect(single.length).toBeGreaterThan(30);
  });

  it.each(single.map((r) => [label(r), r] as const))('%s twice: exit 2, one line naming the flag and both values', async (_l, r) => {
    const [a, b] = values(r.option);
    const res = await sb.run([...r.path, r.flag, a, r.flag, b]);
    expect(res).toMatchObject({ code: 2, stdout: '' });
    expect(res.stderr).toBe(`scoped: ${r.flag} given twice (${JSON.stringify(a)}, ${JSON.stringify(b)}); give it once\n`);
  });

  it.each(single.filter((r) => r.option.short).map((r) => [label(r), r] as const))('%s twice, short and long: refused the same way', async (_l, r) => {
    const [a, b] = values(r.option);
    const res = await sb.run([...r.path, r.option.short as string, a, `${r.flag}=${b}`]);
    expect(res).toMatchObject({ code: 2, stdout: '' });
    expect(res.stderr).toMatch(new RegExp(`^scoped: ${r.flag} given twice`));
  });

  it.each(repeatable.map((r) => [label(r), r] as const))('%s is repeatable: a second use is not refused as a repeat', async (_l, r) => {
    const res = await sb.run([...r.path, r.flag, 'A_KEY=x', r.flag, 'B_KEY=y', '--help']);
    expect(res.stderr).not.toMatch(/given twice/);
  });

  it('a global given before and after the command is one flag given twice', async () => {
    const res = await sb.run(['--org', 'acme', 'get', 'secret', '--org', 'other']);
    expect(res).toMatchObject({ code: 2, stdout: '', stderr: 'scoped: --org given twice ("acme", "other"); give it once\n' });
  });

  it('delete -p a -p b deletes nothing (it once deleted the wrong scope)', async () => {
    for (const p of ['alpha', 'beta']) expect((await sb.run(['create', 'secret', 'KEEP', '-p', p], { stdin: 'v' })).code).toBe(0);
    const res = await sb.run(['delete', 'secret', 'KEEP', '-p', 'alpha', '-p', 'beta', '--yes']);
    expect(res.code).toBe(2);
    for (const p of ['alpha', 'beta']) expect((await sb.run(['get', 'secret', 'KEEP', '-p', p, '--reveal'])).stdout).toBe('v');
  });
});

describe('a flag taken as the value of another', () => {
  it.each(rows.map((r) => [label(r), r] as const))('%s -h: exit 2, names both, no help shown', async (_l, r) => {
    const res = await sb.run([...r.path, r.flag, '-h']);
    expect(res).toMatchObject({ code: 2, stdout: '' });
    // A flag with choices is refused by its choices first.
    if (!r.option.argChoices) expect(res.stderr).toBe(`scoped: ${r.flag} needs a value, but the next word is the flag -h; give ${r.flag} a value\n`);
  });

  it('a value attached to its flag is the value, even when it reads like a flag: --description=-h, -d-x', async () => {
    const created = await sb.run(['create', 'secret', 'ATTACHED', '--description=-h', 'v']);
    expect(created).toMatchObject({ code: 0, stdout: '' });
    const shown = await sb.run(['get', 'secret', 'ATTACHED', '-o', 'json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({ key: 'ATTACHED', description: '-h' });
    // Attached to another flag than the one it is given to: still the next word's flag, refused.
    const res = await sb.run(['create', 'secret', 'OTHER', '--description', '-h', '--tag=-h', 'v']);
    expect(res).toMatchObject({ code: 2, stdout: '', stderr: 'scoped: --description needs a value, but the next word is the flag -h; give --description a value\n' });
  });

  it('get secret -p -d prod: -p is missing its value (not "invalid project -d")', async () => {
    const res = await sb.run(['get', 'secret', '-p', '-d', 'prod']);
    expect(res).toMatchObject({ code: 2, stdout: '', stderr: 'scoped: --project needs a value, but the next word is the flag -d; give --project a value\n' });
  });
});

describe('empty and blank flag values', () => {
  const refused = single.filter((r) => !EMPTY_ALLOWED.has(r.flag));
  it.each(refused.flatMap((r) => [[label(r), r, ''] as const, [label(r), r, '  '] as const]))('%s %j: exit 2, nothing on stdout', async (_l, r, value) => {
    const res = await sb.run([...r.path, r.flag, value]);
    expect(res).toMatchObject({ code: 2, stdout: '' });
    // A flag with choices is refused by its choices first; every other one by the empty-value rule.
    if (!r.option.argChoices) {
      expect(res.stderr).toBe(`scoped: ${r.flag} was given ${value === '' ? 'an empty' : 'a blank'} value; give it a value, or omit ${r.flag}\n`);
    }
  });

  it('repeatable flags refuse an empty value too', async () => {
    const res = await sb.run(['create', 'secret', 'K', 'v', '--replica-region', '']);
    expect(res).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/^scoped: --replica-region was given an empty value/) });
  });

  it("--description '' is no description (and clears one on update); --prefix '' is refused (a prefix rule, not the empty-flag one)", async () => {
    expect((await sb.run(['create', 'secret', 'DESCRIBED', '--description', 'old'], { stdin: 'v' })).code).toBe(0);
    expect((await sb.run(['update', 'secret', 'DESCRIBED', '--no-value', '--description', ''])).code).toBe(0);
    const got = JSON.parse((await sb.run(['-o', 'json', 'get', 'secret', 'DESCRIBED'])).stdout) as { description: string | null };
    expect(got.description ?? '').toBe('');
    expect(await sb.run(['--prefix', '', 'create', 'secret', 'BARE'], { stdin: 'v' })).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/^scoped: invalid prefix "" \(from flag --prefix\): a prefix cannot be empty/),
    });
  });
});

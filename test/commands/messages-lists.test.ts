import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDotenv } from '../../src/export/dotenv.js';
import { sandbox } from '../helpers/io.js';

/** Lists in messages end with "and N more"; message lines are printable (issue 18). */

const sb = sandbox();
afterAll(() => sb.cleanup());

/**
 * A JSON object of 7,800 fields with short values (once a 39 KB render error and a 78 KB run warning),
 * named in base 36 to fit the 64 KiB value limit; JSON lists the integer-like names 0, 1, 2, ... first.
 */
const FIELDS = 7800;
const big = JSON.stringify(Object.fromEntries(Array.from({ length: FIELDS }, (_, i) => [i.toString(36), 0])));

beforeAll(async () => {
  expect((await sb.run(['create', 'secret', 'BIG', '-p', 'wide'], { stdin: big })).code).toBe(0);
});

const lines = (text: string) => text.split('\n').filter(Boolean);

describe('a value of 7,800 fields', () => {
  it('render: a field that is not there names five fields and how many more', async () => {
    const tmpl = join(sb.dir, 'one.tmpl');
    writeFileSync(tmpl, 'v: {{ secret "BIG" "nope" }}\n');
    const res = await sb.run(['render', tmpl, '-p', 'wide']);
    expect(res).toMatchObject({ code: 2, stdout: '' });
    expect(lines(res.stderr)).toHaveLength(1);
    expect(res.stderr).toMatch(/its fields: 0, 1, 2, 3, 4 and 7795 more\n$/);
    expect(res.stderr.length).toBeLessThan(300);
  });

  it('run --expand: the warning about short values is one short line', async () => {
    const res = await sb.run(['run', '-p', 'wide', '--expand', 'BIG', '--mask', '--', 'true']);
    expect(res.code, res.stderr.slice(0, 300)).toBe(0);
    expect(res.stderr).toBe('warning: not masked, shorter than 4 characters: BIG_0, BIG_1, BIG_2, BIG_3, BIG_4 and 7795 more\n');
  });

  it('run --expand over variables the environment has: the notice is one short line', async () => {
    const env = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`BIG_${i}`, 'parent']));
    const res = await sb.run(['run', '-p', 'wide', '--expand', 'BIG', '--no-mask', '--', 'true'], { env });
    expect(res.code).toBe(0);
    expect(res.stderr).toBe("secrets override BIG_0, BIG_1, BIG_2, BIG_3, BIG_4 and 45 more from the environment (--preserve-env keeps the environment's)\n");
  });
});

describe('keys a deployment or a pin does not have', () => {
  it('render: 5,000 unknown keys make one short line', async () => {
    const tmpl = join(sb.dir, 'many.tmpl');
    writeFileSync(tmpl, Array.from({ length: 5000 }, (_, i) => `{{ secret "NOPE_${i}" }}`).join('\n'));
    const res = await sb.run(['render', tmpl, '-p', 'wide']);
    expect(res).toMatchObject({ code: 3, stdout: '' });
    expect(res.stderr).toMatch(/^scoped: keys NOPE_0, NOPE_1, NOPE_2, NOPE_3, NOPE_4 and 4995 more not visible to org default, project wide; /);
    expect(res.stderr.length).toBeLessThan(300);
  });

  it('render with no references still checks the deployment (-p Web is not a project name)', async () => {
    const tmpl = join(sb.dir, 'plain.tmpl');
    writeFileSync(tmpl, 'no references\n');
    expect(await sb.run(['render', tmpl, '-p', 'Web'])).toMatchObject({ code: 2, stdout: '' });
  });
});

describe('dotenv warnings', () => {
  it('one line per reader and reason, however many keys', () => {
    const warnings: string[] = [];
    const values = new Map(Array.from({ length: 40 }, (_, i) => [`K${i}`, 'has ${BRACE} in it']));
    formatDotenv(values, (l) => warnings.push(l));
    expect(warnings).toContain(
      'K0, K1, K2, K3, K4 and 35 more: python-dotenv would read different values (it expands ${...} and has no escape for it), and may misread the keys after them; use --format json, yaml or shell for them',
    );
    expect(warnings.length).toBeLessThanOrEqual(3);
  });
});

describe('warnings name files as errors do: control characters escaped', () => {
  it('render: a template with no references, its name holding ESC and a newline', async () => {
    const name = join(sb.dir, 'a\u001b[2Jb\nc.tmpl');
    writeFileSync(name, 'no references here\n');
    const res = await sb.run(['render', name, '-p', 'wide']);
    expect(res.code).toBe(0);
    expect(res.stderr).not.toContain('\u001b');
    expect(res.stderr).toContain('a\\x1b[2Jb\\nc.tmpl has no {{ secret "KEY" }} references');
    expect(lines(res.stderr)).toHaveLength(1);
  });

  it('import: an empty file whose name holds a control character', async () => {
    const name = join(sb.dir, 'e\u0007mpty.env');
    writeFileSync(name, '');
    const res = await sb.run(['import', name, '-p', 'wide']);
    expect(res.stderr).not.toContain('\u0007');
    expect(res.stderr).toContain('e\\x07mpty.env');
  });
});

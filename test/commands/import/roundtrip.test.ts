import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../../helpers/io.js';
import { HARD_VALUES } from '../../helpers/hard-values.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = sandbox({ SCOPED_ORG: 'acme' });
  writeFileSync(join(sb.dir, 'hard.json'), JSON.stringify(HARD_VALUES));
  const r = await sb.run(['import', 'hard.json', '-p', 'src', '-d', 'prod']);
  expect(r.code).toBe(0);
});
afterAll(() => sb.cleanup());

describe.each(['dotenv', 'json', 'yaml'] as const)('export --format %s, then import into another scope', (format) => {
  it('gives identical values', async () => {
    const { PEM, ...dotenvable } = HARD_VALUES;
    const expected = format === 'dotenv' ? dotenvable : HARD_VALUES;
    const n = Object.keys(expected).length;
    const exported = await sb.run(['export', '-p', 'src', '-d', 'prod', '--format', format, ...(format === 'dotenv' ? ['--exclude', 'PEM'] : [])]);
    expect(exported.code).toBe(0);
    expect(PEM).toContain('\n');
    const to = ['-p', `dst-${format}`];
    const imported = await sb.run(['import', '-', '--format', format, ...to], { stdin: exported.stdout });
    expect(imported.stderr).toMatch(new RegExp(`: ${n} created`));
    const back = await sb.run(['export', ...to, '--format', 'json']);
    expect(JSON.parse(back.stdout)).toEqual(expected);
    // And once more: nothing to do.
    const again = await sb.run(['import', '-', '--format', format, ...to], { stdin: exported.stdout });
    expect(again.stderr).toMatch(new RegExp(`0 created, 0 updated, ${n} unchanged`));
  });
});

it('copy keeps every hard value', async () => {
  expect((await sb.run(['copy', 'secret', '--all', '-p', 'src', '-d', 'prod', '--to', 'copied/_'])).code).toBe(0);
  expect(JSON.parse((await sb.run(['export', '-p', 'copied', '--format', 'json'])).stdout)).toEqual(HARD_VALUES);
});

it("the run tests' nasty values (every dotenv-writable one) survive export --format dotenv | import", async () => {
  const { NASTY } = await import('../../helpers/seed.js');
  const values = Object.fromEntries(NASTY.filter(([, v]) => v !== ''));
  writeFileSync(join(sb.dir, 'nasty.json'), JSON.stringify(values));
  expect((await sb.run(['import', 'nasty.json', '-p', 'nasty-src'])).code).toBe(0);
  const exported = await sb.run(['export', '-p', 'nasty-src', '--format', 'dotenv']);
  expect((await sb.run(['import', '-', '--format', 'dotenv', '-p', 'nasty-dst'], { stdin: exported.stdout })).code).toBe(0);
  expect(JSON.parse((await sb.run(['export', '-p', 'nasty-dst', '--format', 'json'])).stdout)).toEqual(values);
});

/** `-o markdown` for resolve and diff (job summaries, pull-request comments); refused by every other command. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { markdownTable } from '../../../src/cli/output.js';
import { sandbox, type Sandbox } from '../../helpers/io.js';

const CANARY = 'canary-markdown-9d2e';
let sb: Sandbox;
beforeAll(async () => {
  sb = sandbox();
  const seed: string[][] = [
    ['API_URL'],
    ['API_URL', '-d', 'production'],
    ['DB_PASSWORD', '-p', 'billing', '-d', 'production'],
    ['DB_PASSWORD', '-p', 'billing', '-d', 'staging'],
    ['LOG_LEVEL', '-p', 'billing'],
  ];
  for (const args of seed) expect((await sb.run(['create', 'secret', ...args], { stdin: `${CANARY}-${args.join('-')}` })).code).toBe(0);
});
afterAll(() => sb?.cleanup());

it('resolve --explain -o markdown: a table with the shadows, never a value', async () => {
  const r = await sb.run(['resolve', '-p', 'billing', '-d', 'production', '--explain', '-o', 'markdown']);
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout).toBe(
    [
      '| KEY | SCOPE | FROM | SHADOWS |',
      '| --- | --- | --- | --- |',
      '| API_URL | domain | domain production | org (org default) |',
      '| DB_PASSWORD | project-domain | project billing, domain production | - |',
      '| LOG_LEVEL | project | project billing | - |',
      '',
    ].join('\n'),
  );
  expect(r.stdout + r.stderr).not.toContain(CANARY);
});

it('diff -o markdown: one row per differing key, the scopes on each side; the summary line on stderr', async () => {
  const r = await sb.run(['diff', 'billing/staging', 'billing/production', '-o', 'markdown', '--all']);
  expect(r.code, r.stderr).toBe(0);
  const lines = r.stdout.trimEnd().split('\n');
  expect(lines[0]).toBe('| KEY | billing/staging | billing/production | VALUES |');
  expect(lines[1]).toBe('| --- | --- | --- | --- |');
  expect(lines.slice(2).map((l) => l.split(' | ')[0])).toEqual(['| API_URL', '| DB_PASSWORD', '| LOG_LEVEL']);
  expect(lines.find((l) => l.startsWith('| DB_PASSWORD'))).toMatch(/\| project-domain \| project-domain \| differ \|$/);
  expect(r.stdout + r.stderr).not.toContain(CANARY);
});

it('every other command refuses -o markdown (exit 2, stdout empty)', async () => {
  for (const argv of [['get', 'secret', 'API_URL'], ['export'], ['policy'], ['check', '--require', 'A', '-p', 'billing', '-d', 'production']]) {
    const r = await sb.run([...argv, '-o', 'markdown']);
    expect([argv.join(' '), r.code, r.stdout]).toEqual([argv.join(' '), 2, '']);
    expect(r.stderr).toMatch(/-o markdown applies to resolve and diff only/);
  }
});

it('cells: | and \\ escaped, control characters made visible, nothing for no rows', () => {
  expect(markdownTable(['A', 'B'], [['x|y', 'a\\b\nc']])).toBe('| A | B |\n| --- | --- |\n| x\\|y | a\\\\b\\nc |\n');
  expect(markdownTable(['A'], [])).toBe('');
});

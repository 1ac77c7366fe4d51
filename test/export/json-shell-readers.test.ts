/**
 * `export --format json` and `--format shell` read back by readers we did not write: jq and Python's json
 * for JSON, bash and dash evaluating the export lines for shell. Every value of the hard corpus must come
 * back exactly.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatJson, formatShell } from '../../src/export/formats.js';
import { HARD } from './values-corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'scoped-json-shell-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const values = new Map(HARD);
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, timeout: 20_000 });
  expect(r.stderr, `${cmd} ${args.join(' ')}`).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

describe('export --format json', () => {
  const path = join(dir, 'values.json');
  writeFileSync(path, formatJson(values));

  it('jq reads every value back exactly', () => {
    // -a: ASCII-escaped, so what jq decoded comes back through JSON.parse unchanged by the terminal encoding.
    expect(JSON.parse(run('jq', ['-a', '-c', '.', path]))).toEqual(Object.fromEntries(values));
  });

  it("Python's json reads every value back exactly", () => {
    const py = 'import json, sys\nprint(json.dumps(json.load(open(sys.argv[1], encoding="utf-8"))))';
    expect(JSON.parse(run('python3', ['-c', py, path]))).toEqual(Object.fromEntries(values));
  });
});

describe('export --format shell', () => {
  // An empty value is not stored by scoped; the corpus keeps it for other formats.
  const shellValues = new Map([...values].filter(([, v]) => v !== ''));
  const path = join(dir, 'values.sh');
  writeFileSync(path, formatShell(shellValues));
  const keys = [...shellValues.keys()];
  // After `. file`, each value printed NUL-terminated, so newlines and spaces survive the trip.
  const script = `. "$1"; for k in ${keys.join(' ')}; do eval "printf '%s\\\\0' \\"\\$$k\\""; done`;

  // --norc: bash reads ~/.bashrc when it thinks a remote shell daemon started it; that is not the reader under test.
  it.each([['bash', '--norc', '--noprofile'], ['dash']])('%s evaluates every line back to the exact value', (shell, ...flags) => {
    const out = run(shell, [...flags, '-c', script, shell, path])
      .split('\0')
      .slice(0, -1);
    expect(Object.fromEntries(keys.map((k, i) => [k, out[i]]))).toEqual(Object.fromEntries(shellValues));
  });
});

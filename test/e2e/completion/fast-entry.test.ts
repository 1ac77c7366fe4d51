/**
 * bin/scoped.cjs sends help, Tab and `completion <shell>` to dist/bundle/fast.cjs before the full CLI; main.ts
 * asks src/cli/fast-lines.ts the same question in-process. The bin is plain JavaScript that cannot import
 * the TypeScript, so its test is read from the file here and held equal to wantsFast over many lines.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wantsFast } from '../../../src/cli/fast-lines.js';
import { BIN, binSandbox, ROOT } from '../../helpers/bin.js';

const LINES: string[][] = [
  [],
  ['--help'],
  ['-h'],
  ['get', 'secret', '--help'],
  ['get', 'secret', '-h'],
  ['__complete', 'bash', '--', 'get', ''],
  ['__complete'],
  ['completion', 'bash'],
  ['completion'],
  ['completion', 'tcsh'],
  ['--no-color', 'completion', 'bash'],
  ['get', 'secret'],
  ['--version'],
  ['-V'],
  ['run', '--', 'ls', '--help'],
  ['resolve', '-p', 'billing', '-hx'],
  ['help'],
];

function binTest(): (args: string[]) => boolean {
  const source = readFileSync(BIN, 'utf8');
  const expr = /const fast = (.+);\n/.exec(source)?.[1];
  if (!expr) throw new Error(`${BIN} no longer has a line "const fast = ...;": update this test with it`);
  return new Function('args', `return ${expr};`) as (args: string[]) => boolean;
}

describe('the lines the fast file answers', () => {
  it.each(LINES.map((l) => [l.join(' ') || '(nothing)', l]))('bin and wantsFast agree on %s', (_, line) => {
    expect(binTest()(line as string[])).toBe(wantsFast(line as string[]));
  });

  // The CommonJS build of the same sources (import.meta.url stood in for, lazy imports inlined) answers as
  // the ES module CLI does; test/cli/help.test.ts holds the tree's help equal to commander's.
  it('fast.cjs answers as the full CLI does: stdout, stderr and exit code', () => {
    const sb = binSandbox();
    const full = (line: string[]) => {
      const script = `import { main, systemIO } from ${JSON.stringify(join(ROOT, 'dist', 'bundle', 'scoped.js'))}; process.exitCode = await main(JSON.parse(process.argv[1]), systemIO());`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, JSON.stringify(line)], { cwd: sb.home, env: sb.env, encoding: 'utf8', timeout: 20_000 });
      return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
    };
    try {
      expect(sb.run(['create', 'secret', 'API_TOKEN', '-p', 'billing'], { stdin: 'v' }).code).toBe(0);
      const lines = [
        ['--help'],
        ['get', 'secret', '--help'],
        ['completion', 'fish'],
        ['__complete', 'bash', '--', 'get', 'secret', '--pro'],
        ['__complete', 'zsh', '--', 'resolve', '-p', ''],
      ];
      for (const line of lines) expect({ line, ...sb.run(line) }).toEqual({ line, ...full(line) });
      expect(sb.run(['__complete', 'bash', '--', 'resolve', '-p', '']).stdout).toBe('billing\n');
    } finally {
      sb.cleanup();
    }
  });

  it('a bin without its bundle fails in one line, exit 1, not a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scoped-nobundle-'));
    try {
      mkdirSync(join(dir, 'bin'));
      copyFileSync(BIN, join(dir, 'bin', 'scoped.cjs'));
      for (const line of [['--help'], ['get', 'secret']]) {
        const r = spawnSync(process.execPath, [join(dir, 'bin', 'scoped.cjs'), ...line], { encoding: 'utf8', timeout: 20_000 });
        expect(r.status).toBe(1);
        expect(r.stdout).toBe('');
        expect(r.stderr).toMatch(/^scoped: unexpected error: Cannot find module .*dist\/bundle\/(fast|hot-[a-z]+|cli)\.cjs.*; report it\n$/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

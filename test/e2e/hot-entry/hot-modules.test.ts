/**
 * What the hot entry (dist/bundle/hot-*.cjs, one file per command) loads for the lines it answers, counted, not timed: the modules
 * esbuild's initialiser evaluates (each line its own command module only) and Node's own modules (no
 * child_process, net, tty, readline, http).
 * The file itself carries no commander, AWS SDK or AWS store code (scripts/fast-check.mjs checks it at build).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../../helpers/bin.js';
import { HOT_FILES, hotOnly } from './hot-harness.js';

const COMMAND_FILES = [...readFileSync(join(ROOT, 'src', 'cli', 'program.ts'), 'utf8').matchAll(/import\('\.\.\/commands\/([a-z_-]+)\.js'\)/g)].map(
  (m) => `src/commands/${m[1]}.ts`,
);
const UNWANTED_BUILTINS = ['child_process', 'net', 'tty', 'readline', 'http', 'https', 'http2', 'zlib', 'worker_threads'];

let dir: string;
let env: Record<string, string>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-hot-modules-'));
  env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    LANG: 'C.UTF-8',
    SCOPED_HOME: join(dir, 'store'),
    SCOPED_LOCAL_KEY: Buffer.alloc(32, 9).toString('base64'),
    SCOPED_ORG: 'acme',
  };
  for (const key of ['K1', 'K2']) {
    const r = spawnSync(process.execPath, [BIN, 'create', 'secret', key, '--from-file', '-'], { env, input: `${key}-value`, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  }
  const pin = spawnSync(process.execPath, [BIN, 'pin', '--out', join(dir, 'p.json')], { env, encoding: 'utf8' });
  expect(pin.status, pin.stderr).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const own = (modules: string[]) => modules.filter((m) => COMMAND_FILES.includes(m));

describe('the hot entry', () => {
  it("is a file of its own per command, without commander, the SDK, the AWS store or another hot command's module", () => {
    const HOT_COMMANDS = ['resolve', 'get-secret', 'export', 'run'];
    for (const file of HOT_FILES) {
      const source = readFileSync(file, 'latin1');
      expect(source, file).not.toMatch(/node_modules\/(commander|@commander-js|@aws-sdk|@smithy)\//);
      expect(source, file).not.toContain('src/store/aws/');
      const own = HOT_COMMANDS.filter((c) => source.includes(`"src/commands/${c}.ts"`));
      expect(own, file).toHaveLength(1);
    }
    expect(COMMAND_FILES).toContain('src/commands/resolve.ts');
  });

  it("imports Node's lazily loaded modules without esbuild's copy of every name (scripts/bundle.mjs withoutInteropCopies)", () => {
    for (const file of [...HOT_FILES, join(ROOT, 'dist', 'bundle', 'cli.cjs')]) {
      const source = readFileSync(file, 'latin1');
      const lazy = [...source.matchAll(/\b(require_\w+)=__commonJS\(\{"lazy-node:/g)].map((m) => m[1] as string);
      expect(lazy, file).toContain('require_crypto');
      for (const name of lazy) expect(source, `${file}: ${name}`).not.toContain(`__toESM(${name}()`);
    }
  });

  it('resolve, get secret and export each evaluate their own command module, and no stream, network or process module of Node', () => {
    const cases: [string[], string, string][] = [
      [['resolve'], 'src/commands/resolve.ts', 'K1\torg\torg acme\nK2\torg\torg acme\n'],
      [['get', 'secret', 'K2', '--reveal'], 'src/commands/get-secret.ts', 'K2-value'],
      [['export', '--format', 'json'], 'src/commands/export.ts', '{\n  "K1": "K1-value",\n  "K2": "K2-value"\n}\n'],
      [['export', '--pinned', 'p.json'], 'src/commands/export.ts', "K1='K1-value'\nK2='K2-value'\n"],
    ];
    for (const [args, module, stdout] of cases) {
      const r = hotOnly(dir, args, env, dir);
      expect({ answered: r.answered, stdout: r.stdout, stderr: r.stderr }, args.join(' ')).toEqual({ answered: 0, stdout, stderr: '' });
      expect(own(r.modules), args.join(' ')).toEqual([module]);
      // The stand-ins (hot-stand-in:commander, ...) are the build's, not the libraries.
      expect(r.modules.filter((m) => !m.startsWith('hot-stand-in:') && /commander|@aws-sdk|@smithy|src\/store\/aws\/|@inquirer|cli-table3|chalk/.test(m))).toEqual([]);
      expect(r.builtins.filter((b) => UNWANTED_BUILTINS.includes(b))).toEqual([]);
    }
  });

  it("run evaluates its own command module and, of Node's stream, network and process modules, only child_process (and what it loads)", () => {
    const r = hotOnly(dir, ['run', '--', 'true'], env, dir);
    expect({ answered: r.answered, stdout: r.stdout, stderr: r.stderr }).toEqual({ answered: 0, stdout: '', stderr: '' });
    expect(own(r.modules)).toEqual(['src/commands/run.ts']);
    expect(r.modules.filter((m) => !m.startsWith('hot-stand-in:') && /commander|@aws-sdk|@smithy|src\/store\/aws\/|@inquirer|cli-table3|chalk/.test(m))).toEqual([]);
    // --watch's loop and re-check load only with --watch (which the hot entry leaves to the full CLI).
    expect(r.modules.filter((m) => /src\/run\/watch(-loop)?\.ts$/.test(m))).toEqual([]);
    expect(r.builtins).toContain('child_process');
    // child_process loads net (and its stream modules) itself; no terminal, readline, http or zlib.
    expect(r.builtins.filter((b) => UNWANTED_BUILTINS.includes(b) && b !== 'child_process' && b !== 'net')).toEqual([]);
  });

  it("a run line it declines has evaluated run's module only for its flags, and started no child", () => {
    const r = hotOnly(dir, ['run', '--watch', '--', 'true'], env, dir);
    expect([r.answered, r.stdout, r.stderr]).toEqual([null, '', '']);
    expect(r.builtins).not.toContain('child_process');
  });

  it('a line it declines has evaluated no command module', () => {
    const r = hotOnly(dir, ['resolve', '--bogus'], env, dir);
    expect([r.answered, r.stdout, r.stderr]).toEqual([null, '', '']);
    expect(own(r.modules)).toEqual([]);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/bin.js';
import { countingRunner } from '../helpers/evaluated-modules.js';

/**
 * The commands run most evaluate only their own command module in the built CLI (dist/bundle/cli.cjs),
 * counted, not timed: the bundle runs with esbuild's module initialiser (`__esm`) recording each module it
 * evaluates. The command modules are those the list of commands loads (src/cli/program.ts).
 */
const CLI = join(ROOT, 'dist', 'bundle', 'cli.cjs');
const COMMAND_FILES = [...readFileSync(join(ROOT, 'src', 'cli', 'program.ts'), 'utf8').matchAll(/import\('\.\.\/commands\/([a-z_-]+)\.js'\)/g)].map(
  (m) => `src/commands/${m[1]}.ts`,
);

/** Runs the bundle in a child as bin/scoped.cjs would, and returns the modules it evaluated, in order. */
const RUNNER = countingRunner(`m.exports.main(args, m.exports.systemIO()).then((code) => {
  fs.writeFileSync(out, JSON.stringify(globalThis.__evaluated));
  process.exitCode = code;
});`);

let dir: string;
let env: Record<string, string>;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-hot-modules-'));
  writeFileSync(join(dir, 'runner.cjs'), RUNNER);
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
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function evaluated(args: string[]): { code: number | null; stdout: string; stderr: string; modules: string[] } {
  const out = join(dir, 'evaluated.json');
  rmSync(out, { force: true });
  const r = spawnSync(process.execPath, [join(dir, 'runner.cjs'), CLI, out, ...args], { env, cwd: dir, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, modules: JSON.parse(readFileSync(out, 'utf8')) as string[] };
}

const commandModules = (modules: string[]) => modules.filter((m) => COMMAND_FILES.includes(m));

describe('the hot path of the built CLI', () => {
  it('knows the command modules', () => {
    expect(COMMAND_FILES).toContain('src/commands/resolve.ts');
    expect(COMMAND_FILES.length).toBeGreaterThanOrEqual(20);
  });

  it('resolve, get secret and run evaluate their own command module and no other', () => {
    const resolve = evaluated(['resolve']);
    expect(resolve).toMatchObject({ code: 0, stderr: '', stdout: 'K1\torg\torg acme\nK2\torg\torg acme\n' });
    expect(commandModules(resolve.modules)).toEqual(['src/commands/resolve.ts']);
    const get = evaluated(['get', 'secret', 'K2', '--reveal']);
    expect(get).toMatchObject({ code: 0, stderr: '', stdout: 'K2-value' });
    expect(commandModules(get.modules)).toEqual(['src/commands/get-secret.ts']);
    const run = evaluated(['run', '--', 'true']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(commandModules(run.modules)).toEqual(['src/commands/run.ts']);
  });

  it('run evaluates the re-check of --watch (its modules, node:crypto for its digest) only with --watch', () => {
    const isWatch = (m: string) => m === 'src/run/watch.ts' || m === 'src/run/watch-loop.ts';
    const run = evaluated(['run', '--', 'true']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.modules).toContain('src/run/child.ts');
    expect(run.modules.filter(isWatch)).toEqual([]);
    const watch = evaluated(['run', '--watch', '--', 'true']);
    expect(watch).toMatchObject({ code: 0, stderr: '' });
    expect(watch.modules.filter(isWatch).sort()).toEqual(['src/run/watch-loop.ts', 'src/run/watch.ts']);
  });

  it('nor the AWS SDK or the other backends on the local store', () => {
    const { modules } = evaluated(['resolve']);
    expect(modules.filter((m) => /@aws-sdk|@smithy|src\/store\/aws\//.test(m))).toEqual([]);
  });

  it('a line that names no command plainly evaluates them all (for its suggestion)', () => {
    const r = evaluated(['resolv']);
    expect(r).toMatchObject({ code: 2, stderr: "scoped: unknown command 'resolv' -- did you mean resolve?\n" });
    expect(new Set(commandModules(r.modules))).toEqual(new Set(COMMAND_FILES));
  });
});

import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT } from '../../helpers/bin.js';
import { countingRunner } from '../../helpers/evaluated-modules.js';

/** The hot entry's files as built (scripts/bundle.mjs), one per command, which bin/scoped.cjs tries before the full CLI. */
export const HOT_FILES = ['hot-resolve', 'hot-get', 'hot-export', 'hot-run'].map((name) => join(ROOT, 'dist', 'bundle', `${name}.cjs`));

/** The file bin/scoped.cjs gives a line: the first command word before `--` names it (`get` for `get secret`). */
export function hotFile(args: readonly string[]): string {
  const end = args.indexOf('--');
  const word = (end < 0 ? args : args.slice(0, end)).find((w) => ['run', 'resolve', 'get', 'export'].includes(w)) ?? 'resolve';
  return join(ROOT, 'dist', 'bundle', `hot-${word}.cjs`);
}

export interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One run of the built binary: with the hot entry (as installed), or with SCOPED_NO_HOT=1 (the full CLI only). */
export function binRun(args: string[], env: Record<string, string>, cwd: string, hot: boolean, input = ''): Outcome {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: hot ? env : { ...env, SCOPED_NO_HOT: '1' }, cwd, input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Runs the line's hot file's answer() alone (no full CLI behind it), recording each module esbuild's initialiser evaluates:
 * `answered` is its exit code, or null when it declined; what it wrote is in stdout/stderr (a decline writes nothing).
 */
const RUNNER = countingRunner(`m.exports.answer(args).then((code) => {
  const builtins = process.moduleLoadList.filter((n) => n.startsWith('NativeModule ')).map((n) => n.slice(13));
  fs.writeFileSync(out, JSON.stringify({ answered: code ?? null, modules: globalThis.__evaluated, builtins }));
  process.exitCode = code ?? 0;
});`);

export interface HotOnly extends Outcome {
  answered: number | null;
  modules: string[];
  builtins: string[];
}

export function hotOnly(dir: string, args: string[], env: Record<string, string>, cwd: string, input = ''): HotOnly {
  const runner = join(dir, 'hot-runner.cjs');
  writeFileSync(runner, RUNNER);
  const out = join(dir, 'hot-answer.json');
  rmSync(out, { force: true });
  const r = spawnSync(process.execPath, [runner, hotFile(args), out, ...args], { env, cwd, input, encoding: 'utf8', timeout: 60_000 });
  const recorded = JSON.parse(readFileSync(out, 'utf8')) as { answered: number | null; modules: string[]; builtins: string[] };
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, ...recorded };
}

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin', 'scoped.cjs');

export interface BinResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A temp HOME for end-to-end runs of the built binary, with an environment free of the caller's settings. */
export function binSandbox(): {
  home: string;
  env: Record<string, string>;
  run: (args: string[], o?: { stdin?: string | Buffer; env?: Record<string, string>; cwd?: string }) => BinResult;
  cleanup: () => void;
} {
  const home = mkdtempSync(join(tmpdir(), 'scoped-e2e-'));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LANG: 'C.UTF-8' };
  return {
    home,
    env,
    run(args, o = {}) {
      const r = spawnSync(process.execPath, [BIN, ...args], {
        cwd: o.cwd ?? home,
        env: { ...env, ...o.env },
        input: o.stdin ?? '',
        encoding: 'utf8',
        timeout: 20_000,
      });
      return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
    },
    cleanup: () => rmSync(home, { recursive: true, force: true }),
  };
}

/** The first ```sh block under a heading of the README (or of `file`, e.g. docs/aws.md): the tests run the examples as written. */
export function readmeBlock(heading: string, file = 'README.md'): string {
  const readme = readFileSync(join(ROOT, file), 'utf8');
  const at = readme.indexOf(`## ${heading}`);
  if (at < 0) throw new Error(`${file} has no heading ${heading}`);
  const m = /```sh\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!m?.[1]) throw new Error(`no sh block under ${heading}`);
  return m[1];
}

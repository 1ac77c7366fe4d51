/**
 * Loads the shipped scripts in completions/ into real shells and asks what completes a line, with PATH
 * pointing at a `scoped` wrapper around the built bin/scoped.cjs.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'vitest';
import { isCI } from '../helpers/ci.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const COMPLETIONS = join(ROOT, 'completions');
const run = promisify(execFile);

export type ShellName = 'bash' | 'zsh' | 'fish';

/** A `scoped` on PATH that runs this checkout's build. */
export function installWrapper(dir: string): string {
  if (!existsSync(join(ROOT, 'dist', 'commands', 'completion.js'))) throw new Error('dist/ is missing: run npm run build first');
  const binDir = join(dir, 'bin');
  mkdirSync(binDir, { recursive: true });
  const wrapper = join(binDir, 'scoped');
  writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(join(ROOT, 'bin', 'scoped.cjs'))} "$@"\n`);
  chmodSync(wrapper, 0o755);
  return binDir;
}

/** What bash puts in COMP_WORDS: words split at spaces, and `=` / `:` runs as words of their own. */
export function bashWords(line: string): string[] {
  return line.split(' ').flatMap((w) => (w === '' ? [''] : w.split(/([=:]+)/).filter((p) => p !== '')));
}

/** bash-completion's loader, when installed (scripts/install-test-tools.sh installs it): it brings `_command_offset`. */
export const BASH_COMPLETION = '/usr/share/bash-completion/bash_completion';

/**
 * Shell code run before the Tab, per shell (a completion for a command of the test's own), and for bash
 * whether bash-completion is loaded first, as it is in most interactive bash set-ups.
 */
export interface Prelude {
  bash?: string;
  zsh?: string;
  fish?: string;
  bashCompletion?: boolean;
}

async function bash(line: string, env: Record<string, string>, prelude: Prelude): Promise<string[]> {
  const script = `${prelude.bashCompletion ? `source ${BASH_COMPLETION}\n` : ''}source "$1"; shift
${prelude.bash ?? ''}
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}
_scoped
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const words = bashWords(line);
  const { stdout } = await run('bash', ['--norc', '--noprofile', '-c', script, 'bash', join(COMPLETIONS, 'scoped.bash'), ...words], { env, timeout: 15_000 });
  return stdout.split('\n').filter(Boolean);
}

let zshDump: Promise<unknown> | undefined;

async function zsh(line: string, env: Record<string, string>, prelude: Prelude): Promise<string[]> {
  const capture = join(import.meta.dirname, 'zsh-capture.zsh');
  // One compinit dump for all lines (made by the first); building it is most of zsh's start-up time.
  const dump = join(env.HOME as string, '.zcompdump-scoped-test');
  zshDump ??= run('zsh', ['-f', '-c', `fpath=(${COMPLETIONS} $fpath); autoload -U compinit; compinit -u -d ${dump}`], { env, timeout: 15_000 });
  await zshDump;
  const { stdout } = await run('zsh', ['-f', capture, COMPLETIONS, dump, line, prelude.zsh ?? ''], { env, timeout: 15_000 });
  return stdout.split('\n').filter(Boolean);
}

async function fish(line: string, env: Record<string, string>, prelude: Prelude): Promise<string[]> {
  const script = 'source $argv[1]; eval $argv[3]; complete -C $argv[2]';
  const { stdout } = await run('fish', ['--no-config', '-c', script, join(COMPLETIONS, 'scoped.fish'), line, prelude.fish ?? ''], { env, timeout: 15_000 });
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('\t')[0] as string);
}

/** The candidates the shell offers for `line` (cursor at its end), sorted. */
export async function completeIn(shell: ShellName, line: string, env: Record<string, string>, prelude: Prelude = {}): Promise<string[]> {
  const got = await { bash, zsh, fish }[shell](line, env, prelude);
  return got.sort();
}

export function haveShell(name: ShellName): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/**
 * A describe block for one shell. A missing shell skips loudly, except under CI (test/helpers/ci.ts), where it
 * is a failing test: scripts/install-test-tools.sh installs zsh and fish from Debian's packages.
 */
export function describeShell(name: ShellName, body: () => void): void {
  if (haveShell(name)) {
    describe(name, body);
    return;
  }
  if (isCI()) {
    describe(name, () => {
      it(`${name} is installed`, () => {
        throw new Error(`${name} is required under CI: run scripts/install-test-tools.sh`);
      });
    });
    return;
  }
  const bar = '!'.repeat(78);
  console.warn(`\n${bar}\n!! SKIPPING the ${name} completion tests: ${name} is not installed.\n!! Run scripts/install-test-tools.sh (as root) to install zsh and fish.\n${bar}\n`);
  describe.skip(name, body);
}

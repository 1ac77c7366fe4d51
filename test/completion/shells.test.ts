import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isCI } from '../helpers/ci.js';
import { sandbox, type Sandbox } from '../helpers/io.js';
import { BASH_COMPLETION, completeIn, describeShell, installWrapper, type Prelude, type ShellName } from './shell-harness.js';

let sb: Sandbox;
let env: Record<string, string>;
/** A file for `run -- CMD <Tab>` to offer: the child's arguments are the shell's to complete. */
let childFile: string;

beforeAll(async () => {
  sb = sandbox();
  const seed: string[][] = [['DB_PASSWORD'], ['API_TOKEN', '--project', 'billing'], ['BILLING_URL', '--project', 'billing'], ['TOKEN', '--project', 'web', '--domain', 'prod']];
  for (const args of seed) expect((await sb.run(['create', 'secret', ...args], { stdin: 'value' })).code).toBe(0);
  const binDir = installWrapper(sb.dir);
  // A command of the test's own on PATH, for `run -- <Tab>` to offer and hand its arguments to.
  writeFileSync(join(binDir, 'scopedtestcmd'), '#!/bin/sh\n');
  chmodSync(join(binDir, 'scopedtestcmd'), 0o755);
  mkdirSync(join(sb.dir, 'child'));
  childFile = join(sb.dir, 'child', 'only-file.txt');
  writeFileSync(childFile, '');
  for (const d of ['cache', 'data']) mkdirSync(join(sb.dir, d), { recursive: true });
  env = {
    ...sb.env,
    PATH: `${binDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    XDG_CACHE_HOME: join(sb.dir, 'cache'),
    XDG_DATA_HOME: join(sb.dir, 'data'),
    TMPDIR: sb.dir,
    LANG: 'C.UTF-8',
    TERM: 'dumb',
  };
});
afterAll(() => sb?.cleanup());

/** What a Tab at the end of each line must offer, in every shell. */
const cases: [string, string[]][] = [
  ['scoped cr', ['create']],
  ['scoped create ', ['secret']],
  ['scoped get secret --pro', ['--profile', '--project']],
  ['scoped get secret --project ', ['billing', 'web']],
  ['scoped get secret --project billing ', ['API_TOKEN', 'BILLING_URL']],
  ['scoped get secret --project web --domain prod ', ['TOKEN']],
  ['scoped get secret -o ', ['json', 'markdown', 'table', 'yaml']],
  ['scoped --backend ', ['aws', 'local']],
  ['scoped completion ', ['bash', 'fish', 'zsh']],
  ['scoped diff ', ['billing/prod', 'web/prod']],
  ['scoped diff billing/prod w', ['web/prod']],
  ['scoped check --deployment b', ['billing/prod']],
];

/** bash splits at '=' and completes the text after it; zsh and fish complete the whole word. */
const afterEquals: Record<ShellName, string[]> = { bash: ['json'], zsh: ['--output=json'], fish: ['--output=json'] };

for (const shell of ['bash', 'zsh', 'fish'] as const) {
  describeShell(shell, () => {
    it.concurrent.each(cases)(`${shell}: %j offers %j`, async (line, expected) => {
      expect(await completeIn(shell, line, env)).toEqual(expected);
    });

    it.concurrent(`${shell}: --output=j`, async () => {
      expect(await completeIn(shell, 'scoped get secret --output=j', env)).toEqual(afterEquals[shell]);
    });
  });
}

/** scopedtestcmd's own completion (alpha, beta) in each shell: what `run -- scopedtestcmd <Tab>` must hand over to. */
const CHILD_COMPLETION: Prelude = {
  bash: 'complete -W "alpha beta" scopedtestcmd',
  zsh: '_scopedtestcmd() { compadd alpha beta }; compdef _scopedtestcmd scopedtestcmd',
  fish: 'complete -c scopedtestcmd -f -a "alpha beta"',
};

for (const shell of ['bash', 'zsh', 'fish'] as const) {
  describeShell(shell, () => {
    // bash alone has no way to complete another command's arguments; bash-completion's _command_offset does.
    const variants: [string, Prelude][] =
      shell === 'bash'
        ? [
            ['bash', {}],
            ['bash with bash-completion', { bashCompletion: true }],
          ]
        : [[shell, {}]];
    for (const [name, base] of variants) {
      const prelude = { ...base, ...CHILD_COMPLETION };
      const skip = base.bashCompletion === true && !existsSync(BASH_COMPLETION);
      it.skipIf(skip && !isCI()).concurrent(`${name}: run's command after -- is the shell's: commands, then the command's own completion or files`, async () => {
        expect(await completeIn(shell, 'scoped run -p billing ', env, prelude)).toEqual(['--']);
        expect(await completeIn(shell, 'scoped run -p billing -- scopedtestc', env, prelude)).toEqual(['scopedtestcmd']);
        const args = await completeIn(shell, 'scoped run -p billing -- scopedtestcmd ', env, prelude);
        if (name === 'bash') {
          // Files, as bash offers without a command's own completion.
          expect(await completeIn(shell, `scoped run -- scopedtestcmd ${join(sb.dir, 'child', 'on')}`, env, prelude)).toEqual([childFile]);
        } else {
          expect(args).toEqual(['alpha', 'beta']);
          expect(await completeIn(shell, 'scoped run -- scopedtestcmd al', env, prelude)).toEqual(['alpha']);
        }
        // Nothing of scoped's own after the --: not its flags, not its keys.
        expect(await completeIn(shell, 'scoped run -p billing -- scopedtestcmd --pro', env, prelude)).toEqual([]);
        // A quoted -- is the same --; a child word that starts with - is the child's, not the shell's own flags.
        expect(await completeIn(shell, "scoped run -p billing '--' scopedtestc", env, prelude)).toEqual(['scopedtestcmd']);
        const dashed = await completeIn(shell, 'scoped run -- --h', env, prelude);
        // (fish falls back to commands that merely contain the text; never to its `complete` builtin's flags.)
        if (shell === 'fish') expect(dashed.filter((c) => c.startsWith('-'))).toEqual([]);
        else expect(dashed).toEqual([]);
        expect(await completeIn(shell, 'scoped run --only=API_TOKEN -- scopedtestc', env, prelude)).toEqual(['scopedtestcmd']);
      });
    }
  });
}

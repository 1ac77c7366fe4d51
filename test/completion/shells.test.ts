import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';
import { completeIn, describeShell, installWrapper, type ShellName } from './shell-harness.js';

let sb: Sandbox;
let env: Record<string, string>;

beforeAll(async () => {
  sb = sandbox();
  const seed: string[][] = [
    ['DB_PASSWORD'],
    ['API_TOKEN', '--project', 'billing'],
    ['BILLING_URL', '--project', 'billing'],
    ['TOKEN', '--project', 'web', '--domain', 'prod'],
  ];
  for (const args of seed) expect((await sb.run(['create', 'secret', ...args], { stdin: 'value' })).code).toBe(0);
  const binDir = installWrapper(sb.dir);
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
  ['scoped get secret -o ', ['json', 'table', 'yaml']],
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

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fullProgram } from '../../src/cli/program.js';
import { buildCompleteOptions, runComplete, type CompleteDeps } from '../../src/completion/complete.js';
import { commandSpec } from '../../src/completion/tree.js';
import { sandbox, testIO, type Sandbox } from '../helpers/io.js';

/** The whole command tree (every command module loaded). */
const fullTree = (await fullProgram(testIO(), '0.0.0')).root;

const CANARY = 'canary-value-must-never-show';
let sb: Sandbox;

/** `scoped __complete <shell> -- <words>` through main, with injected I/O, on the sandbox's local store. */
async function complete(line: string, o: { shell?: string; env?: Record<string, string> } = {}): Promise<string[]> {
  const r = await sb.run(['__complete', o.shell ?? 'bash', '--', ...line.split(' ')], { env: o.env });
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  expect(r.stdout).not.toContain(CANARY);
  return r.stdout.split('\n').filter(Boolean);
}

beforeAll(async () => {
  sb = sandbox({ SCOPED_LOCAL_KEY: Buffer.alloc(32, 7).toString('base64') });
  const seed: string[][] = [
    ['DB_PASSWORD'],
    ['API_TOKEN', '--project', 'billing'],
    ['BILLING_URL', '--project', 'billing'],
    ['TOKEN', '--project', 'web', '--domain', 'prod'],
    ['DB_PASSWORD', '--domain', 'prod'],
    ['OLD', '--project', 'web'],
    ['ELSEWHERE', '--org', 'other', '--project', 'other-project'],
  ];
  for (const args of seed) expect((await sb.run(['create', 'secret', ...args], { stdin: CANARY })).code).toBe(0);
  expect((await sb.run(['delete', 'secret', 'OLD', '--project', 'web', '--yes'])).code).toBe(0);
});
afterAll(() => sb.cleanup());

describe('__complete through main', () => {
  it('commands, flags and choices', async () => {
    expect(await complete('cr')).toEqual(['create']);
    expect(await complete('create ')).toEqual(['secret']);
    expect(await complete('get secret --pro')).toEqual(['--project', '--profile']);
    expect(await complete('get secret -o ')).toEqual(['table', 'json', 'yaml', 'markdown']);
    expect(await complete('get secret --output = y')).toEqual(['yaml']);
    expect(await complete('--vers')).toEqual(['--version']);
    expect(await complete('get secret --project "billing" B')).toEqual(['BILLING_URL']);
  });

  it("run's command: where it starts among the words as the script passed them", async () => {
    expect(await complete('run -p billing ')).toEqual(['--']);
    for (const shell of ['bash', 'zsh', 'fish']) expect(await complete('run -p billing -- ec', { shell })).toEqual([':command 4']);
    // bash passes a quoted -- as typed, and splits at = (--only=A is three words there).
    expect(await complete("run --only = A '--' env X = 1 ")).toEqual([':command 5']);
    expect(await complete('run --only=A -- env X=1 ', { shell: 'zsh' })).toEqual([':command 3']);
  });

  it('descriptions for zsh and fish', async () => {
    expect(await complete('cr', { shell: 'zsh' })).toEqual([expect.stringMatching(/^create\t\S/)]);
    expect(await complete('get secret --proj', { shell: 'fish' })).toEqual([expect.stringMatching(/^--project\tproject /)]);
  });

  it('projects and domains present in the org, not other orgs, not only-deleted ones', async () => {
    expect(await complete('get secret --project ')).toEqual(['billing', 'web']);
    expect(await complete('get secret --project b')).toEqual(['billing']);
    expect(await complete('resolve --domain ')).toEqual(['prod']);
    expect(await complete('--org other get secret --project ')).toEqual(['other-project']);
    expect(await complete('get secret --project ', { env: { SCOPED_ORG: 'other' } })).toEqual(['other-project']);
  });

  it('deployments for diff and check: every live project with every live domain, less those on the line', async () => {
    // billing has secrets at project scope only, web at web/prod; prod is the one domain: both pair with it.
    expect(await complete('diff ')).toEqual(['billing/prod', 'web/prod']);
    expect(await complete('diff billing/prod ')).toEqual(['web/prod']);
    expect(await complete('check --deployment w')).toEqual(['web/prod']);
    expect(await complete('check --deployment = b')).toEqual(['billing/prod']);
    expect(await complete('diff ', { shell: 'fish' })).toEqual(['billing/prod', 'web/prod']);
    expect(await complete('--org other diff ')).toEqual([]);
  });

  it('KEY: exactly the keys at the scope on the line', async () => {
    expect(await complete('get secret ')).toEqual(['DB_PASSWORD']);
    expect(await complete('get secret --project billing ')).toEqual(['API_TOKEN', 'BILLING_URL']);
    expect(await complete('get secret --project billing B')).toEqual(['BILLING_URL']);
    expect(await complete('delete secret --project web --domain prod ')).toEqual(['TOKEN']);
    expect(await complete('update secret --domain prod ')).toEqual(['DB_PASSWORD']);
    expect(await complete('get secret --project web ')).toEqual([]);
  });

  it('KEY for restore: the deleted ones; for create: keys elsewhere in the org', async () => {
    expect(await complete('restore secret --project web ')).toEqual(['OLD']);
    expect(await complete('create secret --project billing ', { shell: 'fish' })).toEqual(['DB_PASSWORD\texists at org; domain prod', 'TOKEN\texists at project web, domain prod']);
  });

  it('KEY for a deployment command: the resolved keys, with SCOPED_PROJECT / SCOPED_DOMAIN too', async () => {
    expect(await complete('resolve --project web --domain prod ', { shell: 'fish' })).toEqual(['DB_PASSWORD\tfrom domain prod', 'TOKEN\tfrom project web, domain prod']);
    expect(await complete('resolve ', { env: { SCOPED_PROJECT: 'billing' } })).toEqual(['API_TOKEN', 'BILLING_URL', 'DB_PASSWORD']);
    expect(await complete('resolve --project billing API_TOKEN ')).toEqual(['BILLING_URL', 'DB_PASSWORD']);
  });

  it('is hidden from --help', async () => {
    const r = await sb.run(['--help']);
    expect(r.stdout).toContain('completion');
    expect(r.stdout).not.toContain('__complete');
  });
});

describe('errors print nothing and exit 0', () => {
  it.each([
    ['an unknown mode', ['__complete', 'tcsh', '--', 'cr']],
    ['no arguments', ['__complete']],
    ['flags where words belong', ['__complete', '--help']],
  ])('%s', async (_what, argv) => {
    expect(await sb.run(argv)).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('an invalid setting or a corrupt store', async () => {
    expect(await complete('get secret --project ', { env: { SCOPED_BACKEND: 'nope' } })).toEqual([]);
    expect(await complete('--org Bad get secret --project ')).toEqual([]);
    const broken = sandbox();
    try {
      writeFileSync(join(broken.home, '..', 'store.json'), '');
      const r = await broken.run(['__complete', 'bash', '--', 'get', 'secret', '--project', ''], { env: { SCOPED_HOME: broken.dir } });
      expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    } finally {
      broken.cleanup();
    }
  });
});

describe('the time budget', () => {
  const root = fullTree;
  const deps = (over: Partial<CompleteDeps>): CompleteDeps => ({
    env: { SCOPED_HOME: sb.home },
    cwd: sb.dir,
    now: () => Date.now(),
    budgetMs: 100,
    listNames: () => Promise.resolve({ names: ['scoped/default/p1/_/K'], deleted: [] }),
    startRefresh: () => undefined,
    ...over,
  });
  const run = async (d: CompleteDeps, words: string[]) => {
    const io = testIO();
    const started = Date.now();
    await runComplete(io, commandSpec(root), buildCompleteOptions(['bash', ...words]), d);
    return { out: io.stdout.text, ms: Date.now() - started };
  };

  it('a store that answers in time', async () => {
    expect((await run(deps({}), ['get', 'secret', '--project', ''])).out).toBe('p1\n');
  });

  it('a store that hangs: nothing, once the budget is spent', async () => {
    const r = await run(deps({ listNames: () => new Promise(() => undefined) }), ['get', 'secret', '--project', '']);
    expect(r.out).toBe('');
    expect(r.ms).toBeGreaterThanOrEqual(90);
    expect(r.ms).toBeLessThan(1_000);
  });

  it('commands and flags never ask the store', async () => {
    let calls = 0;
    const d = deps({ listNames: () => (calls++, Promise.reject(new Error('store touched'))) });
    expect((await run(d, ['get', 'secret', '--pro'])).out).toBe('--project\n--profile\n');
    expect((await run(d, ['cr'])).out).toBe('create\n');
    expect((await run(d, ['get', 'secret', '-o', ''])).out).toBe('table\njson\nyaml\nmarkdown\n');
    expect(calls).toBe(0);
    expect((await run(d, ['get', 'secret', '--project', ''])).out).toBe('');
    expect(calls).toBe(1);
  });
});

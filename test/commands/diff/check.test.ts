import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalStore } from '../../../src/store/local/local-store.js';
import { sandbox, type Sandbox } from '../../helpers/io.js';
import { seed } from '../../helpers/seed.js';
import type { CheckJson } from '../../../src/diff/check.js';

const CANARY = 'canary-51d0e2-never-printed';

describe('check through main, against a local store', () => {
  let sb: Sandbox;
  afterEach(() => sb?.cleanup());

  async function world(config = 'required: [DB_URL, API_TOKEN]\ndeployments: [billing/staging, billing/production, search/production]\n'): Promise<void> {
    sb = sandbox();
    writeFileSync(join(sb.dir, '.scoped.yaml'), config);
    await seed(sb, { API_TOKEN: CANARY });
    await seed(sb, { DB_URL: CANARY }, ['-p', 'billing']);
  }

  it('lists each missing key per deployment, exits 3 with one line; stdout holds the report', async () => {
    await world();
    const r = await sb.run(['check']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('search/production\tDB_URL\tmissing\n');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('check failed: 1 problem in 1 of 3 deployments (1 missing); create it, e.g.: scoped create secret DB_URL -p search -d production');
  });

  it('all present: exit 0, nothing on stdout, a line on stderr', async () => {
    await world();
    await seed(sb, { DB_URL: 'x' }, ['-p', 'search', '-d', 'production']);
    const r = await sb.run(['check']);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toContain('3 deployments resolve all 2 required keys');
    const json = await sb.run(['check', '-o', 'json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, deployments: [{ ok: true }, { ok: true }, { ok: true }] });
  });

  it("--deployment and --require replace the config file's lists", async () => {
    await world();
    expect((await sb.run(['check', '--deployment', 'billing/staging'])).code).toBe(0);
    const r = await sb.run(['check', '--deployment', 'billing/dev', '--require', 'API_TOKEN', '--require', 'OTHER']);
    expect(r).toMatchObject({ code: 3, stdout: 'billing/dev\tOTHER\tmissing\n' });
    // The same value twice on the line is refused, as for every repeatable flag (test/commands/flags/messages-flags.test.ts).
    expect((await sb.run(['check', '--deployment', 'billing/dev', '--require', 'OTHER', '--require', 'OTHER'])).code).toBe(2);
    // Listed twice in the file: refused the same way (test/config/check-lists-repeats.test.ts).
    writeFileSync(join(sb.dir, '.scoped.yaml'), 'required: [X, X]\ndeployments: [a/b, a/b]\n');
    expect(await sb.run(['check'])).toMatchObject({ code: 2, stdout: '' });
  });

  it('binary values and blank values are problems too; a terminal gets words; values never shown', async () => {
    await world();
    await seed(sb, { API_TOKEN: ' \n ' }, ['-p', 'billing', '-d', 'staging']);
    await seed(sb, { API_TOKEN: Buffer.from([0, 159, 146, 150]) }, ['-p', 'billing', '-d', 'production']);
    const r = await sb.run(['check', '--no-color'], { tty: true });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/billing\/staging\s+│?\s*API_TOKEN\s+│?\s*empty: only whitespace/);
    expect(r.stdout).toMatch(/billing\/production\s+│?\s*API_TOKEN\s+│?\s*binary: cannot be an environment variable/);
    expect(r.stdout).toMatch(/search\/production\s+│?\s*DB_URL\s+│?\s*missing/);
    expect(r.stderr).toContain('3 problems in 3 of 3 deployments (1 missing, 1 binary, 1 empty)');
    const piped = await sb.run(['check', '--debug']);
    expect(piped.stdout).toBe('billing/staging\tAPI_TOKEN\tempty\nbilling/production\tAPI_TOKEN\tbinary\nsearch/production\tDB_URL\tmissing\n');
    expect(piped.stdout + piped.stderr + r.stdout + r.stderr).not.toContain('canary');
  });

  it('-o json: every deployment and key with its winner and problem', async () => {
    await world();
    const r = await sb.run(['check', '-o', 'json', '--debug']);
    expect(r.code).toBe(3);
    const json = JSON.parse(r.stdout) as CheckJson;
    expect(json.ok).toBe(false);
    expect(json.required).toEqual(['DB_URL', 'API_TOKEN']);
    expect(json.deployments.map((d) => [d.deployment, d.ok])).toEqual([
      ['billing/staging', true],
      ['billing/production', true],
      ['search/production', false],
    ]);
    expect(json.deployments[2]?.keys).toEqual([
      { key: 'DB_URL', scope: null, name: null, problem: 'missing' },
      { key: 'API_TOKEN', scope: 'org', name: 'scoped/default/_/_/API_TOKEN', problem: null },
    ]);
    expect(r.stdout + r.stderr).not.toContain('canary');
  });

  it('reads each shared secret once for all deployments', async () => {
    await world();
    const store = new LocalStore({ home: sb.home, log: { debug: () => undefined } });
    const names: string[][] = [];
    const real = store.getValues.bind(store);
    store.getValues = async (n) => {
      names.push([...n]);
      return real(n);
    };
    const { readCandidates, resolveMany } = await import('../../../src/service/deployment.js');
    const ds = ['staging', 'production'].map((domain) => ({ org: 'default', project: 'billing', domain }));
    const winners = (await resolveMany(store, 'scoped/', ds)).flat().map((r) => r.winner);
    expect(winners).toHaveLength(4);
    await readCandidates(store, winners);
    expect(names).toEqual([['scoped/default/_/_/API_TOKEN', 'scoped/default/billing/_/DB_URL']]);
  });

  it.each([
    ['deployments: [a/b]\n', [], /check has no required keys; list them under required: in .*\.scoped\.yaml \(or give --require KEY\)/],
    ['required: [A]\n', [], /check has no deployments to check; list them under deployments: in .*\.scoped\.yaml \(or give --deployment PROJECT\/DOMAIN\)/],
    ['', ['--deployment', 'a'], /invalid deployment "a"/],
    ['', ['--require', 'not-a-key'], /invalid key "not-a-key"/],
    ['required: nope\n', [], /required must be a non-empty list of keys/],
  ])('usage errors (%j %j): exit 2, one line, empty stdout', async (config, flags, message) => {
    sb = sandbox();
    if (config) writeFileSync(join(sb.dir, '.scoped.yaml'), config);
    const r = await sb.run(['check', ...flags]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('without any config file: says where to put the lists', async () => {
    sb = sandbox();
    const r = await sb.run(['check']);
    expect(r.stderr).toContain('list them under required: in .scoped.yaml at the root of your repository');
  });
});

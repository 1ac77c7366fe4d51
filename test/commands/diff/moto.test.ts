/**
 * diff and check on the AWS backend against moto, behind the request-counting proxy: the resolver's
 * combinations through main, what each command costs, and the listing strategies measured for docs/aws.md.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { orgPrefix, scopeTags, secretName } from '../../../src/core/naming.js';
import { deploymentScopes, type Scope } from '../../../src/core/scope.js';
import { scopePrefix } from '../../../src/core/naming.js';
import { deploymentsPrefixes } from '../../../src/service/deployment.js';
import type { SecretStore, WriteOp } from '../../../src/store/types.js';
import type { DiffJson } from '../../../src/diff/present.js';
import type { CheckJson } from '../../../src/diff/check.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { sandbox } from '../../helpers/io.js';
import { binSandbox } from '../../helpers/bin.js';
import { awsTestEnv, describeWithMoto, motoStore } from '../../helpers/moto.js';
import { comboWrites, combos } from '../../diff/combos.js';

const CANARY = 'canary-aws-0b7e4d-never-printed';

function creates(org: string, entries: [Scope, string, string | Uint8Array][]): WriteOp[] {
  return entries.map(([scope, key, value]) => ({ kind: 'create', input: { name: secretName('scoped/', { ...scope, org }, key), value, tags: scopeTags({ ...scope, org }, key) } }));
}

async function write(store: SecretStore, ops: WriteOp[]): Promise<void> {
  const r = await store.writeMany(ops);
  expect([...r.errors.keys()]).toEqual([]);
}

/** A measured org: 12 projects x 3 domains, 5 project-domain keys each; project, domain and org keys: 250 secrets. */
function measuredOrg(): WriteOp[] {
  const projects = Array.from({ length: 12 }, (_, i) => `p${i}`);
  const domains = ['dev', 'staging', 'production'];
  const entries: [Scope, string, string][] = [];
  for (const project of projects) {
    for (const domain of domains) for (let k = 0; k < 5; k++) entries.push([{ org: 'm', project, domain }, `PD_${k}`, `${project}/${domain}/${k}`]);
    for (let k = 0; k < 3; k++) entries.push([{ org: 'm', project }, `P_${k}`, `${project}/${k}`]);
  }
  for (const domain of domains) for (let k = 0; k < 4; k++) entries.push([{ org: 'm', domain }, `D_${k}`, `${domain}/${k}`]);
  for (let k = 0; k < 22; k++) entries.push([{ org: 'm' }, `O_${k}`, `o/${k}`]);
  return creates('m', entries);
}

describeWithMoto('diff and check on AWS (moto)', (moto) => {
  let proxy: FaultProxy;
  let store: SecretStore;
  beforeAll(async () => {
    store = await motoStore(moto().endpoint);
    await write(store, comboWrites(combos()));
    await write(store, measuredOrg());
    await write(
      store,
      creates('c', [
        [{ org: 'c' }, 'API_TOKEN', CANARY],
        [{ org: 'c', project: 'billing' }, 'DB_URL', CANARY],
        [{ org: 'c', project: 'billing', domain: 'production' }, 'CERT', new Uint8Array([0, 1, 2])],
        [{ org: 'c', project: 'billing', domain: 'staging' }, 'CERT', CANARY],
      ]),
    );
    proxy = await startFaultProxy(moto().endpoint);
  }, 120_000);
  afterAll(async () => proxy?.close());

  const aws = (org: string) => sandbox({ ...awsTestEnv(proxy.endpoint), SCOPED_BACKEND: 'aws', SCOPED_ORG: org });

  it('every presence combination on each side; one listing, the values read in batches of 20', async () => {
    const sb = aws('acme');
    try {
      proxy.reset();
      const r = await sb.run(['diff', 'billing/staging', 'billing/production', '--all', '-o', 'json']);
      expect(r.code, r.stderr).toBe(0);
      const rows = new Map((JSON.parse(r.stdout) as DiffJson).keys.map((k) => [k.key, k]));
      for (const c of combos()) {
        const row = rows.get(c.key);
        expect([c.key, row?.status, row?.in['billing/staging']?.scope ?? null, row?.in['billing/production']?.scope ?? null]).toEqual([c.key, c.status, c.a, c.b]);
      }
      // Read: the rows where two different secrets win, each once; listed: every combination's secret (all six scopes).
      const read = combos().filter((c) => c.mustRead).length * 2;
      const listed = comboWrites(combos()).length;
      expect([...proxy.counts.keys()].sort()).toEqual(['BatchGetSecretValue', 'ListSecrets']);
      expect(proxy.counts.get('ListSecrets')).toBe(Math.ceil(listed / 100));
      expect(proxy.counts.get('BatchGetSecretValue')).toBe(Math.ceil(read / 20));
    } finally {
      sb.cleanup();
    }
  });

  it('diff and check never print a value, in any format or with --debug; binary compared on AWS', async () => {
    const sb = aws('c');
    try {
      for (const extra of [[], ['-o', 'json'], ['--all', '--debug'], ['-o', 'yaml', '--debug']]) {
        const r = await sb.run(['diff', 'billing/staging', 'billing/production', 'search/dev', ...extra]);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout + r.stderr).not.toContain('canary');
      }
      const two = await sb.run(['diff', 'billing/staging', 'billing/production', '--exit-code']);
      expect(two).toMatchObject({ code: 1, stdout: 'CERT\tproject-domain\tproject-domain\tdiffer\n' });
      proxy.reset();
      const check = await sb.run([
        'check',
        '-o',
        'json',
        '--debug',
        '--require',
        'API_TOKEN',
        '--require',
        'DB_URL',
        '--require',
        'CERT',
        '--deployment',
        'billing/staging',
        '--deployment',
        'billing/production',
        '--deployment',
        'search/dev',
      ]);
      expect(check.code).toBe(3);
      expect(check.stdout + check.stderr).not.toContain('canary');
      const json = JSON.parse(check.stdout) as CheckJson;
      expect(json.deployments.map((d) => d.keys.map((k) => k.problem))).toEqual([
        [null, null, null],
        [null, null, 'binary'],
        [null, 'missing', 'missing'],
      ]);
      // One listing chain for the three deployments; one batch for the four distinct secrets.
      expect(Object.fromEntries(proxy.counts)).toEqual({ ListSecrets: 1, BatchGetSecretValue: 1 });
    } finally {
      sb.cleanup();
    }
  });

  it('errors keep their codes, --exit-code or not, and leave stdout empty', async () => {
    const sb = aws('c');
    try {
      proxy.reset();
      proxy.inject({ kind: 'error', status: 400, type: 'AccessDeniedException', message: 'not allowed' }, { ops: ['ListSecrets'] });
      const denied = await sb.run(['diff', 'billing/staging', 'billing/production', '--exit-code']);
      expect(denied).toMatchObject({ code: 5, stdout: '' });
      proxy.reset();
      // The batched read refused: an access error (5), not a check failure (3), and no report.
      proxy.inject({ kind: 'error', status: 400, type: 'DecryptionFailure', message: 'kms says no' }, { ops: ['BatchGetSecretValue'] });
      const failed = await sb.run(['check', '--require', 'CERT', '--deployment', 'billing/staging', '--deployment', 'billing/production']);
      expect(failed.code).toBe(5);
      expect(failed.stderr).toMatch(/cannot decrypt/);
      expect(failed.stdout).toBe('');
      expect(failed.stderr.trim().split('\n')).toHaveLength(1);
      expect(failed.stderr).not.toContain('canary');
    } finally {
      proxy.reset();
      sb.cleanup();
    }
  });

  it('the built binary on AWS: diff --exit-code 1, check exit 3, no value anywhere', () => {
    const bin = binSandbox();
    try {
      // moto itself: spawnSync blocks this process, and with it the proxy.
      const env = { ...awsTestEnv(moto().endpoint), SCOPED_BACKEND: 'aws', SCOPED_ORG: 'c' };
      const diff = bin.run(['diff', 'billing/staging', 'billing/production', 'search/dev', '--exit-code', '--debug'], { env });
      expect(diff.code, diff.stderr).toBe(1);
      expect(diff.stdout).toBe('CERT\tpd:a\tpd:b\t-\nDB_URL\tp:a\tp:a\t-\n');
      const check = bin.run(['check', '--require', 'DB_URL', '--deployment', 'billing/dev', '--deployment', 'search/dev'], { env });
      expect(check).toMatchObject({ code: 3, stdout: 'search/dev\tDB_URL\tmissing\n' });
      expect(diff.stdout + diff.stderr + check.stdout + check.stderr).not.toContain('canary');
    } finally {
      bin.cleanup();
    }
  });

  it('listing strategies measured (docs/aws.md "What diff and check cost")', async () => {
    const s = await motoStore(proxy.endpoint);
    const d = (address: string): Scope => {
      const [project, domain] = address.split('/');
      return { org: 'm', project, domain };
    };
    const scenarios: Record<string, Scope[]> = {
      'p0/staging p0/production': ['p0/staging', 'p0/production'].map(d),
      'p0 in dev, staging, production': ['p0/dev', 'p0/staging', 'p0/production'].map(d),
      'p0/dev p1/staging p2/production p3/dev': ['p0/dev', 'p1/staging', 'p2/production', 'p3/dev'].map(d),
      'p0..p7 in production': Array.from({ length: 8 }, (_, i) => d(`p${i}/production`)),
    };
    const count = async (work: () => Promise<unknown>): Promise<number> => {
      proxy.reset();
      await work();
      return proxy.counts.get('ListSecrets') ?? 0;
    };
    const figures: Record<string, { each: number; union: number; org: number }> = {};
    for (const [name, ds] of Object.entries(scenarios)) {
      figures[name] = {
        each: await count(async () => {
          for (const x of ds) await s.listNames(deploymentScopes(x).map((sc) => scopePrefix('scoped/', sc)));
        }),
        union: await count(() => s.listNames(deploymentsPrefixes('scoped/', ds))),
        org: await count(() => s.listNames([orgPrefix('scoped/', 'm')])),
      };
    }
    // ListSecrets requests for an org of 250 secrets (12 projects x 3 domains); docs/aws.md quotes these.
    expect(figures).toEqual({
      'p0/staging p0/production': { each: 2, union: 1, org: 3 },
      'p0 in dev, staging, production': { each: 3, union: 1, org: 3 },
      'p0/dev p1/staging p2/production p3/dev': { each: 4, union: 2, org: 3 },
      'p0..p7 in production': { each: 8, union: 2, org: 3 },
    });
  });
});

/**
 * `scoped refs` on the AWS backend (moto, behind the request-counting proxy): every format, --pinned,
 * --expand, --only, --exclude; full ARNs; never a value; at most resolve's requests; and every reference
 * dereferenced as its platform does (ARN, JSON field, version id) gives exactly what `scoped export` gives,
 * for a deployment over all four scopes with a JSON secret and a pin. Readers we did not write check the
 * output: the AWS CLI's ECS, the External Secrets Operator's CRD schema, PyYAML.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import { parse as parseYaml } from 'yaml';
import { scopeTags, secretName } from '../../../src/core/naming.js';
import type { Scope } from '../../../src/core/scope.js';
import type { SecretStore } from '../../../src/store/types.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { isCI } from '../../helpers/ci.js';
import { sandbox, type Sandbox } from '../../helpers/io.js';
import { awsTestEnv, describeWithMoto, motoStore } from '../../helpers/moto.js';

const CANARY = 'canary-refs-7f3a-never-printed';
/** The AWS CLI as Debian installs it (scripts/install-test-tools.sh). */
const AWS_CLI = '/usr/bin/aws';
const KMS_KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const D: Scope = { org: 'acme', project: 'billing', domain: 'production' };
const DB_JSON = JSON.stringify({ host: 'db.internal', user: 'app', password: `${CANARY}-db`, 'dotted.name': 'x.y' });

/** Four scopes: org, domain, project and project-domain winners, a shadowed value, a look-alike name. */
const SEED: [Scope, string, string, string?][] = [
  [{ org: 'acme' }, 'LOG_LEVEL', 'info'],
  [{ org: 'acme' }, 'API_URL', 'https://org.example'],
  [{ org: 'acme', domain: 'production' }, 'API_URL', 'https://prod.example'],
  [{ org: 'acme', domain: 'production' }, 'SENTRY_DSN', `${CANARY}-sentry`],
  [{ org: 'acme', project: 'billing' }, 'DB', DB_JSON],
  [{ org: 'acme', project: 'billing' }, 'STRIPE_KEY', `${CANARY}-stripe-project`],
  [{ org: 'acme', project: 'billing', domain: 'production' }, 'STRIPE_KEY', `${CANARY}-stripe\nsecond line`, KMS_KEY],
  [{ org: 'acme', project: 'billing', domain: 'production' }, 'STRIPE_KEY_OLD', `${CANARY}-look-alike`],
];

/** What a platform does with a reference: GetSecretValue by ARN (and version), then the JSON field. */
async function dereference(
  client: SecretsManagerClient,
  arn: string,
  o: { versionId?: string | undefined; stage?: string | undefined; field?: string | undefined },
): Promise<string> {
  const out = await client.send(new GetSecretValueCommand({ SecretId: arn, VersionId: o.versionId || undefined, VersionStage: o.stage || undefined }));
  const text = out.SecretString as string;
  if (!o.field) return text;
  const v = (JSON.parse(text) as Record<string, unknown>)[o.field];
  if (typeof v !== 'string') throw new Error(`field ${o.field} is not a string`);
  return v;
}

/** ECS's valueFrom: ARN alone, or ARN:json-key:version-stage:version-id (the ARN itself has 7 parts). */
function ecsParts(valueFrom: string): { arn: string; field?: string; stage?: string; versionId?: string } {
  const parts = valueFrom.split(':');
  const arn = parts.slice(0, 7).join(':');
  if (parts.length === 7) return { arn };
  const [field, stage, versionId] = parts.slice(7);
  return { arn, field, stage, versionId };
}

describeWithMoto('scoped refs on AWS (moto)', (moto) => {
  let proxy: FaultProxy;
  let store: SecretStore;
  let client: SecretsManagerClient;
  let sb: Sandbox;
  const arns = new Map<string, string>();
  beforeAll(async () => {
    await moto().reset();
    store = await motoStore(moto().endpoint);
    for (const [scope, key, value, kmsKeyId] of SEED) {
      const name = secretName('scoped/', scope, key);
      await store.create({ name, value, tags: scopeTags(scope, key), kmsKeyId });
      arns.set(`${scope.project ?? '_'}/${scope.domain ?? '_'}/${key}`, (await store.describe(name)).arn as string);
    }
    proxy = await startFaultProxy(moto().endpoint);
    client = new SecretsManagerClient({ endpoint: moto().endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    sb = sandbox({ ...awsTestEnv(proxy.endpoint), SCOPED_BACKEND: 'aws', SCOPED_ORG: 'acme', SCOPED_PROJECT: 'billing', SCOPED_DOMAIN: 'production' });
  }, 60_000);
  afterAll(async () => {
    sb?.cleanup();
    await proxy?.close();
  });

  const run = async (argv: string[]) => {
    const r = await sb.run(argv);
    expect(r.stdout + r.stderr).not.toContain(CANARY);
    return r;
  };
  const ok = async (argv: string[]) => {
    const r = await run(argv);
    expect(r.code, r.stderr).toBe(0);
    return r.stdout;
  };
  const exported = async (extra: string[] = []) => JSON.parse(await sb.run(['export', '--format', 'json', ...extra]).then((r) => r.stdout)) as Record<string, string>;

  it('json: each winner by its full ARN (random suffix included), its scope, no look-alike, no value', async () => {
    const refs = JSON.parse(await ok(['refs', '--format', 'json', '--debug'])) as Record<string, { arn: string; name: string; scope: string; versionId: null; field: null }>;
    expect(Object.keys(refs)).toEqual(['API_URL', 'DB', 'LOG_LEVEL', 'SENTRY_DSN', 'STRIPE_KEY', 'STRIPE_KEY_OLD']);
    expect(refs.API_URL).toMatchObject({ arn: arns.get('_/production/API_URL'), scope: 'domain', versionId: null, field: null });
    expect(refs.LOG_LEVEL?.scope).toBe('org');
    expect(refs.DB?.scope).toBe('project');
    expect(refs.STRIPE_KEY).toMatchObject({ arn: arns.get('billing/production/STRIPE_KEY'), name: 'scoped/acme/billing/production/STRIPE_KEY', scope: 'project-domain' });
    for (const r of Object.values(refs)) expect(r.arn).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:scoped\/acme\/.+-[A-Za-z0-9]{6}$/);
  });

  it('sends at most what resolve sends, in every format (one ListSecrets chain, no value read)', async () => {
    proxy.reset();
    await ok(['resolve']);
    const resolveCounts = Object.fromEntries(proxy.counts);
    expect(resolveCounts).toEqual({ ListSecrets: 1 });
    for (const format of ['ecs', 'external-secret', 'secret-provider-class', 'flyte', 'json']) {
      proxy.reset();
      await ok(['refs', '--format', format, ...(format === 'external-secret' ? ['--store', 'aws'] : [])]);
      expect([format, Object.fromEntries(proxy.counts)]).toEqual([format, resolveCounts]);
    }
  });

  it('a 100-key deployment (125 secrets listed, two pages): every format sends at most what resolve sends (pinned: and one DescribeSecret per key)', async () => {
    const scopes: Scope[] = [{ org: 'big' }, { org: 'big', domain: 'prod' }, { org: 'big', project: 'web' }, { org: 'big', project: 'web', domain: 'prod' }];
    const ops = Array.from({ length: 125 }, (_, i) => {
      // 100 distinct keys, 25 per scope; 25 more, at wider scopes, that the project-domain keys shadow.
      const scope = i < 100 ? (scopes[i % 4] as Scope) : (scopes[i % 3] as Scope);
      const key = `K${String(i < 100 ? i : (i - 100) * 4 + 3).padStart(3, '0')}`;
      return { kind: 'create' as const, input: { name: secretName('scoped/', scope, key), value: `v${i}`, tags: scopeTags(scope, key) } };
    });
    expect([...(await store.writeMany(ops)).errors.keys()]).toEqual([]);
    const big = sandbox({ ...awsTestEnv(proxy.endpoint), SCOPED_BACKEND: 'aws', SCOPED_ORG: 'big', SCOPED_PROJECT: 'web', SCOPED_DOMAIN: 'prod' });
    try {
      proxy.reset();
      const resolved = await big.run(['resolve', '-o', 'json']);
      expect(JSON.parse(resolved.stdout)).toHaveLength(100);
      const budget = Object.fromEntries(proxy.counts);
      expect(budget).toEqual({ ListSecrets: 2 });
      writeFileSync(join(big.dir, 'pin.json'), (await big.run(['pin', '--out', '-'])).stdout);
      for (const extra of [[], ['--pinned', 'pin.json']]) {
        for (const format of ['ecs', 'external-secret', 'secret-provider-class', 'flyte', 'json']) {
          if (format === 'flyte' && extra.length > 0) continue;
          proxy.reset();
          const r = await big.run(['refs', '--format', format, ...(format === 'external-secret' ? ['--store', 'aws'] : []), ...extra]);
          expect(r.code, r.stderr).toBe(0);
          // --pinned also checks each pinned version still exists: one DescribeSecret per key (test/commands/refs/pinned-versions-moto.test.ts).
          const want = extra.length > 0 ? { ...budget, DescribeSecret: 100 } : budget;
          expect([format, ...extra, Object.fromEntries(proxy.counts)]).toEqual([format, ...extra, want]);
        }
      }
      expect(Object.keys(JSON.parse((await big.run(['refs'])).stdout) as object)).toHaveLength(100);
      // policy --runtime: the same one listing; 100 ARNs outgrow a managed policy, which it says (and still prints).
      proxy.reset();
      const policy = await big.run(['policy', '--runtime']);
      expect([policy.code, Object.fromEntries(proxy.counts)]).toEqual([0, budget]);
      expect((JSON.parse(policy.stdout) as { Statement: { Resource: string[] }[] }).Statement[0]?.Resource).toHaveLength(100);
      expect(policy.stderr).toMatch(/warning: the policy is \d+ characters: IAM takes at most 6144 in a managed policy and 10240 inline in a role/);
      const few = await big.run(['policy', '--runtime', '--only', 'K000', '--only', 'K001']);
      expect([few.code, few.stderr]).not.toContainEqual(expect.stringMatching(/characters/));
    } finally {
      big.cleanup();
    }
  }, 120_000);

  it("ecs: dereferenced as ECS does, gives exactly export's values; the AWS CLI registers the task definition", async () => {
    const secrets = JSON.parse(await ok(['refs', '--format', 'ecs', '--expand', 'DB', '--exclude', 'STRIPE_KEY_OLD', '--debug'])) as { name: string; valueFrom: string }[];
    const want = await exported(['--expand', 'DB', '--exclude', 'STRIPE_KEY_OLD']);
    expect(secrets.map((s) => s.name).sort()).toEqual(Object.keys(want).sort());
    expect(secrets.find((s) => s.name === 'DB_HOST')?.valueFrom).toBe(`${arns.get('billing/_/DB')}:host::`);
    const got: Record<string, string> = {};
    for (const s of secrets) {
      const p = ecsParts(s.valueFrom);
      got[s.name] = await dereference(client, p.arn, p);
    }
    expect(got).toEqual(want);
    if (!existsSync(AWS_CLI)) {
      // scripts/install-test-tools.sh installs it (CI runs it); without it, say so loudly, or fail under CI.
      if (isCI()) throw new Error(`${AWS_CLI} is required under CI: run scripts/install-test-tools.sh`);
      console.warn(`!! SKIPPING the AWS CLI's reading of refs --format ecs: ${AWS_CLI} is missing (scripts/install-test-tools.sh installs it)`);
      return;
    }
    const cli = spawnSync(
      AWS_CLI,
      [
        'ecs',
        'register-task-definition',
        '--endpoint-url',
        moto().endpoint,
        '--family',
        'billing',
        '--container-definitions',
        JSON.stringify([{ name: 'app', image: 'busybox', memory: 128, secrets }]),
        '--output',
        'json',
      ],
      {
        encoding: 'utf8',
        env: { ...awsTestEnv(moto().endpoint), PATH: process.env.PATH ?? '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', HOME: sb.dir },
      },
    );
    expect(cli.status, cli.stderr).toBe(0);
    const registered = JSON.parse(cli.stdout) as { taskDefinition: { containerDefinitions: { secrets: unknown }[] } };
    expect(registered.taskDefinition.containerDefinitions[0]?.secrets).toEqual(secrets);
  });

  it("--pinned: every format references the pinned versions, which dereference to export --pinned's bytes after the values moved on", async () => {
    writeFileSync(join(sb.dir, 'pin.json'), await ok(['pin', '--out', '-']));
    const pinnedWant = await exported(['--pinned', 'pin.json', '--expand', 'DB']);
    // The current values move on: the references must still give the pinned ones.
    await store.putValue(secretName('scoped/', D, 'STRIPE_KEY'), `${CANARY}-rotated`);
    await store.putValue(
      secretName('scoped/', { org: 'acme', project: 'billing' }, 'DB'),
      JSON.stringify({ host: 'new', user: 'new', password: `${CANARY}-new`, 'dotted.name': 'z' }),
    );
    expect(await exported(['--pinned', 'pin.json', '--expand', 'DB'])).toEqual(pinnedWant);
    // ecs
    const ecs = JSON.parse(await ok(['refs', '--format', 'ecs', '--pinned', 'pin.json', '--expand', 'DB'])) as { name: string; valueFrom: string }[];
    const fromEcs: Record<string, string> = {};
    for (const s of ecs) {
      const p = ecsParts(s.valueFrom);
      expect(p.versionId).toMatch(/^[A-Za-z0-9_-]{32,64}$/);
      fromEcs[s.name] = await dereference(client, p.arn, p);
    }
    expect(fromEcs).toEqual(pinnedWant);
    // external-secret: key (ARN), property (gjson path), version uuid/<id>
    const es = parseYaml(
      await ok([
        'refs',
        '--format',
        'external-secret',
        '--store',
        'aws-sm',
        '--store-kind',
        'ClusterSecretStore',
        '--pinned',
        'pin.json',
        '--expand',
        'DB',
        '--namespace',
        'billing',
        '--refresh',
        '1h',
      ]),
    ) as {
      spec: { data: { secretKey: string; remoteRef: { key: string; property?: string; version?: string } }[] };
    };
    new ExternalSecret(es as never).validate();
    const fromEso: Record<string, string> = {};
    for (const d of es.spec.data) {
      expect(d.remoteRef.version).toMatch(/^uuid\//);
      const field = d.remoteRef.property?.replace(/\\(.)/g, '$1');
      fromEso[d.secretKey] = await dereference(client, d.remoteRef.key, { versionId: d.remoteRef.version?.slice('uuid/'.length), field });
    }
    expect(fromEso).toEqual(pinnedWant);
    expect(es.spec.data.find((d) => d.secretKey === 'DB_DOTTED_NAME')?.remoteRef.property).toBe('dotted\\.name');
    // secret-provider-class, read by PyYAML (the document, then its objects string)
    const spcText = await ok(['refs', '--format', 'secret-provider-class', '--pinned', 'pin.json', '--expand', 'DB']);
    const py = spawnSync(
      'python3',
      ['-c', 'import sys, json, yaml; d = yaml.safe_load(sys.stdin); print(json.dumps({"doc": d, "objects": yaml.safe_load(d["spec"]["parameters"]["objects"])}))'],
      { input: spcText, encoding: 'utf8' },
    );
    expect(py.status, py.stderr).toBe(0);
    const { doc, objects } = JSON.parse(py.stdout) as {
      doc: { spec: { provider: string; parameters: { region?: string }; secretObjects: { secretName: string; data: { objectName: string; key: string }[] }[] } };
      objects: { objectName: string; objectAlias: string; objectVersion?: string; jmesPath?: { path: string; objectAlias: string }[] }[];
    };
    expect(doc.spec.provider).toBe('aws');
    expect(doc.spec.parameters.region).toBe('us-east-1');
    const files: Record<string, string> = {};
    for (const o of objects) {
      expect(o.objectVersion).toMatch(/^[A-Za-z0-9_-]{32,64}$/);
      files[o.objectAlias] = await dereference(client, o.objectName, { versionId: o.objectVersion });
      for (const j of o.jmesPath ?? [])
        files[j.objectAlias] = await dereference(client, o.objectName, { versionId: o.objectVersion, field: j.path.startsWith('"') ? (JSON.parse(j.path) as string) : j.path });
    }
    const synced = Object.fromEntries((doc.spec.secretObjects[0]?.data ?? []).map((d) => [d.key, files[d.objectName] as string]));
    expect(synced).toEqual(pinnedWant);
    // json
    const json = JSON.parse(await ok(['refs', '--pinned', 'pin.json', '--only', 'STRIPE_KEY'])) as Record<string, { versionId: string; arn: string }>;
    expect(await dereference(client, json.STRIPE_KEY?.arn as string, { versionId: json.STRIPE_KEY?.versionId })).toBe(pinnedWant.STRIPE_KEY);
  });

  it('flyte: group + key is the ARN; dereferenced they give the current values', async () => {
    const flyte = JSON.parse(await ok(['refs', '--format', 'flyte', '--only', 'STRIPE_KEY', '--only', 'LOG_LEVEL=LEVEL'])) as { name: string; group: string; key: string }[];
    expect(flyte.map((f) => f.name)).toEqual(['STRIPE_KEY', 'LEVEL']);
    expect(flyte[0]?.group).toBe('arn:aws:secretsmanager:us-east-1:123456789012:secret:');
    const want = await exported(['--only', 'STRIPE_KEY', '--only', 'LOG_LEVEL=LEVEL']);
    const got: Record<string, string> = {};
    for (const f of flyte) got[f.name] = await dereference(client, f.group + f.key, {});
    expect(got).toEqual(want);
    const pinned = await run(['refs', '--format', 'flyte', '--pinned', 'pin.json']);
    expect([pinned.code, pinned.stdout]).toEqual([2, '']);
    expect(pinned.stderr).toMatch(/--format flyte cannot carry --pinned/);
  });

  it('policy --runtime: GetSecretValue on exactly the referenced ARNs, kms:Decrypt for the customer key, nothing else', async () => {
    const policy = JSON.parse(await ok(['policy', '--runtime', '--exclude', 'STRIPE_KEY_OLD'])) as {
      Statement: { Action: string[]; Resource: string | string[]; Condition?: unknown }[];
    };
    const refs = JSON.parse(await ok(['refs', '--exclude', 'STRIPE_KEY_OLD'])) as Record<string, { arn: string }>;
    expect(policy.Statement.map((s) => s.Action)).toEqual([['secretsmanager:GetSecretValue'], ['kms:Decrypt']]);
    expect(policy.Statement[0]?.Resource).toEqual(
      Object.values(refs)
        .map((r) => r.arn)
        .sort(),
    );
    expect(policy.Statement[1]).toMatchObject({ Resource: [KMS_KEY], Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } } });
    expect(JSON.stringify(policy)).not.toMatch(/ListSecrets|BatchGetSecretValue|DescribeSecret|\*/);
    // Pinned, one key without a customer key: its ARN alone.
    const one = JSON.parse(await ok(['policy', '--runtime', '--pinned', 'pin.json', '--only', 'LOG_LEVEL'])) as { Statement: { Resource: string[] }[] };
    expect(one.Statement).toEqual([{ Sid: 'ScopedRuntimeRead', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [arns.get('_/_/LOG_LEVEL')] }]);
  });

  it('errors: unknown --only key exit 3, non-JSON --expand exit 2, a pinned secret gone exit 3, local backend exit 2 naming --backend aws; stdout empty', async () => {
    const missing = await run(['refs', '--only', 'NOPE']);
    expect([missing.code, missing.stdout]).toEqual([3, '']);
    expect(missing.stderr).toMatch(/key NOPE not visible to/);
    const notJson = await run(['refs', '--expand', 'STRIPE_KEY']);
    expect([notJson.code, notJson.stdout]).toEqual([2, '']);
    expect(notJson.stderr).toMatch(/--expand STRIPE_KEY: its value is not a JSON object/);
    const local = await sb.run(['refs', '--format', 'ecs'], { env: { SCOPED_BACKEND: 'local' } });
    expect([local.code, local.stdout]).toEqual([2, '']);
    expect(local.stderr).toMatch(/--backend aws/);
    // A pinned secret deleted since the pin: named by key and pin file, exit 3 (the platform could not read it).
    await store.delete(secretName('scoped/', D, 'STRIPE_KEY_OLD'), { force: true });
    const gone = await run(['refs', '--pinned', 'pin.json', '--format', 'ecs']);
    expect([gone.code, gone.stdout]).toEqual([3, '']);
    expect(gone.stderr).toMatch(/STRIPE_KEY_OLD at .*: the pinned secret no longer exists, or is scheduled for deletion \(pin file pin.json\)/);
    const localPolicy = await sb.run(['policy', '--runtime'], { env: { SCOPED_BACKEND: 'local' } });
    expect([localPolicy.code, localPolicy.stdout]).toEqual([2, '']);
    expect(localPolicy.stderr).toMatch(/--backend aws/);
  });
});

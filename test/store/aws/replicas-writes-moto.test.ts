/** Replicas and bulk writes through the real SDK over real HTTP against moto, behind the fault proxy. */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { ConflictError, ExitCode, NotFoundError, UnavailableError } from '../../../src/errors.js';
import type { WriteOp } from '../../../src/store/types.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { sandbox } from '../../helpers/io.js';
import { awsTestEnv, describeWithMoto, motoStore } from '../../helpers/moto.js';

const FAST = { connectionTimeout: 1_000, requestTimeout: 2_000 };

describeWithMoto('aws replicas and writeMany on moto', (moto) => {
  let proxy: FaultProxy;
  let run = 0;
  let org: string;
  beforeAll(async () => {
    proxy = await startFaultProxy(moto().endpoint);
  });
  afterAll(async () => proxy?.close());
  beforeEach(() => {
    proxy.reset();
    org = `o${++run}${Date.now().toString(36)}`;
  });
  const name = (key: string) => `scoped/${org}/_/_/${key}`;

  it('a secret with a replica: describe shows it, delete is refused naming it, delete with removeReplicas works', async () => {
    const store = await motoStore(proxy.endpoint);
    const n = name('REPLICATED');
    await store.create({ name: n, value: 'v', tags: {}, replicaRegions: ['eu-west-1'] });
    expect((await store.describe(n)).replicas).toEqual([{ region: 'eu-west-1', status: 'InSync' }]);
    const err = (await store.delete(n, { recoveryDays: 7 }).catch((e: unknown) => e)) as ConflictError;
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.reason).toBe('has-replicas');
    expect(err.message).toContain('has replicas in eu-west-1');
    expect((await store.describe(n)).deletedAt).toBeUndefined();
    await store.delete(n, { recoveryDays: 7, removeReplicas: true });
    const after = await store.describe(n);
    expect(after.deletedAt).toBeInstanceOf(Date);
    expect(after.replicas).toEqual([]);
    expect(proxy.counts.get('RemoveRegionsFromReplication')).toBe(1);
  });

  it('a secret made without a value (another tool): read alone or in a batch, it is named as having none', async () => {
    const store = await motoStore(proxy.endpoint);
    const empty = name('EMPTY');
    await fetch(proxy.endpoint, {
      method: 'POST',
      headers: {
        'x-amz-target': 'secretsmanager.CreateSecret',
        'content-type': 'application/x-amz-json-1.1',
        authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/secretsmanager/aws4_request',
      },
      body: JSON.stringify({ Name: empty }),
    });
    await store.create({ name: name('FULL'), value: 'x', tags: {} });
    const alone = (await store.getValue(empty).catch((e: unknown) => e)) as NotFoundError;
    expect(alone).toBeInstanceOf(NotFoundError);
    expect(alone.message).toMatch(/has no current value/);
    const batch = await store.getValues([empty, name('FULL')]);
    expect(batch.values.get(name('FULL'))?.value).toBe('x');
    expect(batch.errors.get(empty)?.message).toMatch(/^secret \S+EMPTY has no current value/);
    // A deployment that sees it fails naming the KEY and its scope (exit 3), and prints no value.
    const sb = sandbox(awsTestEnv(proxy.endpoint));
    try {
      const r = await sb.run(['--backend', 'aws', '--org', org, '--endpoint-url', proxy.endpoint, 'export', '--format', 'json', '--project', 'p', '--domain', 'd']);
      expect(r.code).toBe(ExitCode.notFound);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^scoped: cannot read EMPTY at .*has no current value.*; give it one with `scoped update secret --org \S+ --backend aws --endpoint-url \S+`\n$/);
    } finally {
      sb.cleanup();
    }
  });

  it('writeMany: 40 writes with throttling along the way all land, each reported by name', async () => {
    const store = await motoStore(proxy.endpoint, { timeouts: FAST, random: () => 0, env: { AWS_RETRY_MODE: 'standard' } });
    const ops: WriteOp[] = Array.from({ length: 40 }, (_, i) => ({ kind: 'create', input: { name: name(`K${i}`), value: `v${i}`, tags: {} } }));
    proxy.inject({ kind: 'throttle' }, { ops: ['CreateSecret'], times: 15 });
    const result = await store.writeMany(ops);
    expect(result.errors.size).toBe(0);
    expect(result.written.size).toBe(40);
    expect(proxy.counts.get('CreateSecret')).toBe(55);
    expect((await store.getValue(name('K39'))).value).toBe('v39');
  });

  it('writeMany past the deadline: what was written is reported, every other key fails by name (exit 6)', async () => {
    const store = await motoStore(proxy.endpoint, { timeouts: FAST, timeout: 1.5, random: () => 0, env: { AWS_RETRY_MODE: 'standard' } });
    await store.create({ name: name('OLD'), value: 'old', tags: {} });
    proxy.reset();
    proxy.inject({ kind: 'throttle' }, { ops: ['PutSecretValue'] });
    const result = await store.writeMany([
      { kind: 'create', input: { name: name('NEW'), value: 'n', tags: {} } },
      { kind: 'put', name: name('OLD'), value: 'newer' },
    ]);
    expect([...result.written.keys()]).toEqual([name('NEW')]);
    expect(result.errors.get(name('OLD'))).toBeInstanceOf(UnavailableError);
    expect(result.errors.get(name('OLD'))?.message).toMatch(/PutSecretValue/);
  });
});

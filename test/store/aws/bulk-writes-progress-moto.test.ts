/**
 * DESIGN.md "Bulk writes under throttling": under the default time limit a bulk write (import, copy --all)
 * that keeps completing writes is not stopped, the limit bounding time without progress; an explicit
 * --timeout stays a hard bound on the whole command. And a read throttled for most of its time limit keeps
 * trying until the limit itself. Durations are scaled down: a 2 s limit, writes that take 0.5 s each.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../../src/errors.js';
import { AwsStore } from '../../../src/store/aws/aws-store.js';
import { awsSettings, buildClient, retryPolicy } from '../../../src/store/aws/client.js';
import { Deadline } from '../../../src/store/aws/deadline.js';
import type { WriteOp } from '../../../src/store/types.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { awsConfig, awsTestEnv, describeWithMoto, motoStore } from '../../helpers/moto.js';
import { startRateProxy, type RateProxy } from '../../helpers/rate-proxy.js';

/** A store whose time limit is `seconds` from `source` ('default': as if no --timeout was given). */
async function storeWithLimit(endpoint: string, seconds: number, source: string, random?: () => number): Promise<AwsStore> {
  const config = awsConfig(endpoint, { timeout: { value: seconds, source } });
  const env = awsTestEnv(endpoint, { AWS_RETRY_MODE: 'standard' });
  const settings = awsSettings(config, env);
  const policy = { ...retryPolicy(settings), random };
  const client = await buildClient(settings, { debug: () => undefined }, policy);
  return new AwsStore(client, { debug: () => undefined }, { target: endpoint, region: 'us-east-1', policy });
}

describe('Deadline.progress', () => {
  it('the default limit starts again at each completed write; an explicit one does not', () => {
    let now = 0;
    const byDefault = new Deadline(2, 'default', () => now);
    const explicit = new Deadline(2, 'flag --timeout', () => now);
    now = 1_500;
    byDefault.progress();
    explicit.progress();
    now = 3_000;
    expect(byDefault.expired()).toBe(false);
    expect(byDefault.remaining()).toBe(500);
    expect(explicit.expired()).toBe(true);
    expect(byDefault.exceeded('CreateSecret').message).toBe(
      'Secrets Manager CreateSecret made no progress within the time limit of 2 s (default), counted from the last completed write',
    );
    expect(explicit.exceeded('CreateSecret').message).toBe('Secrets Manager CreateSecret did not finish within the time limit of 2 s (flag --timeout)');
    byDefault.dispose();
    explicit.dispose();
  });
});

describeWithMoto('bulk writes under the default limit and an explicit one', (moto) => {
  let proxy: FaultProxy;
  let n = 0;
  beforeAll(async () => {
    proxy = await startFaultProxy(moto().endpoint);
  });
  afterAll(async () => proxy?.close());
  beforeEach(() => proxy.reset());

  /** One create and nine puts on one name: run in order, 0.5 s each, 5 s in all. */
  const tenSlowWrites = (): { ops: WriteOp[]; name: string } => {
    const name = `scoped/progress${++n}/_/_/K`;
    const ops: WriteOp[] = [{ kind: 'create', input: { name, value: 'v0', tags: {} } }];
    for (let i = 1; i < 10; i++) ops.push({ kind: 'put', name, value: `v${i}` });
    return { ops, name };
  };

  it('a default limit of 2 s, ten writes of 0.5 s each: all written, as each one restarts the limit', async () => {
    const store = await storeWithLimit(proxy.endpoint, 2, 'default');
    const { ops, name } = tenSlowWrites();
    proxy.inject({ kind: 'latency', ms: 500 }, { ops: ['CreateSecret', 'PutSecretValue'] });
    const result = await store.writeMany(ops);
    expect([...result.errors.values()].map((e) => e.message)).toEqual([]);
    expect(result.written.get(name)).toBeDefined();
    expect(proxy.counts.get('PutSecretValue')).toBe(9);
    expect((await store.getValue(name)).value).toBe('v9');
  });

  it('an explicit --timeout 2 stays a hard bound: the later writes fail with the time limit (exit 6)', async () => {
    const store = await storeWithLimit(proxy.endpoint, 2, 'flag --timeout');
    const { ops, name } = tenSlowWrites();
    proxy.inject({ kind: 'latency', ms: 500 }, { ops: ['CreateSecret', 'PutSecretValue'] });
    const result = await store.writeMany(ops);
    const err = result.errors.get(name);
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err?.message).toMatch(/within the time limit of 2 s \(flag --timeout\)/);
    expect(proxy.counts.get('PutSecretValue') ?? 0).toBeLessThan(9);
  });

  it('no progress at all under the default limit: it ends there, saying it counts from the last write', async () => {
    const store = await storeWithLimit(proxy.endpoint, 1, 'default');
    const { ops, name } = tenSlowWrites();
    proxy.inject({ kind: 'latency', ms: 300 }, { ops: ['CreateSecret'] });
    proxy.inject({ kind: 'hang' }, { ops: ['PutSecretValue'] });
    const result = await store.writeMany(ops);
    expect(result.errors.get(name)?.message).toMatch(
      /^Secrets Manager PutSecretValue made no progress within the time limit of 1 s \(default\), counted from the last completed write/,
    );
  });
});

describeWithMoto('many keys under a write quota', (moto) => {
  let rate: RateProxy;
  beforeAll(async () => {
    // 4 writes a second: 16 keys take about 3 s, over the 2 s limit.
    rate = await startRateProxy(moto().endpoint, { CreateSecret: 4, PutSecretValue: 4 });
  });
  afterAll(async () => rate?.close());

  const ops = (tag: string): WriteOp[] => Array.from({ length: 16 }, (_, i) => ({ kind: 'create', input: { name: `scoped/${tag}/_/_/K${i}`, value: 'v', tags: {} } }) as WriteOp);

  it('default limit 2 s: every key written, though throttled along the way', async () => {
    const store = await storeWithLimit(rate.endpoint, 2, 'default', () => 0.05);
    const result = await store.writeMany(ops('quota-default'));
    expect([...result.errors.values()].map((e) => e.message)).toEqual([]);
    expect(result.written.size).toBe(16);
    expect(rate.throttled()).toBeGreaterThan(0);
  });

  it('explicit --timeout 2: some keys fail with the time limit, each named', async () => {
    const store = await storeWithLimit(rate.endpoint, 2, 'flag --timeout', () => 0.05);
    const result = await store.writeMany(ops('quota-explicit'));
    expect(result.errors.size).toBeGreaterThan(0);
    for (const e of result.errors.values()) expect(e.message).toMatch(/time limit of 2 s \(flag --timeout\)/);
  });
});

describeWithMoto('a read throttled for most of its time limit', (moto) => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(moto().endpoint);
  });
  afterAll(async () => proxy?.close());

  it('keeps trying until the limit: the quota lifts at 4 s of 6 and the listing succeeds', async () => {
    // Back-off at its longest (random 1): tries at 0, 1 and 3 s. The next wait (4 s) does not fit in the
    // 3 s left; it used to stop there. Now it waits half of what is left (1.5 s), and tries again at 4.5 s.
    const store = await motoStore(proxy.endpoint, { timeout: 6, random: () => 1, env: { AWS_RETRY_MODE: 'standard' } });
    proxy.reset();
    proxy.inject({ kind: 'throttle' }, { ops: ['ListSecrets'] });
    const lift = setTimeout(() => proxy.reset(), 4_000);
    try {
      const listed = await store.list(['scoped/nothing-here/']).catch((e: unknown) => (e as Error).message);
      expect(listed).toEqual([]);
    } finally {
      clearTimeout(lift);
    }
  });
});

/**
 * The real SDK over real HTTP to moto, through a fault-injecting proxy: retries are seen at the proxy, and
 * exhausted retries give UnavailableError (exit 6) on one line.
 */
import { SecretsManagerClient, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { AccessDeniedError, ExitCode, UnavailableError, type ScopedError } from '../../../src/errors.js';
import type { SecretStore } from '../../../src/store/types.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { sandbox } from '../../helpers/io.js';
import { awsTestEnv, describeWithMoto, freePort, motoStore } from '../../helpers/moto.js';

const N = 'scoped/acme/_/_/API_TOKEN';
const FAST = { connectionTimeout: 1_000, requestTimeout: 1_000 };

describeWithMoto('aws store behind a fault-injecting proxy', (moto) => {
  let proxy: FaultProxy;
  let store: SecretStore;
  let lines: string[];
  beforeAll(async () => {
    proxy = await startFaultProxy(moto().endpoint);
    await (await motoStore(moto().endpoint)).create({ name: N, value: 'tok', tags: {} });
  });
  afterAll(async () => proxy?.close());
  beforeEach(async () => {
    proxy.reset();
    lines = [];
    store = await motoStore(proxy.endpoint, { lines, timeouts: FAST, env: { AWS_MAX_ATTEMPTS: '3' } });
  });
  const failure = async (work: () => Promise<unknown>) => (await work().catch((e: unknown) => e)) as ScopedError;

  it('retries throttling and succeeds', async () => {
    proxy.inject({ kind: 'throttle' }, { ops: ['GetSecretValue'], times: 2 });
    expect((await store.getValue(N)).value).toBe('tok');
    expect(proxy.counts.get('GetSecretValue')).toBe(3);
    expect(lines.at(-1)).toMatch(/^aws GetSecretValue 1 value in \d+ ms \(3 attempts\)$/);
  });

  it('retries 500s and dropped connections', async () => {
    proxy.inject({ kind: 'server-error' }, { ops: ['BatchGetSecretValue'], times: 1 });
    proxy.inject({ kind: 'drop' }, { ops: ['BatchGetSecretValue'], times: 1 });
    expect((await store.getValues([N])).values.get(N)?.value).toBe('tok');
    expect(proxy.counts.get('BatchGetSecretValue')).toBe(3);
  });

  it('added latency below the request timeout only slows things down', async () => {
    proxy.inject({ kind: 'latency', ms: 300 });
    const started = Date.now();
    expect(await store.list(['scoped/acme/'])).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(proxy.total()).toBe(1);
  });

  it('exhausted throttling retries: UnavailableError after AWS_MAX_ATTEMPTS requests', async () => {
    proxy.inject({ kind: 'throttle' });
    const err = await failure(() => store.list(['scoped/acme/']));
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.line()).toBe('Secrets Manager kept throttling ListSecrets (ThrottlingException); try again in a moment, or raise AWS_MAX_ATTEMPTS');
    expect(proxy.counts.get('ListSecrets')).toBe(3);
  });

  it('AWS_MAX_ATTEMPTS changes how often it tries', async () => {
    store = await motoStore(proxy.endpoint, { timeouts: FAST, env: { AWS_MAX_ATTEMPTS: '5' } });
    proxy.inject({ kind: 'server-error' });
    expect(await failure(() => store.describe(N))).toBeInstanceOf(UnavailableError);
    expect(proxy.counts.get('DescribeSecret')).toBe(5);
  });

  it('exhausted retries on 500s, dropped connections and timeouts: UnavailableError', async () => {
    proxy.inject({ kind: 'server-error' }, { times: 3 });
    expect((await failure(() => store.describe(N))).line()).toMatch(/^Secrets Manager failed on DescribeSecret \(InternalServiceError\); try again later$/);
    proxy.reset();
    proxy.inject({ kind: 'drop' }, { times: 3 });
    expect((await failure(() => store.describe(N))).line()).toMatch(/^cannot reach Secrets Manager at http:\/\/127\.0\.0\.1:\d+ \(ECONNRESET on DescribeSecret\)/);
    proxy.reset();
    proxy.inject({ kind: 'latency', ms: 5_000 });
    const started = Date.now();
    const err = await failure(() => store.describe(N));
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.line()).toMatch(/^Secrets Manager at http:\/\/127\.0\.0\.1:\d+ did not answer in time \(ETIMEDOUT on DescribeSecret\)/);
    expect(proxy.counts.get('DescribeSecret')).toBe(3);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('access denied is not retried', async () => {
    proxy.inject({ kind: 'error', status: 400, type: 'AccessDeniedException', message: 'not authorized' });
    const err = await failure(() => store.getValue(N));
    expect(err).toBeInstanceOf(AccessDeniedError);
    expect(proxy.counts.get('GetSecretValue')).toBe(1);
  });

  it('an endpoint nobody listens on fails in seconds', async () => {
    const dead = `http://127.0.0.1:${await freePort()}`;
    const s = await motoStore(dead, { env: { AWS_MAX_ATTEMPTS: '2' } });
    const started = Date.now();
    const err = await failure(() => s.list(['scoped/']));
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.line()).toBe(`cannot reach Secrets Manager at ${dead} (ECONNREFUSED on ListSecrets); check --endpoint-url / --region and the network, then try again`);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('the SDK itself honours AWS_ENDPOINT_URL_SECRETS_MANAGER', async () => {
    const saved = process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
    process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = proxy.endpoint;
    try {
      await new SecretsManagerClient({ region: 'us-east-1' }).send(new ListSecretsCommand({}));
    } finally {
      if (saved === undefined) delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
      else process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = saved;
    }
    expect(proxy.counts.get('ListSecrets')).toBe(1);
  });

  it('the CLI exits 6 with one line on stderr and nothing on stdout', async () => {
    proxy.inject({ kind: 'throttle' });
    const sb = sandbox(awsTestEnv(proxy.endpoint, { AWS_MAX_ATTEMPTS: '2' }));
    try {
      const r = await sb.run(['--backend', 'aws', '--endpoint-url', proxy.endpoint, 'resolve', '--project', 'billing', '--domain', 'prod']);
      expect(r.code).toBe(ExitCode.unavailable);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('scoped: Secrets Manager kept throttling ListSecrets (ThrottlingException); try again in a moment, or raise AWS_MAX_ATTEMPTS\n');
      expect(proxy.counts.get('ListSecrets')).toBe(2);
    } finally {
      sb.cleanup();
    }
  });
});

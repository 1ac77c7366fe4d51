/**
 * Endpoints that are not Secrets Manager, or never answer: the real SDK over real HTTP to a loopback server
 * (the fault proxy with every request faulted, so no moto), giving UnavailableError (exit 6) on one line.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccessDeniedError, ExitCode, UnavailableError, type ScopedError } from '../../../src/errors.js';
import { DEFAULT_TIMEOUTS } from '../../../src/store/aws/client.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { sandbox } from '../../helpers/io.js';
import { awsTestEnv, motoStore } from '../../helpers/moto.js';

const HINT = 'check --endpoint-url / AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL';
const failure = async (work: () => Promise<unknown>) => (await work().catch((e: unknown) => e)) as ScopedError;

describe('an endpoint that is not Secrets Manager', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy('http://127.0.0.1:9');
  });
  afterAll(async () => proxy?.close());
  beforeEach(() => proxy.reset());

  it.each([
    ['a 404 page', 404],
    ['a 200 HTML page', 200],
    ['a 401 page', 401],
  ])('%s: exit 6, naming the endpoint and the HTTP status, tried once', async (_label, status) => {
    proxy.inject({ kind: 'raw', status, body: '<html><body>Not here</body></html>' });
    const err = await failure(async () => (await motoStore(proxy.endpoint)).list(['scoped/']));
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.line()).toBe(`the endpoint ${proxy.endpoint} did not answer like Secrets Manager (HTTP ${status} on ListSecrets); ${HINT}`);
    expect(proxy.counts.get('ListSecrets')).toBe(1);
  });

  it.each([
    ['an HTML page', '<html><body>403 Forbidden</body></html>', 'text/html'],
    ['plain text', 'Forbidden', 'text/plain'],
    ['a JSON body without an error type', '{"Message":"User is not authorized by an explicit deny in a VPC endpoint policy"}', 'application/json'],
  ])('HTTP 403 with %s is access denied (exit 5), not retried', async (_label, body, contentType) => {
    proxy.inject({ kind: 'raw', status: 403, body, contentType });
    const err = await failure(async () => (await motoStore(proxy.endpoint)).getValue('scoped/acme/_/_/K'));
    expect(err).toBeInstanceOf(AccessDeniedError);
    expect(err.exitCode).toBe(ExitCode.accessDenied);
    expect(err.line()).toBe(
      'access denied to secret scoped/acme/_/_/K (HTTP 403 on GetSecretValue, without a Secrets Manager error); check the IAM policy of your AWS identity (`scoped policy` prints one that is enough), and any VPC endpoint or proxy policy',
    );
    expect(proxy.counts.get('GetSecretValue')).toBe(1);
  });

  it('an error answer without an AWS error type: exit 6 too', async () => {
    proxy.inject({ kind: 'raw', status: 400, body: '{}', contentType: 'application/json' });
    const err = await failure(async () => (await motoStore(proxy.endpoint)).describe('scoped/acme/_/_/K'));
    expect(err.exitCode).toBe(ExitCode.unavailable);
    expect(err.line()).toBe(`the endpoint ${proxy.endpoint} did not answer like Secrets Manager (HTTP 400 on DescribeSecret); ${HINT}`);
  });

  it('the CLI exits 6 with that one line on stderr', async () => {
    proxy.inject({ kind: 'raw', status: 404, body: '<html>404</html>' });
    const sb = sandbox(awsTestEnv(proxy.endpoint));
    try {
      const r = await sb.run(['--backend', 'aws', '--endpoint-url', proxy.endpoint, 'resolve', '--project', 'billing', '--domain', 'prod']);
      expect(r.code).toBe(ExitCode.unavailable);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`scoped: the endpoint ${proxy.endpoint} did not answer like Secrets Manager (HTTP 404 on ListSecrets); ${HINT}\n`);
    } finally {
      sb.cleanup();
    }
  });
});

describe('an endpoint that accepts connections and never answers', () => {
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy('http://127.0.0.1:9');
    proxy.inject({ kind: 'hang' });
  });
  afterAll(async () => proxy?.close());

  it('fails after attempts x requestTimeout, with exit 6', async () => {
    const store = await motoStore(proxy.endpoint, { timeouts: { connectionTimeout: 300, requestTimeout: 400 } });
    const started = Date.now();
    const err = await failure(() => store.list(['scoped/']));
    const elapsed = Date.now() - started;
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.line()).toMatch(/^Secrets Manager at http:\/\/127\.0\.0\.1:\d+ did not answer in time \(ETIMEDOUT on ListSecrets\)/);
    expect(proxy.counts.get('ListSecrets')).toBe(3);
    // 3 x 400 ms plus the SDK's short back-off between attempts.
    expect(elapsed).toBeGreaterThanOrEqual(1_200);
    expect(elapsed).toBeLessThan(4_000);
  });

  it('by default that is 3 attempts of at most 5 s each: about 15 s, as docs/aws.md says', () => {
    expect(DEFAULT_TIMEOUTS).toEqual({ connectionTimeout: 3_000, requestTimeout: 5_000 });
  });
});

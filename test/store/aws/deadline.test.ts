/**
 * Deadlines, through the real SDK over real HTTP to a loopback server (the fault proxy with every request
 * faulted, so no moto): a body that stalls after the headers or dribbles, a server that never answers,
 * throttling that goes on. Each test is bounded by short per-attempt limits or a short --timeout.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, ExitCode, UnavailableError, type ScopedError } from '../../../src/errors.js';
import { BIN } from '../../helpers/bin.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { awsTestEnv, motoStore } from '../../helpers/moto.js';

const FAST = { connectionTimeout: 300, requestTimeout: 400 };
const failure = async (work: () => Promise<unknown>) => (await work().catch((e: unknown) => e)) as ScopedError;
const timeLimit = (op: string, limit: string) =>
  `Secrets Manager ${op} did not finish within the time limit of ${limit}; raise it with --timeout SECONDS or SCOPED_TIMEOUT, or check the network and --endpoint-url`;
/** Retry counts without the adaptive limiter's pacing (which waits up to 2 s a request after a throttle). */
const STANDARD = { AWS_RETRY_MODE: 'standard' };
/** A JSON answer to ListSecrets, as the proxy's `raw` fault. */
const EMPTY_LIST = { kind: 'raw', status: 200, body: '{"SecretList":[]}', contentType: 'application/x-amz-json-1.1' } as const;

let proxy: FaultProxy;
beforeAll(async () => {
  proxy = await startFaultProxy('http://127.0.0.1:9');
});
afterAll(async () => proxy?.close());
beforeEach(() => proxy.reset());

describe('each attempt has a deadline that covers the whole answer', () => {
  it.each([
    ['stalls after the headers', { kind: 'stall-body' } as const],
    ['dribbles a byte a second', { kind: 'dribble' } as const],
    ['dribbles faster than the attempt limit (no idle timer would fire)', { kind: 'dribble', everyMs: 100 } as const],
    ['never answers', { kind: 'hang' } as const],
  ])('a server that %s: each of the 3 attempts ends at its limit, then exit 6', async (_label, fault) => {
    proxy.inject(fault);
    const store = await motoStore(proxy.endpoint, { timeouts: FAST, random: () => 0 });
    const err = await failure(() => store.list(['scoped/']));
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.line()).toBe(
      `Secrets Manager at ${proxy.endpoint} did not answer in time (ETIMEDOUT on ListSecrets); check --endpoint-url / --region and the network, then try again`,
    );
    expect(proxy.counts.get('ListSecrets')).toBe(3);
  });

  it('a large answer on a slow link (over 64 KiB/s) may take longer than the attempt limit', async () => {
    // 256 KiB in 16 KiB pieces every 100 ms: about 1.6 s, four times the 400 ms limit, at 160 KiB/s.
    proxy.inject({ kind: 'dribble', everyMs: 100, chunk: 16 * 1024, padding: 256 * 1024 });
    const store = await motoStore(proxy.endpoint, { timeouts: FAST, random: () => 0 });
    expect(await store.list(['scoped/'])).toEqual([]);
    expect(proxy.counts.get('ListSecrets')).toBe(1);
  });

  it('a complete answer within the limit is read as usual', async () => {
    proxy.inject(EMPTY_LIST);
    const store = await motoStore(proxy.endpoint, { timeouts: FAST });
    expect(await store.list(['scoped/'])).toEqual([]);
    expect(proxy.counts.get('ListSecrets')).toBe(1);
  });
});

describe('each command has a total deadline (--timeout / SCOPED_TIMEOUT)', () => {
  it.each([
    ['never answers', { kind: 'hang' } as const],
    ['stalls after the headers', { kind: 'stall-body' } as const],
  ])('a server that %s, with attempts longer than the deadline: exit 6 naming the operation and the setting', async (_label, fault) => {
    proxy.inject(fault);
    const store = await motoStore(proxy.endpoint, { timeout: 1 });
    const err = await failure(() => store.list(['scoped/']));
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.line()).toBe(timeLimit('ListSecrets', '1 s (flag --timeout)'));
    expect(proxy.counts.get('ListSecrets')).toBe(1);
  });

  it('throttling is retried past the SDK’s 3 attempts while the deadline allows', async () => {
    proxy.inject({ kind: 'throttle' }, { times: 6 });
    proxy.inject(EMPTY_LIST);
    const store = await motoStore(proxy.endpoint, { timeouts: FAST, random: () => 0, env: STANDARD });
    expect(await store.list(['scoped/'])).toEqual([]);
    expect(proxy.counts.get('ListSecrets')).toBe(7);
  });

  it('throttling that never ends: exit 6 at the deadline, saying so', async () => {
    proxy.inject({ kind: 'throttle' });
    const store = await motoStore(proxy.endpoint, { timeouts: FAST, timeout: 0.5, random: () => 0, env: STANDARD });
    const err = await failure(() => store.list(['scoped/']));
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.line()).toMatch(
      /^Secrets Manager (kept throttling ListSecrets \(ThrottlingException\), with no time left|ListSecrets did not finish within the time limit of 0\.5 s)/,
    );
    expect(err.line()).toContain('raise it with --timeout SECONDS or SCOPED_TIMEOUT');
    expect(proxy.counts.get('ListSecrets')).toBeGreaterThan(3);
  });

  it('server faults (transient) still stop after 3 attempts', async () => {
    proxy.inject({ kind: 'server-error' });
    const store = await motoStore(proxy.endpoint, { timeouts: FAST, random: () => 0 });
    // Another operation than the tests above: a request of theirs still on its way cannot be counted here.
    expect((await failure(() => store.describe('scoped/acme/_/_/K'))).line()).toBe('Secrets Manager failed on DescribeSecret (InternalServiceError); try again later');
    expect(proxy.counts.get('DescribeSecret')).toBe(3);
  });

  it('LimitExceededException (a quota, which the SDK would retry as throttling) is not retried: exit 4', async () => {
    proxy.inject({ kind: 'error', status: 400, type: 'LimitExceededException', message: 'too many versions' });
    const store = await motoStore(proxy.endpoint, { timeouts: FAST, random: () => 0 });
    const err = await failure(() => store.putValue('scoped/acme/_/_/K', 'v'));
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).reason).toBe('quota');
    expect(proxy.counts.get('PutSecretValue')).toBe(1);
  });
});

/** The built binary, spawned without blocking this process (the loopback server lives here). */
function runBin(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the CLI past its deadline', () => {
  const resolveArgs = (...extra: string[]) => ['--backend', 'aws', '--endpoint-url', proxy.endpoint, ...extra, 'resolve', '--project', 'billing', '--domain', 'prod'];

  it('--timeout 1 on a stalled body: exit 6, one line, nothing on stdout, and the process ends', async () => {
    proxy.inject({ kind: 'stall-body' });
    const r = await runBin(resolveArgs('--timeout', '1'), awsTestEnv(proxy.endpoint));
    expect(r.code).toBe(ExitCode.unavailable);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`scoped: ${timeLimit('ListSecrets', '1 s (flag --timeout)')}\n`);
  });

  it('an adaptive-mode STS client (for --role-arn) that is throttled fails as STS, exit 6: its limiter wait keeps the process until then', async () => {
    // The SDK's limiter class is shared by every client; its STS client's waits must still hold the process.
    proxy.inject({ kind: 'throttle' });
    const r = await runBin(
      resolveArgs('--role-arn', 'arn:aws:iam::123456789012:role/x'),
      awsTestEnv(proxy.endpoint, { AWS_ENDPOINT_URL_STS: proxy.endpoint, AWS_RETRY_MODE: 'adaptive' }),
    );
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^scoped: cannot assume role arn:aws:iam::123456789012:role\/x: .*\n$/);
    expect(r.code).toBe(ExitCode.unavailable);
    expect(proxy.counts.get('AssumeRole')).toBeGreaterThan(1);
  });

  it('--timeout 1 with --role-arn and an STS that never answers: exit 6 naming STS and the role, and the process ends', async () => {
    proxy.inject({ kind: 'hang' });
    const r = await runBin(resolveArgs('--timeout', '1', '--role-arn', 'arn:aws:iam::123456789012:role/x'), awsTestEnv(proxy.endpoint, { AWS_ENDPOINT_URL_STS: proxy.endpoint }));
    expect(r.code).toBe(ExitCode.unavailable);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'scoped: cannot assume role arn:aws:iam::123456789012:role/x: STS did not answer within the time limit of 1 s (flag --timeout); raise it with --timeout SECONDS or SCOPED_TIMEOUT, or check the network and AWS_ENDPOINT_URL_STS\n',
    );
    expect(proxy.counts.get('AssumeRole')).toBe(1);
    expect(proxy.counts.get('ListSecrets')).toBeUndefined();
  });

  it('SCOPED_TIMEOUT does the same, named as the source', async () => {
    proxy.inject({ kind: 'hang' });
    const r = await runBin(resolveArgs(), awsTestEnv(proxy.endpoint, { SCOPED_TIMEOUT: '1' }));
    expect(r.code).toBe(ExitCode.unavailable);
    expect(r.stderr).toBe(`scoped: ${timeLimit('ListSecrets', '1 s (env SCOPED_TIMEOUT)')}\n`);
  });

  it.each(['0', 'abc', '-5', '1e3', '90000'])('--timeout %s is a usage error (exit 2) without a request', async (value) => {
    const r = await runBin(resolveArgs('--timeout', value), awsTestEnv(proxy.endpoint));
    expect(r.code).toBe(ExitCode.usage);
    expect(r.stderr).toBe(`scoped: invalid timeout ${JSON.stringify(value)} (from flag --timeout); use a number of seconds from 0.1 to 86400, such as 60\n`);
    expect(proxy.total()).toBe(0);
  });
});

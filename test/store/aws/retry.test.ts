/** The pure pieces of retries and deadlines: the retry decision, the deadline, the write pacer. */
import { DefaultRateLimiter } from '@smithy/core/retry';
import type { RetryErrorInfo } from '@smithy/types';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UnavailableError } from '../../../src/errors.js';
import { Deadline } from '../../../src/store/aws/deadline.js';
import { adaptiveLimiter, DeadlineRetryStrategy, retryDecision, retryKindOf, type RetryPolicy } from '../../../src/store/aws/retry.js';
import { Pacer } from '../../../src/store/aws/write-many.js';

/** An SDK error as the retry middleware hands it over. */
const sdkError = (name: string) => Object.assign(new Error(), { name, $metadata: {} }) as unknown as RetryErrorInfo['error'];
const policy = (o: Partial<RetryPolicy> = {}): RetryPolicy => ({ maxAttempts: 3, capThrottling: false, deadline: new Deadline(60), random: () => 1, ...o });

describe('retryDecision', () => {
  it('throttling: exponential from 1 s (the SDK’s base), capped at 20 s, for as long as the deadline allows', () => {
    const p = policy();
    expect([1, 2, 3, 4, 5, 6, 10].map((n) => retryDecision('throttling', n, p))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 20_000, 20_000].map((delay) => ({ delay })));
  });

  it('full jitter: a random share of the exponential delay', () => {
    expect(retryDecision('throttling', 3, policy({ random: () => 0.25 }))).toEqual({ delay: 1_000 });
    expect(retryDecision('transient', 1, policy({ random: () => 0 }))).toEqual({ delay: 0 });
  });

  it('transient failures stop after maxAttempts; throttling too when AWS_MAX_ATTEMPTS was given', () => {
    expect(retryDecision('transient', 2, policy())).toEqual({ delay: 100 });
    expect(retryDecision('transient', 3, policy())).toEqual({ stop: 'attempts' });
    expect(retryDecision('throttling', 3, policy())).toEqual({ delay: 4_000 });
    expect(retryDecision('throttling', 3, policy({ capThrottling: true }))).toEqual({ stop: 'attempts' });
  });

  it('a wait the deadline cannot hold: throttling waits half of what is left, until under 100 ms is; others stop now', () => {
    expect(retryDecision('throttling', 4, policy({ deadline: new Deadline(5) }))).toEqual({ delay: expect.closeTo(2_500, -2) });
    expect(retryDecision('throttling', 4, policy({ deadline: new Deadline(0.15) }))).toEqual({ stop: 'deadline' });
    expect(retryDecision('transient', 2, policy({ deadline: new Deadline(0.05) }))).toEqual({ stop: 'deadline' });
    expect(retryDecision('throttling', 2, policy({ deadline: new Deadline(5) }))).toEqual({ delay: 2_000 });
  });

  it('honours Retry-After, up to 5 s beyond the computed delay', () => {
    const at = (ms: number) => new Date(Date.now() + ms);
    expect((retryDecision('throttling', 1, policy(), at(3_000)) as { delay: number }).delay).toBeGreaterThan(2_900);
    expect((retryDecision('throttling', 1, policy(), at(60_000)) as { delay: number }).delay).toBeLessThanOrEqual(6_000);
  });
});

describe('retryKindOf', () => {
  it('follows the SDK’s classification, except that LimitExceededException (a quota) is not retried', () => {
    expect(retryKindOf({ errorType: 'THROTTLING', error: sdkError('ThrottlingException') })).toBe('throttling');
    expect(retryKindOf({ errorType: 'THROTTLING', error: sdkError('LimitExceededException') })).toBeUndefined();
    expect(retryKindOf({ errorType: 'TRANSIENT' })).toBe('transient');
    expect(retryKindOf({ errorType: 'SERVER_ERROR' })).toBeUndefined();
    expect(retryKindOf({ errorType: 'CLIENT_ERROR' })).toBeUndefined();
  });
});

describe('Deadline', () => {
  afterEach(() => vi.useRealTimers());

  it('counts down, expires, aborts its signal, and names the operation and the setting', async () => {
    vi.useFakeTimers();
    const d = new Deadline(2, 'env SCOPED_TIMEOUT');
    expect(d.remaining()).toBe(2_000);
    const raced = d.race('ListSecrets', new Promise(() => undefined)).catch((e: unknown) => e);
    vi.advanceTimersByTime(2_000);
    expect(d.expired()).toBe(true);
    expect(d.signal.aborted).toBe(true);
    const err = (await raced) as UnavailableError;
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.line()).toBe(
      'Secrets Manager ListSecrets did not finish within the time limit of 2 s (env SCOPED_TIMEOUT); raise it with --timeout SECONDS or SCOPED_TIMEOUT, or check the network and --endpoint-url',
    );
  });

  it('sleep ends early with the deadline’s error', async () => {
    vi.useFakeTimers();
    const d = new Deadline(1);
    const slept = d.sleep('BatchGetSecretValue', 10_000).catch((e: unknown) => e);
    vi.advanceTimersByTime(1_000);
    expect(await slept).toBeInstanceOf(UnavailableError);
  });

  it('an expired deadline refuses new work at once', async () => {
    const d = new Deadline(0.001);
    await new Promise((r) => setTimeout(r, 5));
    await expect(d.race('DescribeSecret', Promise.resolve(1))).rejects.toBeInstanceOf(UnavailableError);
  });
});

describe("the adaptive rate limiter's waits, under the deadline", () => {
  afterEach(() => vi.useRealTimers());

  it('a wait longer than what is left ends at the deadline, with its error', async () => {
    vi.useFakeTimers();
    const never = { getSendToken: () => new Promise<void>(() => undefined), updateClientSendingRate: () => undefined } as unknown as DefaultRateLimiter;
    const strategy = new DeadlineRetryStrategy(policy({ deadline: new Deadline(0.2), limiter: never }));
    const token = strategy.acquireInitialRetryToken().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(200);
    expect(await token).toBeInstanceOf(UnavailableError);
  });

  it("the SDK still keeps the limiter's timer maker where adaptiveLimiter wraps it; outside our held waits its timers are as the SDK makes them", () => {
    const statics = DefaultRateLimiter as unknown as { setTimeoutFn: (fn: () => void, ms: number) => NodeJS.Timeout };
    expect(typeof statics.setTimeoutFn).toBe('function');
    adaptiveLimiter();
    adaptiveLimiter(); // wrapped once, however many clients
    const timer = statics.setTimeoutFn(() => undefined, 60_000);
    expect(timer.hasRef()).toBe(true);
    clearTimeout(timer);
  });

  const FIXTURE = join(import.meta.dirname, '..', '..', 'fixtures', 'limiter-deadline.mjs');
  const limited = (seconds: string) => spawnSync(process.execPath, [FIXTURE, seconds], { encoding: 'utf8', timeout: 20_000 });

  it("within the deadline, the limiter's 2 s wait holds the process until it ends (its timer does not)", () => {
    const r = limited('10');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('paced\n[]\n');
  });

  it("another SDK client's limiter (STS's, for credentials) still holds the process through its wait: it is not ours to cut", () => {
    const r = spawnSync(process.execPath, [FIXTURE, 'other'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('paced\n[]\n');
  });

  it('past the deadline: the time-limit error at once, and nothing of the wait left to hold the process', () => {
    const r = limited('0.3');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Secrets Manager retry did not finish within the time limit of 0\.3 s \(default\); .*\n\[\]\n$/);
  });
});

describe('Pacer', () => {
  it('spaces starts 1000 / rate ms apart across all callers, and lets a quiet start go at once', () => {
    let now = 0;
    const pacer = new Pacer(20, () => now);
    expect([pacer.reserve(), pacer.reserve(), pacer.reserve()]).toEqual([0, 50, 100]);
    now = 1_000;
    expect(pacer.reserve()).toBe(0);
  });
});

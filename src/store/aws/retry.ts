import { DEFAULT_MAX_ATTEMPTS, DefaultRateLimiter, MAXIMUM_RETRY_DELAY, Retry } from '@smithy/core/retry';
import type { FinalizeRequestMiddleware, MiddlewareStack, RetryErrorInfo, RetryStrategyV2, RetryToken } from '@smithy/types';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Deadline } from './deadline.js';

/**
 * Retries for the Secrets Manager client: the SDK's standard behaviour (which errors, exponential back-off
 * with full jitter, its base delays, Retry-After), except that throttling is retried for as long as the
 * command's deadline allows instead of giving up after 3 attempts, so a burst of CI jobs gets through.
 * After a throttle, the SDK's adaptive-mode rate limiter (CUBIC) paces every request of the client.
 */

/** The SDK's standard number of attempts for transient failures, when AWS_MAX_ATTEMPTS is not set. */
export const SDK_MAX_ATTEMPTS = DEFAULT_MAX_ATTEMPTS;

/** `throttling`: retried until the deadline; `transient` (5xx, timeouts, dropped connections): `maxAttempts`. */
export type RetryKind = 'throttling' | 'transient';

/**
 * The SDK counts LimitExceededException as throttling; in Secrets Manager it is a quota (such as ~100
 * versions per secret) that waiting a few seconds does not lift.
 */
const QUOTA_CODES = new Set(['LimitExceededException']);

export interface RetryPolicy {
  /** Attempts for transient failures, first one included (the SDK's 3, or AWS_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** AWS_MAX_ATTEMPTS was given: it bounds throttling too, as the user asked. */
  capThrottling: boolean;
  deadline: Deadline;
  /**
   * The SDK's adaptive-mode rate limiter (CUBIC), shared by every request of the client; off with
   * AWS_RETRY_MODE=standard.
   */
  limiter?: DefaultRateLimiter | undefined;
  /** For tests; Math.random otherwise. */
  random?: () => number;
}

/** The SDK's limiter keeps its timer maker in a private static, which is the one way to change its timers. */
const limiterTimers = DefaultRateLimiter as unknown as { setTimeoutFn?: (fn: () => void, ms: number) => NodeJS.Timeout };

/** Set while one of our strategies waits for its limiter (under `Deadline.hold`); see `adaptiveLimiter`. */
const heldWait = new AsyncLocalStorage<true>();

/**
 * Whether the SDK's limiter may make a request wait. Until the first throttle it is off and answers at once,
 * with no timer, so the request need not be marked as a held wait: the mark (AsyncLocalStorage.run) turns on
 * Node's promise hooks for the rest of the process, a cost on every promise the SDK makes (about 5% of a cold
 * `export`'s CPU). The flag is the limiter's own; were it gone (an SDK change), every wait is marked, as
 * before. test/store/aws/retry.test.ts holds it where it is read.
 */
export function limiterMayWait(limiter: DefaultRateLimiter): boolean {
  return (limiter as unknown as { enabled?: unknown }).enabled !== false;
}

/**
 * The SDK's adaptive-mode rate limiter (CUBIC). After a throttle it may wait up to 2 s before a request;
 * `DeadlineRetryStrategy` bounds each wait by the command's deadline (`Deadline.hold`, which holds the
 * process open meanwhile), and the timers of those waits alone are unref'd, so one still pending when
 * the deadline ends the command does not keep the process alive for its remaining seconds. The static
 * is the class's, shared by every SDK client in the process (STS, SSO for credentials), whose waits are
 * not held: their timers stay as the SDK makes them. (Without the static, an SDK change, the waits still
 * end at the deadline; the process may then exit up to 2 s later. test/store/aws/retry.test.ts notices.)
 */
export function adaptiveLimiter(): DefaultRateLimiter {
  const make = limiterTimers.setTimeoutFn;
  if (typeof make === 'function' && !(make as { held?: true }).held) {
    const held = (fn: () => void, ms: number): NodeJS.Timeout => {
      const timer = make(fn, ms);
      if (heldWait.getStore() === true) timer.unref();
      return timer;
    };
    limiterTimers.setTimeoutFn = Object.assign(held, { held: true as const });
  }
  return new DefaultRateLimiter();
}

/** Throttling seen outside the SDK's loop (per-id errors of a batch) slows the client down as well. */
export function recordThrottle(policy: RetryPolicy): void {
  policy.limiter?.updateClientSendingRate({ errorType: 'THROTTLING' });
}

/** The errors of attempts whose throttling the caller answers another way (see `withoutThrottleRetry`). */
const cheaperWay = new WeakSet<object>();

/**
 * Marks `command` so that its throttled attempts fail at once instead of being retried: for a caller with a
 * way round the throttled quota (BatchGetSecretValue's 100/s -> GetSecretValue's 10,000/s). The throttle does
 * not slow the client's limiter down: the calls made instead go to another quota. Other failures are
 * retried as usual. A middleware of the command's own, inside the SDK's retry loop, marks each failed
 * attempt's error, which the strategy then sees (no AsyncLocalStorage: see `limiterMayWait`).
 */
export function withoutThrottleRetry<C extends { middlewareStack: unknown }>(command: C): C {
  const mark: FinalizeRequestMiddleware<object, object> = (next) => async (args) => {
    try {
      return await next(args);
    } catch (err) {
      if (typeof err === 'object' && err !== null) cheaperWay.add(err);
      throw err;
    }
  };
  (command.middlewareStack as Pick<MiddlewareStack<object, object>, 'addRelativeTo'>).addRelativeTo(mark, {
    relation: 'after',
    toMiddleware: 'retryMiddleware',
    name: 'scopedWithoutThrottleRetry',
  });
  return command;
}

export type RetryDecision = { delay: number } | { stop: 'attempts' | 'deadline' };

/**
 * Pure: after `attempts` failed attempts of `kind`, how long to wait before the next one, or why to stop.
 * Full jitter over `base * 2^(attempts-1)`, capped at the SDK's 20 s; a Retry-After hint is honoured up to
 * 5 s beyond that, as the SDK does. A wait the deadline cannot hold: throttling waits half of what is left
 * instead (while that is at least MIN_LAST_WAIT), other failures stop now rather than sleep in vain.
 */
export function retryDecision(kind: RetryKind, attempts: number, policy: RetryPolicy, retryAfter?: Date): RetryDecision {
  if (policy.deadline.expired()) return { stop: 'deadline' };
  if ((kind === 'transient' || policy.capThrottling) && attempts >= policy.maxAttempts) return { stop: 'attempts' };
  const base = kind === 'throttling' ? Retry.throttlingDelay() : Retry.delay();
  const backoff = Math.floor((policy.random ?? Math.random)() * Math.min(base * 2 ** Math.min(attempts - 1, 30), MAXIMUM_RETRY_DELAY));
  const delay = retryAfter ? Math.max(backoff, Math.min(retryAfter.getTime() - Date.now(), backoff + 5_000)) : backoff;
  const remaining = policy.deadline.remaining();
  if (delay < remaining) return { delay };
  // Throttling lifts when other jobs finish: rather than give up with seconds left (51 s of 60 under a
  // ListSecrets quota), wait half of what is left and try again, until the limit itself.
  const last = Math.floor(remaining / 2);
  return kind === 'throttling' && last >= MIN_LAST_WAIT ? { delay: last } : { stop: 'deadline' };
}

/** The shortest wait worth a last try before the deadline (less is left for the try itself). */
export const MIN_LAST_WAIT = 100;

/** The kind of a failed attempt as the SDK classified it, or undefined when it is not worth retrying. */
export function retryKindOf(info: RetryErrorInfo): RetryKind | undefined {
  if (info.errorType === 'THROTTLING') return QUOTA_CODES.has(info.error?.name ?? '') ? undefined : 'throttling';
  if (info.errorType === 'TRANSIENT') return 'transient';
  return undefined;
}

class Token implements RetryToken {
  readonly $retryLog: { acquisitionDelay: number };
  constructor(
    private readonly count: number,
    waited: number,
  ) {
    this.$retryLog = { acquisitionDelay: waited };
  }
  getRetryCount(): number {
    return this.count;
  }
  /** The strategy has already waited (as the SDK's own strategies do). */
  getRetryDelay(): number {
    return 0;
  }
}

export class DeadlineRetryStrategy implements RetryStrategyV2 {
  readonly mode: 'standard' | 'adaptive';
  private readonly limiter: DefaultRateLimiter | undefined;

  constructor(private readonly policy: RetryPolicy) {
    this.limiter = policy.limiter;
    this.mode = policy.limiter ? 'adaptive' : 'standard';
  }

  /** The limiter's pacing, within the deadline. */
  private async paced(): Promise<void> {
    const limiter = this.limiter;
    if (limiter === undefined) return;
    if (!limiterMayWait(limiter)) await limiter.getSendToken();
    else
      await this.policy.deadline.hold(
        'retry',
        heldWait.run(true, () => limiter.getSendToken()),
      );
  }

  async acquireInitialRetryToken(): Promise<RetryToken> {
    await this.paced();
    return new Token(0, 0);
  }

  async refreshRetryTokenForRetry(token: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    const kind = retryKindOf(info);
    // The caller leaves a throttled quota for another one (Secrets Manager's quotas are per operation):
    // no retry, and no reason to slow down the calls it makes instead.
    if (kind === 'throttling' && info.error !== undefined && cheaperWay.has(info.error)) throw new Error('no retry: the caller has a cheaper quota');
    // A quota refusal is no sign of too high a rate: it must not slow the client down.
    if (kind !== undefined || info.errorType !== 'THROTTLING') this.limiter?.updateClientSendingRate(info);
    if (kind === undefined) throw new Error('not retryable');
    const attempts = token.getRetryCount() + 1;
    const decision = retryDecision(kind, attempts, this.policy, info.retryAfterHint);
    if ('stop' in decision) {
      if (decision.stop === 'deadline') this.policy.deadline.markCutShort(info.error);
      throw new Error(`no retry: ${decision.stop}`);
    }
    await this.policy.deadline.sleep('retry', decision.delay);
    await this.paced();
    return new Token(attempts, decision.delay);
  }

  recordSuccess(): void {
    this.limiter?.updateClientSendingRate({});
  }
}

import { setMaxListeners } from 'node:events';
import { DEFAULT_TIMEOUT_SECONDS } from '../../config.js';
import { UnavailableError } from '../../errors.js';

const HINT = 'raise it with --timeout SECONDS or SCOPED_TIMEOUT, or check the network and --endpoint-url';
const STS_HINT = 'raise it with --timeout SECONDS or SCOPED_TIMEOUT, or check the network and AWS_ENDPOINT_URL_STS';

/**
 * A command's total time budget for AWS, from the moment the store is built. Every request, retry,
 * back-off and body read is bounded by it; `signal` aborts whatever is in flight when it runs out. Its
 * timer never keeps the process alive on its own.
 */
export class Deadline {
  private controller = new AbortController();
  private end: number;
  private timer: NodeJS.Timeout;
  /** Set once `progress()` has moved the end: the limit is then time without progress. */
  private progressed = false;
  /** Errors that retries stopped on because the budget could not hold another attempt. */
  private readonly stopped = new WeakSet<object>();

  constructor(
    readonly seconds: number = DEFAULT_TIMEOUT_SECONDS,
    /** Where the setting came from (`default`, `flag --timeout`, `env SCOPED_TIMEOUT`, a file). */
    readonly source: string = 'default',
    private readonly now: () => number = Date.now,
  ) {
    const ms = Math.round(seconds * 1000);
    this.end = this.now() + ms;
    this.timer = setTimeout(() => this.controller.abort(), ms);
    this.timer.unref();
    // Every call in flight listens to it (per-key reads, describes and writes run 8-16 at once, each with
    // its attempt and body timers): past Node's default of 10 that is no leak, and no warning for the user.
    setMaxListeners(256, this.controller.signal);
  }

  /**
   * The default limit bounds a bulk write's time without progress (DESIGN.md "Bulk writes under
   * throttling"): each completed write starts it again. A limit given explicitly (flag, environment,
   * config file) stays a bound on the whole command, and so does any limit once it has run out.
   */
  get bySilence(): boolean {
    return this.source === 'default';
  }

  /** A write completed: with the default limit, the time left starts again. */
  progress(): void {
    if (!this.bySilence || this.signal.aborted) return;
    const ms = Math.round(this.seconds * 1000);
    this.progressed = true;
    this.end = this.now() + ms;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(), ms);
    this.timer.unref();
  }

  /**
   * The whole limit again, from now: for a command that keeps running and calls AWS now and then
   * (`run --watch`, before each re-check), whose limit bounds each round, not its life. Call it with
   * nothing in flight.
   */
  renew(): void {
    const ms = Math.round(this.seconds * 1000);
    clearTimeout(this.timer);
    if (this.controller.signal.aborted) {
      this.controller = new AbortController();
      setMaxListeners(256, this.controller.signal);
    }
    this.progressed = false;
    this.end = this.now() + ms;
    this.timer = setTimeout(() => this.controller.abort(), ms);
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Milliseconds left, never negative. */
  remaining(): number {
    return Math.max(0, this.end - this.now());
  }

  expired(): boolean {
    return this.signal.aborted || this.remaining() === 0;
  }

  /** The one line for an operation the budget ran out on (exit 6), naming the setting to raise. */
  exceeded(op: string, cause?: unknown): UnavailableError {
    const limit = `${this.seconds} s (${this.source})`;
    // Whatever call was waiting, it waited for the role's credentials: STS is what did not answer.
    if (this.role !== undefined) return new UnavailableError(`cannot assume role ${this.role}: STS did not answer within the time limit of ${limit}`, STS_HINT, { cause });
    if (this.progressed) {
      return new UnavailableError(`Secrets Manager ${op} made no progress within the time limit of ${limit}, counted from the last completed write`, HINT, { cause });
    }
    return new UnavailableError(`Secrets Manager ${op} did not finish within the time limit of ${limit}`, HINT, { cause });
  }

  /** The role being assumed now, if any (`assuming`). */
  private role: string | undefined;

  /** `work` (assuming `roleArn` through STS) under the budget; running out meanwhile is reported as STS's. */
  async assuming<T>(roleArn: string, work: () => Promise<T>): Promise<T> {
    this.role = roleArn;
    try {
      return await this.race('AssumeRole', work());
    } finally {
      this.role = undefined;
    }
  }

  /** `err` (a retryable failure) with the note that the time limit left no room for another try. */
  cutShort(err: UnavailableError): UnavailableError {
    return err.withMessage(`${err.message}, with no time left for another try within the time limit of ${this.seconds} s (${this.source})`, HINT);
  }

  /** Retries of `err` stopped because the budget would not hold another attempt. */
  markCutShort(err: unknown): void {
    if (typeof err === 'object' && err !== null) this.stopped.add(err);
  }

  wasCutShort(err: unknown): boolean {
    return typeof err === 'object' && err !== null && this.stopped.has(err);
  }

  /** Rejects with `exceeded(op)` when the budget runs out; `stop()` removes the listener. */
  race<T>(op: string, work: Promise<T>): Promise<T> {
    if (this.expired()) {
      // `work` has started (and will be aborted): its rejection is ours to handle, or the process crashes on it.
      work.catch(() => undefined);
      return Promise.reject(this.exceeded(op));
    }
    let stop = (): void => undefined;
    const out = new Promise<never>((_, reject) => {
      const onAbort = () => reject(this.exceeded(op));
      this.signal.addEventListener('abort', onAbort, { once: true });
      stop = () => this.signal.removeEventListener('abort', onAbort);
    });
    return Promise.race([work, out]).finally(stop);
  }

  /**
   * `race`, holding the process open until `work` settles or the budget runs out: for a wait on timers
   * that do not hold it themselves (the rate limiter's, see retry.ts), which must neither let the process
   * end mid-wait nor keep it alive past the deadline.
   */
  hold<T>(op: string, work: Promise<T>): Promise<T> {
    // Past the end, so the deadline's own (unref'd) timer has fired first.
    const keep = setTimeout(() => undefined, this.remaining() + 100);
    return this.race(op, work).finally(() => clearTimeout(keep));
  }

  /** Waits `ms`, or rejects with `exceeded(op)` if the budget runs out first. */
  sleep(op: string, ms: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const wait = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    });
    return this.race(op, wait).finally(() => clearTimeout(timer));
  }

  /** Stops the timer (the store is done). */
  dispose(): void {
    clearTimeout(this.timer);
  }
}

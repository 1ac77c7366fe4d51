import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { formatDuration } from '../../core/duration.js';
import { ConflictError, ScopedError, UnavailableError, UsageError } from '../../errors.js';
import type { SecretsManagerOperation } from '../../core/policy.js';
import type { StoreLog } from '../log.js';
import type { SecretDetails } from '../types.js';
import { checkAnswer } from './answers.js';
import { Deadline } from './deadline.js';
import { mapAwsError, readOnlyReplica, type AwsCallContext } from './errors.js';
import { RegionOrder } from './region-order.js';
import { SDK_MAX_ATTEMPTS, type RetryPolicy } from './retry.js';

export interface AwsStoreOptions {
  /** Where requests go, for "cannot reach" messages. */
  target?: string | undefined;
  /** The client's region: a replica region may not be it. */
  region?: string | undefined;
  /** The client's retry policy and the command's deadline (the client must be built with the same one). */
  policy?: RetryPolicy | undefined;
  /** A client for another region (a link's target), as the store's in all else; the store's client when absent. */
  regionClient?: ((region: string) => SecretsManagerClient) | undefined;
  /** `--regions`: reads go to these in order, the next on a failure another region may not have (5xx, throttling, timeout). */
  readRegions?: readonly string[] | undefined;
  /**
   * `--regions`: how long a region that failed a read goes after the others (region-order.ts; default 5
   * minutes), and the monotonic clock in milliseconds that measures it (tests inject one).
   */
  regionHoldMs?: number | undefined;
  now?: (() => number) | undefined;
}

/** The reads that fail over along `--regions`; every other operation goes to the primary region only. */
const FAILOVER_READS: ReadonlySet<SecretsManagerOperation> = new Set(['GetSecretValue', 'BatchGetSecretValue', 'ListSecrets', 'DescribeSecret']);

/** Sends a command with the deadline's abort signal. */
export type Send<T> = (client: SecretsManagerClient, options: { abortSignal: AbortSignal }) => Promise<T>;

/**
 * How the Secrets Manager backend calls AWS. Every call goes through `call`, which bounds it by the
 * command's deadline, logs it (operation, items, time; never values) and translates AWS errors into ours.
 */
export abstract class AwsCaller {
  protected readonly target: string | undefined;
  protected readonly deadline: Deadline;
  protected readonly policy: RetryPolicy;
  /** `--regions`: the order reads try them in; a region that failed goes last for a while (region-order.ts). */
  private readonly regionOrder: RegionOrder | undefined;

  constructor(
    protected readonly client: SecretsManagerClient,
    readonly log: StoreLog,
    protected readonly options: AwsStoreOptions = {},
  ) {
    this.target = options.target;
    this.policy = options.policy ?? { maxAttempts: SDK_MAX_ATTEMPTS, capThrottling: false, deadline: new Deadline() };
    this.deadline = this.policy.deadline;
    const regions = options.readRegions;
    this.regionOrder = regions !== undefined && regions.length > 1 ? new RegionOrder(regions, options.now, options.regionHoldMs) : undefined;
  }

  abstract describe(name: string): Promise<SecretDetails>;
  protected async call<T extends { $metadata: { attempts?: number | undefined } }>(
    // Only operations the policies allow (core/policy.ts OPERATIONS): a new one must be added there first.
    ctx: Omit<AwsCallContext, 'target'> & { op: SecretsManagerOperation },
    send: Send<T>,
    items: (out: T) => string,
  ): Promise<T> {
    const regions = this.regionOrder;
    // A full ARN (a link's target) names its one region: nothing to fail over to.
    const byArn = ctx.name?.startsWith('arn:') === true;
    if (regions === undefined || !FAILOVER_READS.has(ctx.op) || byArn || this.options.regionClient === undefined) {
      return this.callIn(ctx, send, items, this.client);
    }
    const failed: string[] = [];
    // A region that failed a read recently is tried last, not first; after its hold, in its place again.
    const { order, restored } = regions.next();
    for (const r of restored) this.log.debug(`aws reads: region ${r} tried in its configured place again (its last failure was ${formatDuration(regions.holdMs)} or more ago)`);
    for (const [i, region] of order.entries()) {
      const last = i === order.length - 1;
      // A region but the last gets its share of the time left, so a silent one leaves time for the next.
      const slice = last ? undefined : AbortSignal.timeout(Math.max(1, Math.floor(this.deadline.remaining() / (order.length - i))));
      try {
        const out = await this.callIn(ctx, send, items, this.options.regionClient(region), slice);
        regions.answered(region);
        return out;
      } catch (err) {
        const timedOut = slice?.aborted === true;
        if (!(err instanceof UnavailableError) && !timedOut) {
          // A 4xx is the region's answer: it is up.
          regions.answered(region);
          throw err;
        }
        failed.push(region);
        regions.failed(region);
        if (last || this.deadline.expired()) {
          if (failed.length < 2) throw err;
          throw new UnavailableError(`Secrets Manager failed on ${ctx.op} in every region tried: ${failed.join(', ')}`, 'try again later, or check --regions and the network', {
            cause: err,
          });
        }
        this.log.debug(
          `aws ${ctx.op}: region ${region} ${timedOut ? 'took its share of the time limit' : 'unavailable'}; reading from ${order[i + 1]} instead (${region} goes last for ${formatDuration(regions.holdMs)})`,
        );
      }
    }
    throw new UnavailableError(`Secrets Manager failed on ${ctx.op}`); // not reached: the last region returns or throws
  }

  /** One call through `client`; `slice` (a replica region's share of the time) aborts it early. */
  private async callIn<T extends { $metadata: { attempts?: number | undefined } }>(
    ctx: Omit<AwsCallContext, 'target'> & { op: SecretsManagerOperation },
    send: Send<T>,
    items: (out: T) => string,
    client: SecretsManagerClient,
    slice?: AbortSignal,
  ): Promise<T> {
    const started = Date.now();
    let out: T;
    try {
      // Nothing is sent once the budget is spent: a request started then would only be aborted.
      if (this.deadline.expired()) throw this.deadline.exceeded(ctx.op);
      const abortSignal = slice === undefined ? this.deadline.signal : AbortSignal.any([this.deadline.signal, slice]);
      // Raced as well: credential providers (SSO, STS, IMDS) run inside send() and take no signal.
      out = await this.deadline.race(ctx.op, send(client, { abortSignal }));
    } catch (err) {
      const attempts = (err as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
      this.log.debug(`aws ${ctx.op} failed: ${(err as Error).name} after ${Date.now() - started} ms${attempts > 1 ? ` (${attempts} attempts)` : ''}`);
      throw this.translate(err, ctx);
    }
    const attempts = out.$metadata?.attempts ?? 1;
    // An answer without what the command relies on is no answer: never "Created" with nothing stored.
    const unlike = checkAnswer(ctx.op, out, this.target);
    this.log.debug(`aws ${ctx.op} ${unlike ? 'answered without what it must carry' : items(out)} in ${Date.now() - started} ms${attempts > 1 ? ` (${attempts} attempts)` : ''}`);
    if (unlike) throw unlike;
    return out;
  }

  /**
   * Our error for a failed call. Past the deadline, a failure that another attempt might have cured is the
   * deadline's error (exit 6, naming the operation and the setting); a failure whose retries the deadline
   * cut short says so.
   */
  protected translate(err: unknown, ctx: Omit<AwsCallContext, 'target'>): Error {
    const mapped = mapAwsError(err, { ...ctx, target: this.target });
    if (this.deadline.expired() && (mapped instanceof UnavailableError || !(mapped instanceof ScopedError))) {
      return this.deadline.exceeded(ctx.op, err);
    }
    if (this.deadline.wasCutShort(err) && mapped instanceof UnavailableError) return this.deadline.cutShort(mapped);
    return mapped;
  }

  /**
   * A state refusal (InvalidRequestException, or ResourceExistsException on create) means "scheduled for
   * deletion" only if DescribeSecret says so: servers differ in which code they use, and messages are not
   * to be parsed.
   */
  protected async refine(err: unknown, name: string, op: string): Promise<never> {
    // A parameter refusal may be a replica's too (servers differ in the code): DescribeSecret tells.
    const stateOrParameter = err instanceof ConflictError || err instanceof UsageError;
    if (!stateOrParameter || (err instanceof ConflictError && ['quota', 'has-replicas', 'replica'].includes(err.reason))) throw err;
    let details: SecretDetails;
    try {
      details = await this.describe(name);
    } catch {
      throw err;
    }
    if (details.replicaOf !== undefined) throw readOnlyReplica(name, details.replicaOf, this.options.region, err);
    if (!(err instanceof ConflictError)) throw err;
    const deleted = details.deletedAt !== undefined;
    if (deleted) {
      throw new ConflictError('scheduled-for-deletion', `secret ${name} is scheduled for deletion`, 'restore it with `scoped restore secret`', { cause: err });
    }
    if (err.reason === 'exists') throw err;
    throw new ConflictError('changed', `secret ${name} is not in a state that allows ${op}`, 'check it with `scoped get secret`', { cause: err });
  }

  /** One call on one named secret, with state refusals checked against DescribeSecret. */
  protected async callOn<T extends { $metadata: { attempts?: number | undefined } }>(
    op: SecretsManagerOperation,
    name: string,
    send: Send<T>,
    items: (out: T) => string,
  ): Promise<T> {
    try {
      return await this.call({ op, name }, send, items);
    } catch (err) {
      return this.refine(err, name, op);
    }
  }
}

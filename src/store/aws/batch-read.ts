import type { BatchGetSecretValueCommandOutput } from '@aws-sdk/client-secrets-manager';
import { NotFoundError, UnavailableError } from '../../errors.js';
import type { BatchReadResult, ReadResult } from '../types.js';
import { chunks, eachPage, valueOf } from './convert.js';
import { mapLimit } from '../../support/map-limit.js';
import type { Deadline } from './deadline.js';
import { isServerFaultCode, isThrottleCode, mapErrorCode, unknownCode, type AwsCallContext } from './errors.js';
import { retryDecision, type RetryKind, type RetryPolicy } from './retry.js';

/** AWS limit: ids per BatchGetSecretValue. */
export const BATCH_SIZE = 20;
/** Batches in flight at once: quick for 100 keys, gentle on the 100 calls/s quota. */
export const BATCH_CONCURRENCY = 4;

/** What batched reads need from the store. */
export interface BatchReader {
  deadline: Deadline;
  policy: RetryPolicy;
  /** One BatchGetSecretValue call through the store's `call` (logging, retries, error translation). */
  send(ids: string[], token: string | undefined): Promise<BatchGetSecretValueCommandOutput>;
  /** Reads one secret alone (GetSecretValue), for ids a batch call could not answer one by one. */
  readOne(name: string): Promise<ReadResult>;
  /** Throttling seen in a batch's per-id errors slows the client down too. */
  onThrottle(): void;
  /** A debug line (never values). */
  note?(line: string): void;
  /** Where requests go, for messages. */
  target?: string | undefined;
}

/** Per-key reads in flight for each batch that fell back to them (4 batches at once: 16 in all). */
export const PER_KEY_CONCURRENCY = 4;

/** One readMany: once a batch call is throttled, every later batch is read per key too. */
interface ReadRun {
  reader: BatchReader;
  result: BatchReadResult;
  perKey: boolean;
}

/** A whole BatchGetSecretValue call refused for throttling (its send does not retry that: see aws-store). */
function isThrottled(err: unknown): boolean {
  return err instanceof UnavailableError && err.cause instanceof Error && isThrottleCode(err.cause.name);
}

/** A secret that exists without a current value (made by another tool with no SecretString/SecretBinary). */
export function noCurrentValue(name: string, cause?: unknown): NotFoundError {
  return new NotFoundError(
    `secret ${name} has no current value (no AWSCURRENT version; it was made without a value, perhaps by another tool)`,
    'give it one with `scoped update secret`',
    { subject: 'version', cause },
  );
}

/**
 * Current values of many names: 20 ids a call, 4 calls at once. Per-id throttling and server faults in a
 * batch's `Errors` are asked again (those ids only) with the client's back-off, within the deadline; every
 * other per-id failure is kept by name. A name answered without a value is reported as having none.
 */
export async function readMany(reader: BatchReader, names: readonly string[]): Promise<BatchReadResult> {
  const result: BatchReadResult = { values: new Map(), errors: new Map() };
  const unique = [...new Set(names)];
  const run: ReadRun = { reader, result, perKey: false };
  await mapLimit(chunks(unique, BATCH_SIZE), BATCH_CONCURRENCY, (ids) => readChunk(run, ids));
  for (const name of unique) {
    // Secrets Manager answers every id it is asked for, with a value or an error: silence is not its answer.
    if (!result.values.has(name) && !result.errors.has(name)) result.errors.set(name, unanswered(reader, name));
  }
  return result;
}

function unanswered(reader: BatchReader, name: string): UnavailableError {
  const where = reader.target !== undefined ? `the endpoint ${reader.target}` : 'the endpoint';
  return new UnavailableError(
    `${where} did not answer like Secrets Manager (neither a value nor an error for secret ${name} in its BatchGetSecretValue answers)`,
    'check --endpoint-url / AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL',
  );
}

async function readChunk(run: ReadRun, ids: string[]): Promise<void> {
  const { reader, result } = run;
  if (run.perKey) return readEachAlone(reader, ids, result);
  try {
    await retryChunk(reader, ids, result);
  } catch (err) {
    if (!isThrottled(err)) throw err;
    // The batch quota (100/s) is the bottleneck: GetSecretValue's (10,000/s) is the cheaper one, for this
    // batch and every later one of this read.
    if (!run.perKey) reader.note?.(`BatchGetSecretValue throttled: reading the rest one by one (GetSecretValue)`);
    run.perKey = true;
    return readEachAlone(
      reader,
      ids.filter((id) => !result.values.has(id)),
      result,
    );
  }
  // "Not found" for one id may mean a secret without a current value: reading it alone tells which.
  const missing = ids.filter((id) => {
    const e = result.errors.get(id);
    return e instanceof NotFoundError && e.subject === 'secret';
  });
  await readEachAlone(reader, missing, result);
}

async function retryChunk(reader: BatchReader, ids: string[], result: BatchReadResult): Promise<void> {
  let pending = ids;
  for (let attempts = 1; ; attempts++) {
    const again = new Map<string, RetryKind>();
    try {
      await eachPage(
        (token) => reader.send(pending, token),
        (out) => visit(out, result, again),
      );
    } catch (err) {
      // A whole batch refused as "not found" (some servers do so for one id without a value): ask each alone.
      if (!(err instanceof NotFoundError)) throw err;
      await readEachAlone(reader, pending, result);
      return;
    }
    if (again.size === 0) return;
    const kind: RetryKind = [...again.values()].includes('throttling') ? 'throttling' : 'transient';
    if (kind === 'throttling') reader.onThrottle();
    const decision = retryDecision(kind, attempts, reader.policy);
    if ('stop' in decision) {
      if (decision.stop === 'deadline') noteCutShort(reader.deadline, [...again.keys()], result);
      return;
    }
    await reader.deadline.sleep('BatchGetSecretValue', decision.delay);
    pending = [...again.keys()];
  }
}

/** One page: values kept, per-id errors mapped; throttled and faulted ids noted for another try. */
function visit(out: BatchGetSecretValueCommandOutput, result: BatchReadResult, again: Map<string, RetryKind>): void {
  for (const v of out.SecretValues ?? []) {
    if (v.Name === undefined) continue;
    const value = valueOf(v);
    if (value === undefined || v.VersionId === undefined) {
      result.errors.set(v.Name, noCurrentValue(v.Name));
      continue;
    }
    result.errors.delete(v.Name);
    result.values.set(v.Name, { name: v.Name, value, versionId: v.VersionId, stages: v.VersionStages ?? [] });
  }
  for (const e of out.Errors ?? []) {
    const name = e.SecretId ?? '';
    const code = e.ErrorCode ?? 'UnknownError';
    const ctx: AwsCallContext = { op: 'BatchGetSecretValue', name };
    // Kept as the error should no retry be possible; replaced if a retry answers.
    result.errors.set(name, mapErrorCode(code, e.Message, ctx) ?? unknownCode(code, e.Message, ctx));
    if (isThrottleCode(code)) again.set(name, 'throttling');
    else if (isServerFaultCode(code)) again.set(name, 'transient');
  }
}

/** Ids still throttled or faulted when the time limit left no room for another try: their errors say so. */
function noteCutShort(deadline: Deadline, ids: string[], result: BatchReadResult): void {
  for (const id of ids) {
    const err = result.errors.get(id);
    if (err instanceof UnavailableError) result.errors.set(id, deadline.cutShort(err));
  }
}

async function readEachAlone(reader: BatchReader, ids: string[], result: BatchReadResult): Promise<void> {
  await mapLimit(ids, PER_KEY_CONCURRENCY, (name) => readAlone(reader, name, result));
}

async function readAlone(reader: BatchReader, name: string, result: BatchReadResult): Promise<void> {
  try {
    result.values.set(name, await reader.readOne(name));
    // The batch's own error for it (a per-id "not found" the re-read contradicts) is no longer true.
    result.errors.delete(name);
  } catch (err) {
    result.errors.set(name, err as Error);
  }
}

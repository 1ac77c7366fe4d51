import type { SecretValue, WriteManyResult, WriteOp } from '../types.js';
import { mapLimit } from '../../support/map-limit.js';
import type { Deadline } from './deadline.js';

/**
 * Bulk writes (import, copy) on Secrets Manager. CreateSecret and PutSecretValue share a quota of about
 * 50 calls a second per account and region, and other jobs may be writing too: start at most WRITE_RATE
 * writes a second, WRITE_CONCURRENCY at a time. Throttling that still happens is retried by the client
 * within the command's deadline, which under the default limit counts time without progress (each
 * completed write restarts it; see Deadline.progress); every op ends in `written` or `errors` under its name.
 */
export const WRITE_RATE = 20;
export const WRITE_CONCURRENCY = 8;

export interface Writer {
  deadline: Deadline;
  create(op: Extract<WriteOp, { kind: 'create' }>['input']): Promise<{ versionId: string }>;
  putValue(name: string, value: SecretValue): Promise<{ versionId: string }>;
}

/** Spaces the starts of calls `1000 / perSecond` ms apart, across all workers. */
export class Pacer {
  private next = 0;
  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds to wait before the caller's start slot (reserving it). */
  reserve(): number {
    const now = this.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.perSecond;
    return at - now;
  }
}

export const opName = (op: WriteOp): string => (op.kind === 'create' ? op.input.name : op.name);

/** Ops on the same name run in their given order; different names run side by side. */
function byName(ops: readonly WriteOp[]): WriteOp[][] {
  const groups = new Map<string, WriteOp[]>();
  for (const op of ops) groups.set(opName(op), [...(groups.get(opName(op)) ?? []), op]);
  return [...groups.values()];
}

export async function writeAll(writer: Writer, ops: readonly WriteOp[], pacer = new Pacer(WRITE_RATE)): Promise<WriteManyResult> {
  const result: WriteManyResult = { written: new Map(), errors: new Map() };
  const { deadline } = writer;
  await mapLimit(byName(ops), WRITE_CONCURRENCY, async (group) => {
    for (const op of group) {
      const name = opName(op);
      const what = op.kind === 'create' ? 'CreateSecret' : 'PutSecretValue';
      try {
        await deadline.sleep(what, pacer.reserve());
        const { versionId } = op.kind === 'create' ? await writer.create(op.input) : await writer.putValue(op.name, op.value);
        result.written.set(name, versionId);
        // Progress: under the default limit, a bulk write that keeps completing is not stopped by it.
        deadline.progress();
      } catch (err) {
        result.errors.set(name, err as Error);
      }
    }
  });
  return result;
}

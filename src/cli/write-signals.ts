import type { Context } from './context.js';
import { printable } from './printable.js';
import type { SecretStore, WriteManyResult, WriteOp } from '../store/types.js';

/**
 * A bulk write (`import`, `copy secret`) stopped by SIGINT, SIGTERM or SIGHUP (a CI job's timeout, a closed
 * terminal) still ends as the signal says (130, 143, 129: the signal is raised again once our line is out,
 * so requests in flight stop too), but first says in one line what was written: nothing (before the
 * write), all or none (the local store commits them at once), some (Secrets Manager, one request a key),
 * or everything (after the write).
 */

const STOPS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

type Phase = { at: 'before' } | { at: 'writing'; ops: number } | { at: 'after'; result: WriteManyResult };

/** The line for a signal in `phase`; `atomic`: the backend commits a writeMany at once (the local store). */
export function interruptedLine(signal: NodeJS.Signals, what: string, phase: Phase, atomic: boolean): string {
  const again = 'run the same command again to finish: what was written counts as unchanged';
  const head = `scoped: interrupted (${signal}) while ${what}`;
  if (phase.at === 'before') return `${head}: nothing written`;
  if (phase.at === 'after') {
    const { written, errors } = phase.result;
    return `${head}, after the write: ${written.size} written${errors.size > 0 ? `, ${errors.size} not written` : ''}`;
  }
  const n = `${phase.ops} ${phase.ops === 1 ? 'key' : 'keys'}`;
  if (atomic) return `${head}: the local store writes all ${n} at once, so either all or none are written; ${again}`;
  return `${head}: some of ${n} may be written; ${again}`;
}

export interface SignalOptions {
  /** What the command was doing, for the line (`importing into org acme, project web`). */
  what: string;
  atomic: boolean;
  /** Ends the process as the signal would have (tests pass their own). */
  raise?: (signal: NodeJS.Signals) => void;
}

/**
 * Runs `work` with a store whose writeMany is watched, and a handler for the stop signals that writes
 * the line for where the work is, then raises the signal again. Without a signal source (tests that do
 * not give one), `work` runs as it is.
 */
export async function reportingSignals<T>(ctx: Context, store: SecretStore, o: SignalOptions, work: (store: SecretStore) => Promise<T>): Promise<T> {
  const signals = ctx.io.signals;
  if (signals === undefined) return work(store);
  let phase: Phase = { at: 'before' };
  const raise = o.raise ?? ((sig: NodeJS.Signals) => process.kill(process.pid, sig));
  const onSignal = (sig: NodeJS.Signals): void => {
    for (const s of STOPS) signals.off(s, onSignal);
    ctx.io.stderr.write(`${printable(interruptedLine(sig, o.what, phase, o.atomic))}\n`);
    raise(sig);
  };
  // Every method is the store's own, called on the store; writeMany also marks where the work is.
  const writeMany = async (ops: readonly WriteOp[]): Promise<WriteManyResult> => {
    phase = { at: 'writing', ops: ops.length };
    const result = await store.writeMany(ops);
    phase = { at: 'after', result };
    return result;
  };
  const watched = new Proxy(store, {
    get(target, prop) {
      if (prop === 'writeMany') return writeMany;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  for (const s of STOPS) signals.on(s, onSignal);
  try {
    return await work(watched);
  } finally {
    for (const s of STOPS) signals.off(s, onSignal);
  }
}

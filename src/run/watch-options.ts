// `run`'s flags, read on every `run`: the re-check itself (watch.ts, watch-loop.ts) loads only with --watch.
import { constants } from 'node:os';
import { UsageError } from '../errors.js';
import { parseDuration } from '../core/duration.js';

/** `run --watch`: how often, how much jitter, how long a child gets to stop, and what to send it on a change. */
export interface WatchOptions {
  intervalMs: number;
  jitterMs: number;
  graceMs: number;
  /** --signal: sent to the child on a change instead of restarting it. */
  signal?: NodeJS.Signals | undefined;
}

export const DEFAULT_INTERVAL_MS = 60_000;
export const DEFAULT_GRACE_MS = 10_000;
/** Shortest --interval: a re-check is a listing and one DescribeSecret per key on AWS. */
export const MIN_INTERVAL_MS = 100;

export interface WatchFlags {
  watch?: boolean | undefined;
  interval?: string | undefined;
  jitter?: string | undefined;
  grace?: string | undefined;
  signal?: string | undefined;
}

/** --signal HUP or SIGHUP (any name this system knows, but not one that cannot be caught). */
export function parseSignal(raw: string): NodeJS.Signals {
  const name = (raw.toUpperCase().startsWith('SIG') ? raw.toUpperCase() : `SIG${raw.toUpperCase()}`) as NodeJS.Signals;
  if (!(name in constants.signals) || name === 'SIGKILL' || name === 'SIGSTOP') {
    throw new UsageError(`--signal ${JSON.stringify(raw)}: not a signal a child can be sent to reload`, 'e.g. --signal HUP or --signal SIGUSR1');
  }
  return name;
}

/**
 * The watch flags to options, or undefined without --watch (then giving any of the others is a usage
 * error). The default jitter is a tenth of the interval.
 */
export function buildWatchOptions(flags: WatchFlags, pinned: string | undefined): WatchOptions | undefined {
  const given = (['interval', 'jitter', 'grace', 'signal'] as const).filter((k) => flags[k] !== undefined);
  if (flags.watch !== true) {
    if (given.length > 0) throw new UsageError(`--${given[0]} is for --watch`, `add --watch, or leave out --${given[0]}`);
    return undefined;
  }
  if (pinned === '-') throw new UsageError('--watch cannot re-read a pin from stdin', 'give --pinned a file');
  const intervalMs = flags.interval === undefined ? DEFAULT_INTERVAL_MS : parseDuration(flags.interval, '--interval', { minMs: MIN_INTERVAL_MS });
  const jitterMs = flags.jitter === undefined ? Math.round(intervalMs / 10) : parseDuration(flags.jitter, '--jitter');
  const graceMs = flags.grace === undefined ? DEFAULT_GRACE_MS : parseDuration(flags.grace, '--grace');
  return { intervalMs, jitterMs, graceMs, signal: flags.signal === undefined ? undefined : parseSignal(flags.signal) };
}

/** The wait before the next re-check: the interval plus a jitter in [0, jitterMs] drawn from `random` (in [0, 1)). */
export function nextDelay(o: Pick<WatchOptions, 'intervalMs' | 'jitterMs'>, random: () => number): number {
  return o.intervalMs + Math.min(o.jitterMs, Math.floor(random() * (o.jitterMs + 1)));
}

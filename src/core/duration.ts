import { UsageError } from '../errors.js';

/** Milliseconds per unit a duration may use: `ms`, `s`, `m`, `h`, `d`. */
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** One or more `<number><unit>` parts (`90s`, `1h30m`, `1.5s`); a bare number is seconds. */
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

export interface DurationLimits {
  /** Smallest allowed, in milliseconds (default 0: `0s` allowed). */
  readonly minMs?: number;
  /** Largest allowed, in milliseconds (default 30 days). */
  readonly maxMs?: number;
}

/**
 * A duration as people write it (`10s`, `500ms`, `5m`, `1h30m`, `2d`; a bare number is seconds) to
 * milliseconds. `what` names the flag or setting in the error (e.g. `--interval`). Pure: no I/O.
 */
export function parseDuration(raw: string, what: string, limits: DurationLimits = {}): number {
  const text = raw.trim();
  const minMs = limits.minMs ?? 0;
  const maxMs = limits.maxMs ?? 30 * UNIT_MS.d!;
  let ms: number;
  if (/^\d+(?:\.\d+)?$/.test(text)) ms = Number(text) * 1000;
  else if (WHOLE.test(text)) ms = [...text.matchAll(PART)].reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit!]!, 0);
  else throw new UsageError(`${what} ${JSON.stringify(raw)}: not a duration`, 'write it as e.g. 30s, 500ms, 5m, 1h30m or 2d (a bare number is seconds)');
  ms = Math.round(ms);
  if (ms < minMs || ms > maxMs) {
    throw new UsageError(`${what} ${JSON.stringify(raw)}: out of range`, `use from ${formatDuration(minMs)} to ${formatDuration(maxMs)}`);
  }
  return ms;
}

/** Milliseconds as the largest whole units that fit (`90000` -> `1m30s`, `0` -> `0s`, `1500` -> `1.5s`). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return ms === 0 ? '0s' : `${ms}ms`;
  let rest = ms;
  let out = '';
  for (const unit of ['d', 'h', 'm'] as const) {
    const n = Math.floor(rest / UNIT_MS[unit]!);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * UNIT_MS[unit]!;
  }
  if (rest > 0) out += `${Number((rest / 1000).toFixed(3))}s`;
  return out;
}

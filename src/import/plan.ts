import { UsageError } from '../errors.js';
import { isValidKey, KEY_RULE } from '../core/scope.js';
import { MAX_VALUE_BYTES, valueByteLength, type SecretValue } from '../store/types.js';

/** What to do with a key that already exists at the target with another value. */
export type OnConflict = 'fail' | 'skip' | 'update';
export const ON_CONFLICT: readonly OnConflict[] = ['fail', 'skip', 'update'];

export type Action = 'create' | 'update' | 'unchanged' | 'skip';

/** A key to bring to the target: its value and, for a new secret, its description and the user's tags. */
export interface Desired {
  key: string;
  value: SecretValue;
  description?: string | undefined;
  tags?: Record<string, string> | undefined;
}

/**
 * What the target holds under a key: a live value, a name scheduled for deletion, or a link (scoped never
 * writes through one), with its target's value when that could be read (so an equal value is `unchanged`).
 */
export type Existing = { deleted: false; value: SecretValue } | { deleted: true } | { deleted: false; link: true; value?: SecretValue | undefined };

export interface PlanRow {
  key: string;
  action: Action;
}

export interface Plan {
  rows: PlanRow[];
  /** Keys that exist with another value under --on-conflict fail. */
  conflicts: string[];
  /** Keys whose name at the target is scheduled for deletion (whatever --on-conflict says). */
  deleted: string[];
  /** Keys that are links at the target, with another value (or one that could not be read), under fail or update. */
  links: string[];
}

/** Text and bytes compared exactly; text never equals bytes (the type is part of the value). */
export function sameValue(a: SecretValue, b: SecretValue): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

const SHOWN = 5;

/** A key as quoted in a message: escaped, and cut short (a whole line of a broken file may have become a key). */
function quoteKey(key: string): string {
  return JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key);
}

// eslint-disable-next-line no-control-regex -- NUL, on purpose
const NUL = /\u0000/;
/** With the u flag a paired surrogate is one code point, so only a lone one matches. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Why no reader could carry this text, or undefined. A NUL ends a C string (an environment variable, a
 * shell line); a lone UTF-16 surrogate has no UTF-8 form, so the store would keep something else than
 * was given. `set`/`create` store such bytes from a file as binary; an import holds text, so it refuses.
 */
export function unreadableText(value: string): string | undefined {
  if (NUL.test(value)) return 'holds a NUL character (\\u0000), which no environment variable can carry (store binary data from a file instead)';
  if (LONE_SURROGATE.test(value)) return 'holds a lone UTF-16 surrogate (half of a \\uD83D\\uDE00 pair), which is not text UTF-8 can carry';
  return undefined;
}

/** What is wrong with one key and its value (the KEY rule, no empty value, the size limit, text no reader carries), or undefined. */
export function entryProblem(key: string, value: SecretValue): string | undefined {
  if (!isValidKey(key)) return `invalid key ${quoteKey(key)}`;
  if (valueByteLength(value) === 0) return `${key} has an empty value`;
  if (valueByteLength(value) > MAX_VALUE_BYTES) return `${key} is ${valueByteLength(value)} bytes, over the limit of ${MAX_VALUE_BYTES}`;
  const unreadable = typeof value === 'string' ? unreadableText(value) : undefined;
  return unreadable === undefined ? undefined : `the value of ${key} ${unreadable}`;
}

export const FIX_SOURCE_HINT =
  'fix the source and run again (empty values cannot be stored: leave such keys out; store binary data with scoped create secret KEY --from-file PATH)';

/** One usage error naming the first few problems of a source and how many more (the key rule when a key broke it). */
export function sourceProblems(what: string, problems: readonly string[], hint: string): UsageError {
  const more = problems.length > SHOWN ? `, and ${problems.length - SHOWN} more` : '';
  const keyRule = problems.some((p) => p.startsWith('invalid key')) ? ` (a key is ${KEY_RULE})` : '';
  return new UsageError(`${what}: nothing written: ${problems.slice(0, SHOWN).join('; ')}${more}${keyRule}`, hint);
}

/**
 * Every key and value checked before anything is written. One usage error names every problem (the first
 * few, and how many more); never a value.
 */
export function validateDesired(entries: readonly { key: string; value: SecretValue }[], what: string): void {
  const problems = entries.flatMap(({ key, value }) => entryProblem(key, value) ?? []);
  if (problems.length > 0) throw sourceProblems(what, problems, FIX_SOURCE_HINT);
}

/**
 * Pure: what to do with each desired key given what the target holds. An equal value is `unchanged`
 * under every --on-conflict (so a re-run is a no-op); another value is a conflict, a skip or an update.
 * A link is never written: another value (or a target that could not be read) is skipped under `skip` and
 * refused under `fail` and `update`, which no --on-conflict could get past.
 */
export function planWrites(desired: readonly Desired[], existing: ReadonlyMap<string, Existing>, onConflict: OnConflict): Plan {
  const plan: Plan = { rows: [], conflicts: [], deleted: [], links: [] };
  for (const d of desired) {
    const there = existing.get(d.key);
    let action: Action;
    if (there === undefined) action = 'create';
    else if (there.deleted) {
      plan.deleted.push(d.key);
      continue;
    } else if ('link' in there) {
      if (there.value !== undefined && sameValue(there.value, d.value)) action = 'unchanged';
      else if (onConflict === 'skip') action = 'skip';
      else {
        plan.links.push(d.key);
        continue;
      }
    } else if (sameValue(there.value, d.value)) action = 'unchanged';
    else if (onConflict === 'fail') {
      plan.conflicts.push(d.key);
      continue;
    } else action = onConflict;
    plan.rows.push({ key: d.key, action });
  }
  return plan;
}

/** Counts per action, every action present (for summaries and -o json). */
export function countActions(rows: readonly { action: Action }[]): Record<Action, number> {
  const counts: Record<Action, number> = { create: 0, update: 0, unchanged: 0, skip: 0 };
  for (const r of rows) counts[r.action]++;
  return counts;
}

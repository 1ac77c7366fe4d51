import { UsageError } from '../errors.js';
import type { Sourced } from './settings.js';
import { parseDuration } from '../core/duration.js';

/** The rules a setting's value must follow, wherever it came from: the prefix and the time limit. */

/** The documented default of `--timeout` / `SCOPED_TIMEOUT`. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/** Seconds, more than 0 and at most a day (decimals allowed). */
export function parseTimeout(raw: Sourced<string> | undefined): Sourced<number> {
  if (raw === undefined) return { value: DEFAULT_TIMEOUT_SECONDS, source: 'default' };
  const n = /^\d+(\.\d+)?$/.test(raw.value.trim()) ? Number(raw.value) : Number.NaN;
  if (!(n > 0 && n <= 86_400)) {
    throw new UsageError(`invalid timeout ${JSON.stringify(raw.value)} (from ${raw.source})`, 'use a number of seconds from 0.1 to 86400, such as 60');
  }
  return { value: n, source: raw.source };
}

/** On or off: `true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off` (a flag given is `true`). */
export function parseSwitch(name: string, raw: Sourced<string> | undefined): Sourced<boolean> {
  if (raw === undefined) return { value: false, source: 'default' };
  const v = raw.value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return { value: true, source: raw.source };
  if (['false', '0', 'no', 'off'].includes(v)) return { value: false, source: raw.source };
  throw new UsageError(`invalid ${name} ${JSON.stringify(raw.value)} (from ${raw.source})`, 'use true or false');
}

/** The value cache's default bound: thousands of values, a small part of any disk. */
export const DEFAULT_CACHE_MAX_BYTES = 16 * 1024 * 1024;
const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, b: 1, k: 1024, kib: 1024, m: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gib: 1024 ** 3 };

/** `cache-max-size`: bytes, or with a unit (`512KiB`, `64MiB`, `1GiB`); from 64 KiB to 4 GiB. */
export function parseCacheMaxSize(raw: Sourced<string> | undefined): Sourced<number> {
  if (raw === undefined) return { value: DEFAULT_CACHE_MAX_BYTES, source: 'default' };
  const m = /^(\d+)\s*([a-z]*)$/i.exec(raw.value.trim());
  const unit = SIZE_UNITS[(m?.[2] ?? '').toLowerCase()];
  const bytes = m && unit !== undefined ? Number(m[1]) * unit : Number.NaN;
  if (!(bytes >= 64 * 1024 && bytes <= 4 * 1024 ** 3)) {
    throw new UsageError(`invalid cache-max-size ${JSON.stringify(raw.value)} (from ${raw.source})`, 'use a size from 64KiB to 4GiB, such as 16MiB');
  }
  return { value: bytes, source: raw.source };
}

/** `--max-age DURATION` (`30m`, `12h`, `7d`; at most a year): how old a last-known-good snapshot may be. */
export function parseMaxAge(raw: Sourced<string> | undefined): Sourced<number | undefined> {
  if (raw === undefined) return { value: undefined, source: 'default' };
  try {
    return { value: parseDuration(raw.value, 'max-age', { minMs: 1000, maxMs: 366 * 86_400_000 }), source: raw.source };
  } catch (err) {
    if (err instanceof UsageError && !raw.source.startsWith('flag')) throw new UsageError(`${err.message} (from ${raw.source})`, err.hint);
    throw err;
  }
}

/** The characters Secrets Manager allows in a name. */
const PREFIX_RE = /^[A-Za-z0-9/_+=.@-]*$/;

/** What follows the prefix at most: `org/project/domain/` (63 characters each) and a KEY of 128. */
const LONGEST_SUFFIX = 3 * (63 + 1) + 128;
/** Secrets Manager's limit on a name (CreateSecret `Name`: 1 to 512 characters). */
export const MAX_NAME_CHARS = 512;
/** So that every name under it fits: a longer prefix would fail on some scopes and keys only. */
export const MAX_PREFIX_CHARS = MAX_NAME_CHARS - LONGEST_SUFFIX;

/**
 * Prefixes end with `/` so that one org never matches another by prefix. Each of its segments is a
 * name: not empty (`/x`, `a//b/`), not `.` or `..` (`./`, `x/../`, which paths, policies and people read
 * as something else), and short enough that every secret name under it stays within Secrets Manager's
 * 512 characters. Nor is it empty: names would start at the org, and on AWS every secret of the region
 * with four segments would look like one of scoped's (the environment's SCOPED_PREFIX='' is unset).
 */
export function normalisePrefix(prefix: string, source: string): string {
  const bad = (why: string, hint = 'e.g. --prefix scoped/ or --prefix team/secrets/'): UsageError =>
    new UsageError(`invalid prefix ${JSON.stringify(prefix.length > 64 ? `${prefix.slice(0, 64)}…` : prefix)} (from ${source}): ${why}`, hint);
  if (!PREFIX_RE.test(prefix)) throw bad('use letters, digits and / _ + = . @ -');
  if (prefix === '')
    throw bad(
      'a prefix cannot be empty: it tells the secrets scoped owns apart from every other secret in the account',
      'keep the default scoped/, or choose one such as team/secrets/',
    );
  const full = prefix.endsWith('/') ? prefix : `${prefix}/`;
  const segments = full.slice(0, -1).split('/');
  if (segments.some((s) => s === '')) throw bad('a segment between slashes is empty (no leading slash, no //)');
  if (segments.some((s) => s === '.' || s === '..')) throw bad('a segment is . or .., which are not names');
  if (full.length > MAX_PREFIX_CHARS) {
    throw bad(
      `it is ${full.length} characters; at most ${MAX_PREFIX_CHARS}, so that every secret name (prefix, org, project and domain up to 63 characters each, KEY up to 128) stays within Secrets Manager's ${MAX_NAME_CHARS}`,
      'choose a shorter prefix',
    );
  }
  return full;
}

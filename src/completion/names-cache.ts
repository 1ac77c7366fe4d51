import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { builtin } from '../support/builtin.js';
import { join } from 'node:path';
import type { Config } from '../config.js';
import { writeFileAtomic } from '../support/atomic-write.js';

/**
 * The names-only cache that lets Tab skip a network round trip on the AWS backend: secret names under
 * one org (never a value, description or tag), one file per backend, prefix, org and account settings,
 * mode 0600 in a 0700 directory.
 */
export const CACHE_TTL_MS = 60_000;
/** How long one background refresh may run before another is started. */
export const REFRESH_LOCK_MS = 10_000;
const FORMAT = 'scoped-names/1';

export interface CachedNames {
  fetchedAt: number;
  /** Live secrets. */
  names: string[];
  /** Secrets scheduled for deletion (for `restore secret`). */
  deleted: string[];
}

export function cacheDir(env: Record<string, string | undefined>): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'scoped');
}

// node:crypto loaded when first needed (the AWS path): a Tab on the local store should not pay for it.

/** Everything that changes which secrets a listing returns. */
export function cacheFile(dir: string, config: Config): string {
  const identity = [config.backend.value, config.prefix.value, config.org.value, config.region.value, config.endpointUrl.value, config.profile.value, config.roleArn.value];
  const { createHash } = builtin('node:crypto');
  const hash = createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 32);
  return join(dir, `names-${hash}.json`);
}

/** The cached names if younger than the TTL; anything unreadable counts as absent. */
export function readNames(file: string, now: number, ttl = CACHE_TTL_MS): CachedNames | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<CachedNames> & { format?: string };
    if (data.format !== FORMAT || typeof data.fetchedAt !== 'number') return undefined;
    if (!Array.isArray(data.names) || !Array.isArray(data.deleted)) return undefined;
    const age = now - data.fetchedAt;
    if (age < 0 || age >= ttl) return undefined;
    return { fetchedAt: data.fetchedAt, names: data.names.map(String), deleted: data.deleted.map(String) };
  } catch {
    return undefined;
  }
}

/** `dir`, created 0700 (or made so). */
export function privateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

/** Written whole (writeFileAtomic), so a reader never sees half a file. */
export function writeNames(file: string, names: CachedNames): void {
  const dir = join(file, '..');
  privateDir(dir);
  writeFileAtomic(file, JSON.stringify({ format: FORMAT, ...names }));
}

/**
 * Claims the right to start a background refresh: true unless another one started less than
 * REFRESH_LOCK_MS ago. A refresh that fails leaves its claim, so a broken setup retries at that pace.
 */
export function claimRefresh(file: string, now: number): boolean {
  const lock = `${file}.refresh`;
  privateDir(join(file, '..'));
  try {
    if (now - statSync(lock).mtimeMs < REFRESH_LOCK_MS) return false;
    unlinkSync(lock);
  } catch {
    // No claim yet.
  }
  try {
    closeSync(openSync(lock, 'wx', 0o600));
    return true;
  } catch {
    return false;
  }
}

export function releaseRefresh(file: string): void {
  try {
    unlinkSync(`${file}.refresh`);
  } catch {
    // Already gone.
  }
}

import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../support/atomic-write.js';
import { open, seal, type Sealed } from '../local/crypto.js';
import type { SecretValue } from '../types.js';

/**
 * The files of the value cache and of the last-known-good snapshots: under `$XDG_CACHE_HOME/scoped`
 * (else ~/.cache/scoped; beside, never in, the code cache's `code/`), folders 0700, files 0600, each a
 * JSON record sealed with the local store's key (AES-256-GCM) and bound by its AAD to what it is for.
 * A file's name is a hash of what it is for: no secret name, and never a value, in clear.
 */

export const CACHE_FORMAT = 'scoped-cache/1';

/** `$XDG_CACHE_HOME/scoped` (else `~/.cache/scoped`). */
export function cacheRoot(env: Record<string, string | undefined>): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'scoped');
}

/** The value cache (by version id) and the snapshots, each in its own folder under the root. */
export const VALUES_DIR = 'values';
export const SNAPSHOTS_DIR = 'snapshots';

/** A private folder: made 0700, and put back to 0700 if it is open to others. */
export function privateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if ((statSync(dir).mode & 0o077) !== 0) chmodSync(dir, 0o700);
  return dir;
}

/** A file name for `parts` (hex SHA-256 of them): says nothing of what it holds. */
export function fileId(parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

interface Envelope {
  format: typeof CACHE_FORMAT;
  sealed: Sealed;
}

/** Writes `record` sealed under `key`, bound to `aad`, as `path` (0600, atomically). */
export function writeSealed(path: string, key: Buffer, aad: string, record: unknown): void {
  const envelope: Envelope = { format: CACHE_FORMAT, sealed: seal(key, Buffer.from(JSON.stringify(record), 'utf8'), aad) };
  writeFileAtomic(path, JSON.stringify(envelope));
}

/** The record in `path`, or undefined when it is missing, unreadable, not ours, or does not open under `key`. */
export function readSealed(path: string, key: Buffer, aad: string): unknown {
  try {
    const envelope = JSON.parse(readFileSync(path, 'utf8')) as Envelope;
    if (envelope.format !== CACHE_FORMAT) return undefined;
    return JSON.parse(open(key, envelope.sealed, aad).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** A value as JSON can carry it: text as is, bytes as base64. */
export type StoredValue = { s: string } | { b: string };
export const storeValue = (v: SecretValue): StoredValue => (typeof v === 'string' ? { s: v } : { b: Buffer.from(v).toString('base64') });
export const loadValue = (v: StoredValue): SecretValue => ('s' in v ? v.s : new Uint8Array(Buffer.from(v.b, 'base64')));

/** Removes the value cache and the snapshots (not the code cache); how many files there were. */
export function clearCache(root: string): number {
  let files = 0;
  for (const sub of [VALUES_DIR, SNAPSHOTS_DIR]) {
    const dir = join(root, sub);
    try {
      files += readdirSync(dir).filter((f) => !f.startsWith('.')).length;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return files;
}

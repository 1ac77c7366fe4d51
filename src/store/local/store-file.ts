import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { StoreCorruptError, UnavailableError } from '../../errors.js';
import type { Sealed } from './crypto.js';

export const STORE_FILE = 'store.json';
const LOCK_FILE = 'store.lock';
const FORMAT = 'scoped-local/1';

export interface StoredVersion extends Sealed {
  id: string;
  createdAt: string;
  stages: string[];
  binary: boolean;
}

export interface StoredSecret {
  description?: string | undefined;
  tags: Record<string, string>;
  kmsKeyId?: string | undefined;
  createdAt: string;
  lastChangedAt: string;
  deletedAt?: string | undefined;
  purgeAt?: string | undefined;
  versions: StoredVersion[];
}

export interface StoreData {
  format: typeof FORMAT;
  secrets: Record<string, StoredSecret>;
}

export function ensureHome(home: string): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
}

/** The whole store. A missing file is an empty store; anything unreadable is an error naming the file. */
export function readStore(home: string): StoreData {
  const path = join(home, STORE_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { format: FORMAT, secrets: Object.create(null) };
    throw err;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new StoreCorruptError(`local store ${path} is not valid JSON`, 'restore it from a backup; scoped will not overwrite it');
  }
  const d = data as Partial<StoreData> | null;
  if (!d || d.format !== FORMAT || typeof d.secrets !== 'object' || d.secrets === null) {
    throw new StoreCorruptError(`local store ${path} is not a ${FORMAT} file`, 'restore it from a backup; scoped will not overwrite it');
  }
  return { format: FORMAT, secrets: Object.assign(Object.create(null), d.secrets) as Record<string, StoredSecret> };
}

/** Temp file in the same folder, fsync, rename over, fsync the folder: a reader sees old or new, never half. */
function writeStoreAtomic(home: string, data: StoreData): void {
  const path = join(home, STORE_FILE);
  const tmp = join(home, `.${STORE_FILE}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, JSON.stringify(data));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  const dir = openSync(home, 'r');
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}

/** Temp files left by writers killed mid-write; only the lock holder calls this. */
function removeLeftovers(home: string): void {
  for (const entry of readdirSync(home)) {
    if (entry.startsWith(`.${STORE_FILE}.`) && entry.endsWith('.tmp')) {
      try {
        unlinkSync(join(home, entry));
      } catch {
        // another cleanup got there first
      }
    }
  }
}

/**
 * Read-modify-write under a cross-process lock (proper-lockfile: an atomic mkdir, refreshed while held,
 * taken over when stale, so a writer killed with SIGKILL blocks others for seconds, not forever).
 * `change` returns the result; it may throw to abort without writing.
 */
export async function mutateStore<T>(home: string, change: (data: StoreData) => T): Promise<T> {
  ensureHome(home);
  let compromised: Error | undefined;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(home, {
      lockfilePath: join(home, LOCK_FILE),
      realpath: false,
      stale: 2_000,
      update: 1_000,
      retries: { retries: 400, factor: 1.3, minTimeout: 5, maxTimeout: 50, randomize: true },
      onCompromised: (err) => {
        compromised = err;
      },
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new UnavailableError(
        `local store ${home} is locked by another scoped process`,
        `retry; if no scoped process is running, remove ${join(home, LOCK_FILE)}`,
      );
    }
    throw err;
  }
  try {
    removeLeftovers(home);
    const data = readStore(home);
    const result = change(data);
    if (compromised) throw new UnavailableError(`lost the lock on local store ${home}`, 'retry the command');
    writeStoreAtomic(home, data);
    return result;
  } finally {
    await release().catch(() => undefined);
  }
}

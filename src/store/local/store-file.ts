import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { writeFileAtomic } from '../../fs/atomic-write.js';
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
  /** `keyCheck()` of the key every value is sealed with; set by the first write that seals one. */
  keyCheck?: string | undefined;
  secrets: Record<string, StoredSecret>;
}

/**
 * The first line of the store file: every name, with the purge time of those scheduled for deletion
 * (0 for live ones), so listing names needs neither the metadata nor the sealed values. The second line
 * is the whole `StoreData`; both are written together in one atomic rename.
 */
export type StoreIndex = Record<string, number>;

export interface StoreHeader {
  keyCheck?: string | undefined;
  names: StoreIndex;
}

function indexOf(data: StoreData): StoreIndex {
  const index: StoreIndex = {};
  for (const [name, s] of Object.entries(data.secrets)) index[name] = s.purgeAt === undefined ? 0 : Date.parse(s.purgeAt);
  return index;
}

function corrupt(path: string, what: string): StoreCorruptError {
  return new StoreCorruptError(`local store ${path} ${what}`, 'restore it from a backup; scoped will not overwrite it');
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
  const newline = text.indexOf('\n');
  if (newline < 0) throw corrupt(path, 'is truncated or not a scoped store');
  let data: unknown;
  try {
    data = JSON.parse(text.slice(newline + 1));
  } catch {
    throw corrupt(path, 'is not valid JSON');
  }
  const d = data as Partial<StoreData> | null;
  if (!d || d.format !== FORMAT || typeof d.secrets !== 'object' || d.secrets === null) {
    throw corrupt(path, `is not a ${FORMAT} file`);
  }
  for (const [name, secret] of Object.entries(d.secrets)) {
    const problem = shapeProblem(secret);
    if (problem) throw corrupt(path, `has a damaged entry for ${name} (${problem})`);
  }
  return { format: FORMAT, keyCheck: typeof d.keyCheck === 'string' ? d.keyCheck : undefined, secrets: Object.assign(Object.create(null), d.secrets) as Record<string, StoredSecret> };
}

const isDate = (v: unknown): boolean => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const isString = (v: unknown): boolean => typeof v === 'string';

/** What is wrong with one stored secret, if anything: a damaged entry is reported, never half-used. */
function shapeProblem(s: unknown): string | undefined {
  const x = s as Partial<StoredSecret> | null;
  if (!x || typeof x !== 'object') return 'not an object';
  if (!x.tags || typeof x.tags !== 'object' || Object.values(x.tags).some((v) => !isString(v))) return 'tags';
  if (!isDate(x.createdAt) || !isDate(x.lastChangedAt)) return 'dates';
  if ((x.deletedAt !== undefined && !isDate(x.deletedAt)) || (x.purgeAt !== undefined && !isDate(x.purgeAt))) return 'deletion dates';
  if (x.description !== undefined && !isString(x.description)) return 'description';
  if (!Array.isArray(x.versions)) return 'versions';
  for (const v of x.versions as Partial<StoredVersion>[]) {
    if (!v || !isString(v.id) || !isDate(v.createdAt) || !Array.isArray(v.stages) || typeof v.binary !== 'boolean') return 'a version';
    if (!isString(v.iv) || !isString(v.data) || !isString(v.tag)) return 'a sealed value';
  }
  return undefined;
}

/** Only the header line, read in chunks until its newline: listing 10,000 names never parses their values. */
export function readHeader(home: string): StoreHeader {
  const path = join(home, STORE_FILE);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { names: {} };
    throw err;
  }
  const chunks: Buffer[] = [];
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(256 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) throw corrupt(path, 'is truncated or not a scoped store');
      const nl = chunk.subarray(0, n).indexOf(10);
      chunks.push(chunk.subarray(0, nl < 0 ? n : nl));
      if (nl >= 0) break;
    }
  } finally {
    closeSync(fd);
  }
  let index: unknown;
  try {
    index = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw corrupt(path, 'is not valid JSON');
  }
  const i = index as { format?: unknown; keyCheck?: unknown; names?: unknown } | null;
  if (!i || i.format !== FORMAT || typeof i.names !== 'object' || i.names === null) throw corrupt(path, `is not a ${FORMAT} file`);
  return { keyCheck: typeof i.keyCheck === 'string' ? i.keyCheck : undefined, names: i.names as StoreIndex };
}

/** Index line and data, in one atomic write (a reader sees old or new, never half). */
function writeStoreAtomic(home: string, data: StoreData): void {
  writeFileAtomic(join(home, STORE_FILE), `${JSON.stringify({ format: FORMAT, keyCheck: data.keyCheck, names: indexOf(data) })}\n${JSON.stringify(data)}`);
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

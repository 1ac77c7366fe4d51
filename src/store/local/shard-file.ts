import { closeSync, constants, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { StoreCorruptError } from '../../errors.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import type { Sealed } from './crypto.js';

/**
 * One shard: the secrets of one scope (every name with the same part before its last `/`), in one file of
 * two lines written together by one atomic rename. Line 1 is the index, `<sum> {"format","names","data"}`:
 * every name with the purge time of those scheduled for deletion (0 for live ones), the checksum of line 2,
 * and its own checksum in front, so listing names reads and checks line 1 alone. Line 2 is the metadata and
 * sealed values. A damaged line is reported (StoreCorruptError naming the file), never half-used.
 */
export const SHARD_FORMAT = 'scoped-local/2';

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

/** Name -> stored secret; null prototype, so no name can be mistaken for an inherited property. */
export type Secrets = Record<string, StoredSecret>;

/** Name -> 0 for a live secret, or the purge time (ms) of one scheduled for deletion. */
export type ShardIndex = Record<string, number>;

// node:crypto on first use: a Tab that lists names loads this module and should not pay for crypto
// until a sum is checked (fast-entry.ts bundles every static import into one file).
const builtin = createRequire(import.meta.url);
const sum = (text: string): string => (builtin('node:crypto') as typeof import('node:crypto')).createHash('sha256').update(text, 'utf8').digest('base64').slice(0, 22);

export function corrupt(path: string, what: string): StoreCorruptError {
  return new StoreCorruptError(`local store file ${path} ${what}`, 'restore it from a backup; scoped will not overwrite it');
}

export const emptySecrets = (): Secrets => Object.create(null) as Secrets;

function indexOf(secrets: Secrets): ShardIndex {
  const index: ShardIndex = Object.create(null) as ShardIndex;
  for (const [name, s] of Object.entries(secrets)) index[name] = s.purgeAt === undefined ? 0 : Date.parse(s.purgeAt);
  return index;
}

/** The file's text: both lines, each checked by a sum in line 1. */
export function shardText(secrets: Secrets): string {
  const data = JSON.stringify({ format: SHARD_FORMAT, secrets });
  const index = JSON.stringify({ format: SHARD_FORMAT, names: indexOf(secrets), data: sum(data) });
  return `${sum(index)} ${index}\n${data}`;
}

export function writeShard(path: string, secrets: Secrets): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileAtomic(path, shardText(secrets));
}

/** Opens without following a symbolic link; undefined when the shard does not exist (an empty scope). */
function openShard(path: string): number | undefined {
  try {
    return openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** A store file's whole text, not following a symbolic link; undefined when it does not exist. */
export function readNoFollow(path: string): string | undefined {
  const fd = openShard(path);
  if (fd === undefined) return undefined;
  try {
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

interface IndexLine {
  names: ShardIndex;
  data: string;
}

function parseIndex(path: string, line: string): IndexLine {
  const space = line.indexOf(' ');
  const body = line.slice(space + 1);
  if (space < 0 || line.slice(0, space) !== sum(body)) throw corrupt(path, 'has a damaged index (checksum mismatch)');
  const i = JSON.parse(body) as { format?: unknown; names?: unknown; data?: unknown };
  if (i.format !== SHARD_FORMAT || typeof i.names !== 'object' || i.names === null || typeof i.data !== 'string') {
    throw corrupt(path, `is not a ${SHARD_FORMAT} file`);
  }
  return { names: Object.assign(Object.create(null), i.names) as ShardIndex, data: i.data };
}

/** Line 1 only, read in chunks until its newline: listing names never reads the values. */
export function readShardIndex(path: string): ShardIndex {
  const fd = openShard(path);
  if (fd === undefined) return Object.create(null) as ShardIndex;
  const chunks: Buffer[] = [];
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) throw corrupt(path, 'is truncated');
      const nl = chunk.subarray(0, n).indexOf(10);
      chunks.push(chunk.subarray(0, nl < 0 ? n : nl));
      if (nl >= 0) break;
    }
  } finally {
    closeSync(fd);
  }
  return parseIndex(path, Buffer.concat(chunks).toString('utf8')).names;
}

/** The whole shard, both lines checked. A missing shard is an empty scope. */
export function readShard(path: string): Secrets {
  const text = readNoFollow(path);
  if (text === undefined) return emptySecrets();
  const nl = text.indexOf('\n');
  if (nl < 0) throw corrupt(path, 'is truncated');
  const index = parseIndex(path, text.slice(0, nl));
  const dataLine = text.slice(nl + 1);
  if (sum(dataLine) !== index.data) throw corrupt(path, 'has damaged data (checksum mismatch)');
  const d = JSON.parse(dataLine) as { format?: unknown; secrets?: unknown };
  if (d.format !== SHARD_FORMAT || typeof d.secrets !== 'object' || d.secrets === null) throw corrupt(path, `is not a ${SHARD_FORMAT} file`);
  return checkSecrets(path, d.secrets as Record<string, unknown>);
}

/** Every entry's shape checked: a damaged entry is reported by name, never half-used. */
export function checkSecrets(path: string, raw: Record<string, unknown>): Secrets {
  const out = emptySecrets();
  for (const [name, secret] of Object.entries(raw)) {
    const problem = shapeProblem(secret);
    if (problem) throw corrupt(path, `has a damaged entry for ${name} (${problem})`);
    out[name] = secret as StoredSecret;
  }
  return out;
}

const isDate = (v: unknown): boolean => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const isString = (v: unknown): boolean => typeof v === 'string';

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

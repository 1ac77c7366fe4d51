import { closeSync, constants, mkdirSync, openSync, readFileSync, readSync } from 'node:fs';
import { builtin } from '../../support/builtin.js';
import { dirname } from 'node:path';
import { StoreCorruptError } from '../../errors.js';
import { writeFileAtomic } from '../../support/atomic-write.js';
import type { Sealed } from './crypto.js';

/**
 * One shard: the secrets of one scope (every name with the same part before its last `/`), in one file
 * written whole by one atomic rename.
 * - Line 1 is the index, `<sum> {"format","names","data","size"}`: every name with the purge time of those
 *   scheduled for deletion (0 for live ones), the checksum and byte size of line 2, and its own checksum
 *   in front, so listing names reads and checks line 1 alone.
 * - Line 2 is the metadata and the sealed values of the versions that carry a stage (all a read by name or
 *   stage needs, so a read stops there), and `old`: the checksum of each secret's line of deprecated versions.
 * - Lines 3 on: one per secret with deprecated versions (no stage; kept as Secrets Manager keeps them, up
 *   to 100 versions), `<JSON name>\t<JSON versions>`. They are read for a version asked for by id, a
 *   listing of versions, and a write; a write checks every line's sum but parses only the secrets it
 *   changes, and copies the others' lines as they are.
 * Each version may carry `by` (who wrote it, `user@host`); versions written before it was recorded lack it.
 * A damaged line is reported (StoreCorruptError naming the file), never half-used. `scoped-local/2`
 * files (two lines, no `size`, no deprecated versions) are read as they are and written as /3.
 */
export const SHARD_FORMAT = 'scoped-local/3';
const OLD_SHARD_FORMAT = 'scoped-local/2';
const FORMATS: readonly unknown[] = [SHARD_FORMAT, OLD_SHARD_FORMAT];

export interface StoredVersion extends Sealed {
  id: string;
  createdAt: string;
  stages: string[];
  binary: boolean;
  /** Who wrote it, `user@host` (never a value); absent in versions written before it was recorded, or when unknown. */
  by?: string | undefined;
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
const sum = (text: string): string => builtin('node:crypto').createHash('sha256').update(text, 'utf8').digest('base64').slice(0, 22);

export function corrupt(path: string, what: string): StoreCorruptError {
  return new StoreCorruptError(`local store file ${path} ${what}`, 'restore it from a backup; scoped will not overwrite it');
}

export const emptySecrets = (): Secrets => Object.create(null) as Secrets;

function indexOf(secrets: Secrets): ShardIndex {
  const index: ShardIndex = Object.create(null) as ShardIndex;
  for (const [name, s] of Object.entries(secrets)) index[name] = s.purgeAt === undefined ? 0 : Date.parse(s.purgeAt);
  return index;
}

const labelled = (v: StoredVersion): boolean => v.stages.length > 0;

/** A secret's line of deprecated versions as read, not parsed until needed; its sum checked at the latest then. */
interface OldLine {
  path: string;
  name: string;
  line: string;
  sum: string;
  checked: boolean;
}
const unparsed = new WeakMap<StoredSecret, OldLine>();

/**
 * Makes `secret.versions` every kept version, newest first (labelled first on a tie), parsing its line of
 * deprecated versions if it was read and not yet parsed. Every change to a secret's versions calls this first.
 */
export function withDeprecated(secret: StoredSecret): StoredSecret {
  const old = unparsed.get(secret);
  if (old === undefined) return secret;
  if (!old.checked && sum(old.line) !== old.sum) throw corrupt(old.path, 'has damaged old versions (checksum mismatch)');
  unparsed.delete(secret);
  const versions = JSON.parse(old.line.slice(old.line.indexOf('\t') + 1)) as unknown;
  const problem = Array.isArray(versions) ? versions.map(versionProblem).find(Boolean) : 'versions';
  if (problem !== undefined) throw corrupt(old.path, `has a damaged entry for ${old.name} (${problem})`);
  const all = [...secret.versions, ...(versions as StoredVersion[])];
  secret.versions = all.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  return secret;
}

/** The file's text (see the top of this file); each secret's versions split by whether they carry a stage. */
export function shardText(secrets: Secrets): string {
  const live: Secrets = emptySecrets();
  const old: Record<string, string> = Object.create(null) as Record<string, string>;
  const lines: string[] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    const kept = unparsed.get(secret);
    // A version that lost its stage while the deprecated ones were unread: merge, then split again.
    if (kept !== undefined && Array.isArray(secret.versions) && !secret.versions.every(labelled)) withDeprecated(secret);
    const raw = unparsed.get(secret);
    if (raw !== undefined) {
      live[name] = secret;
      old[name] = raw.sum;
      lines.push(raw.line);
      continue;
    }
    if (!Array.isArray(secret.versions)) {
      live[name] = secret; // a damaged entry (as tests make one): written as given
      continue;
    }
    live[name] = { ...secret, versions: secret.versions.filter(labelled) };
    const deprecated = secret.versions.filter((v) => !labelled(v));
    if (deprecated.length === 0) continue;
    const line = `${JSON.stringify(name)}\t${JSON.stringify(deprecated)}`;
    old[name] = sum(line);
    lines.push(line);
  }
  const data = JSON.stringify({ format: SHARD_FORMAT, secrets: live, old });
  const index = JSON.stringify({ format: SHARD_FORMAT, names: indexOf(secrets), data: sum(data), size: Buffer.byteLength(data, 'utf8') });
  return [`${sum(index)} ${index}`, data, ...lines].join('\n');
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
  format: string;
  names: ShardIndex;
  data: string;
  /** Line 2's size in bytes (scoped-local/3); undefined in a scoped-local/2 file, where line 2 is the rest. */
  size: number | undefined;
}

function parseIndex(path: string, line: string): IndexLine {
  const space = line.indexOf(' ');
  const body = line.slice(space + 1);
  if (space < 0 || line.slice(0, space) !== sum(body)) throw corrupt(path, 'has a damaged index (checksum mismatch)');
  const i = JSON.parse(body) as { format?: unknown; names?: unknown; data?: unknown; size?: unknown };
  const current = i.format === SHARD_FORMAT;
  if (!FORMATS.includes(i.format) || typeof i.names !== 'object' || i.names === null || typeof i.data !== 'string' || (current && !Number.isSafeInteger(i.size))) {
    throw corrupt(path, `is not a ${SHARD_FORMAT} file`);
  }
  return { format: i.format as string, names: Object.assign(Object.create(null), i.names) as ShardIndex, data: i.data, size: current ? (i.size as number) : undefined };
}

/**
 * Reads from the start until `enough` says how many bytes it needs (given what has been read), or to the
 * end: an index line, or an index line and line 2, without the rest of the file.
 */
function readHead(fd: number, enough: (head: Buffer) => number | undefined): Buffer {
  let head = Buffer.alloc(0);
  let want: number | undefined;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.max(64 * 1024, (want ?? 0) - head.length));
    const n = readSync(fd, chunk, 0, chunk.length, null);
    head = Buffer.concat([head, chunk.subarray(0, n)]);
    want = enough(head);
    if (n === 0 || (want !== undefined && head.length >= want)) return want === undefined ? head : head.subarray(0, want);
  }
}

/** Line 1 only, read in chunks until its newline: listing names never reads the values. */
export function readShardIndex(path: string): ShardIndex {
  const fd = openShard(path);
  if (fd === undefined) return Object.create(null) as ShardIndex;
  let head: Buffer;
  try {
    head = readHead(fd, (h) => {
      const nl = h.indexOf(10);
      return nl < 0 ? undefined : nl + 1;
    });
  } finally {
    closeSync(fd);
  }
  const nl = head.indexOf(10);
  if (nl < 0) throw corrupt(path, 'is truncated');
  return parseIndex(path, head.subarray(0, nl).toString('utf8')).names;
}

/**
 * The shard, its lines checked. Line 2 always; with `deprecated`, the whole file, each secret's deprecated
 * versions kept aside until `withDeprecated` (a change, a read by id, a listing) asks for them, and their
 * line's sum checked then, or at once for every line with `checkAll` (a write: nothing damaged is carried
 * into a new file). A missing shard is an empty scope.
 */
export function readShard(path: string, options: { deprecated?: boolean; checkAll?: boolean } = {}): Secrets {
  const fd = openShard(path);
  if (fd === undefined) return emptySecrets();
  let bytes: Buffer;
  try {
    bytes = options.deprecated
      ? readFileSync(fd)
      : readHead(fd, (h) => {
          const nl = h.indexOf(10);
          if (nl < 0) return undefined;
          const size = parseIndex(path, h.subarray(0, nl).toString('utf8')).size;
          return size === undefined ? undefined : nl + 1 + size;
        });
  } finally {
    closeSync(fd);
  }
  const nl = bytes.indexOf(10);
  if (nl < 0) throw corrupt(path, 'is truncated');
  const index = parseIndex(path, bytes.subarray(0, nl).toString('utf8'));
  const end = index.size === undefined ? bytes.length : nl + 1 + index.size;
  if (end > bytes.length || (index.size !== undefined && end < bytes.length && bytes[end] !== 10)) throw corrupt(path, 'is truncated');
  const dataLine = bytes.subarray(nl + 1, end).toString('utf8');
  if (sum(dataLine) !== index.data) throw corrupt(path, 'has damaged data (checksum mismatch)');
  const d = JSON.parse(dataLine) as { format?: unknown; secrets?: unknown; old?: unknown };
  const current = index.format === SHARD_FORMAT;
  if (d.format !== index.format || typeof d.secrets !== 'object' || d.secrets === null || (current && (typeof d.old !== 'object' || d.old === null))) {
    throw corrupt(path, `is not a ${SHARD_FORMAT} file`);
  }
  const secrets = checkSecrets(path, d.secrets as Record<string, unknown>);
  if (options.deprecated && current) {
    keepDeprecated(path, secrets, d.old as Record<string, unknown>, end < bytes.length ? bytes.subarray(end + 1).toString('utf8') : '', options.checkAll === true);
  }
  return secrets;
}

/** Lines 3 on: each set aside for its secret (see `withDeprecated`), its sum from line 2 checked now with `checkAll`. */
function keepDeprecated(path: string, secrets: Secrets, sums: Record<string, unknown>, rest: string, checkAll: boolean): void {
  const seen = new Set<string>();
  for (const line of rest === '' ? [] : rest.split('\n')) {
    const tab = line.indexOf('\t');
    let name: unknown;
    try {
      name = tab < 0 ? undefined : JSON.parse(line.slice(0, tab));
    } catch {
      name = undefined;
    }
    if (typeof name !== 'string' || typeof sums[name] !== 'string' || (checkAll && sums[name] !== sum(line)) || seen.has(name)) {
      throw corrupt(path, 'has damaged old versions (checksum mismatch)');
    }
    const secret = secrets[name];
    if (secret === undefined) throw corrupt(path, `has old versions of ${name}, which it does not hold`);
    seen.add(name);
    unparsed.set(secret, { path, name, line, sum: sums[name] as string, checked: checkAll });
  }
  if (Object.keys(sums).some((name) => !seen.has(name))) throw corrupt(path, 'is truncated (old versions are missing)');
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
  return (x.versions as unknown[]).map(versionProblem).find(Boolean);
}

function versionProblem(version: unknown): string | undefined {
  const v = version as Partial<StoredVersion> | null;
  if (!v || !isString(v.id) || !isDate(v.createdAt) || !Array.isArray(v.stages) || typeof v.binary !== 'boolean') return 'a version';
  if (!isString(v.iv) || !isString(v.data) || !isString(v.tag)) return 'a sealed value';
  if (v.by !== undefined && !isString(v.by)) return 'a writer';
  return undefined;
}

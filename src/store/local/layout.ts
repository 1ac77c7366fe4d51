import { lstatSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * Where each secret lives: the shard of its scope. A name's scope is everything before its last `/`
 * (`scoped/acme/billing/_` for `scoped/acme/billing/_/API_KEY`), and its shard file mirrors it as folders
 * under `<home>/secrets/`: `scoped/acme/billing/_.shard`. So a deployment's (up to) four scopes are four
 * files found without listing anything, and a write at one scope rewrites that scope's file alone.
 * Each segment keeps `[a-z0-9_-]` and writes every other byte as `%XX` (no `.`/`..`, no case clashes on
 * case-insensitive disks); an empty segment is `%`. Names without a `/` live in `@root.shard`.
 */
export const SECRETS_DIR = 'secrets';
export const SHARD_EXT = '.shard';
const ROOT_SHARD = `@root${SHARD_EXT}`;

export function encodeSegment(segment: string): string {
  if (segment === '') return '%';
  let out = '';
  for (const byte of Buffer.from(segment, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[a-z0-9_-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function decodeSegment(encoded: string): string {
  if (encoded === '%') return '';
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    if (encoded[i] === '%') {
      bytes.push(Number.parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(encoded.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The scope part of a name, or undefined for a name without `/`. */
export function scopeOf(name: string): string | undefined {
  const slash = name.lastIndexOf('/');
  return slash < 0 ? undefined : name.slice(0, slash);
}

function scopeDir(root: string, scope: string): string {
  return join(root, ...scope.split('/').map(encodeSegment));
}

/** The shard file of a scope (as from `scopeOf`). */
export function shardPath(root: string, scope: string | undefined): string {
  return scope === undefined ? join(root, ROOT_SHARD) : `${scopeDir(root, scope)}${SHARD_EXT}`;
}

/** The lock file beside a shard. */
export function lockPath(shard: string): string {
  return `${shard.slice(0, -SHARD_EXT.length)}.lock`;
}

/**
 * A symbolic link met inside the store, as the file system would report it (ELOOP): fs-errors.ts words it.
 * The store follows no link below its folder: a project folder linked to `/etc` would let a write land
 * outside the store, and a read answer from files that are not the store's.
 */
export function linkError(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ELOOP: symbolic link inside the local store, ${path}`), { code: 'ELOOP', syscall: 'lstat', path });
}

/**
 * Throws `linkError` for the first symbolic link among `root` and the folders from it down to `dir`
 * (which is at or below `root`); folders that do not exist yet end the check.
 */
export function checkNoLinks(root: string, dir: string): void {
  const rel = relative(root, dir);
  let path = root;
  for (const part of ['', ...(rel === '' ? [] : rel.split(sep))]) {
    path = part === '' ? path : join(path, part);
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isSymbolicLink()) throw linkError(path);
  }
}

function listDir(dir: string): import('node:fs').Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw err;
  }
}

const stripShard = (name: string): string => (name.endsWith(SHARD_EXT) ? name.slice(0, -SHARD_EXT.length) : name);
/** A folder or shard name of the layout (not a lock, a temp file or a stranger's dot file). */
const isStoreEntry = (name: string): boolean => !name.startsWith('.') && (name.endsWith(SHARD_EXT) || !name.includes('.'));

/** Every shard file under `dir`, at any depth. */
function walk(dir: string, out: string[]): void {
  for (const entry of listDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink() && isStoreEntry(entry.name)) throw linkError(path);
    if (entry.isDirectory()) walk(path, out);
    else if (entry.isFile() && entry.name.endsWith(SHARD_EXT) && entry.name !== ROOT_SHARD) out.push(path);
  }
}

/**
 * The shard files that may hold names starting with `prefix`: the shard of the prefix's scope part, and
 * every shard below it whose next segment starts with the rest. A scope prefix (`scoped/acme/_/_/`) is one
 * file and one folder that usually does not exist: its cost does not depend on the rest of the store.
 */
export function shardsFor(root: string, prefix: string): string[] {
  const scope = scopeOf(prefix);
  const partial = scope === undefined ? prefix : prefix.slice(scope.length + 1);
  const out = [shardPath(root, scope)];
  const dir = scope === undefined ? root : scopeDir(root, scope);
  checkNoLinks(root, dir);
  for (const entry of listDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink() && isStoreEntry(entry.name) && decodeSegment(stripShard(entry.name)).startsWith(partial)) throw linkError(path);
    if (entry.isDirectory()) {
      if (decodeSegment(entry.name).startsWith(partial)) walk(path, out);
    } else if (entry.isFile() && entry.name.endsWith(SHARD_EXT) && entry.name !== ROOT_SHARD) {
      if (decodeSegment(entry.name.slice(0, -SHARD_EXT.length)).startsWith(partial)) out.push(path);
    }
  }
  return out;
}

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fsyncDir } from '../../support/atomic-write.js';
import { AccessDeniedError } from '../../errors.js';
import { ensureKeyCheck, readKeyCheck } from './key.js';
import { SECRETS_DIR, checkNoLinks, lockPath, scopeOf, shardPath } from './layout.js';
import { withLock } from './lock.js';
import { prune } from './secret-ops.js';
import { checkSecrets, corrupt, emptySecrets, readNoFollow, readShard, withDeprecated, writeShard, type Secrets, type StoredSecret } from './shard-file.js';

/**
 * The format before shards: `<home>/store.json`, line 1 an index of names, line 2 every secret of every
 * scope (`scoped-local/1`). It is migrated on first use, by whichever command comes first.
 */
export const LEGACY_FILE = 'store.json';
const LEGACY_FORMAT = 'scoped-local/1';
const MIGRATE_LOCK = 'migrate.lock';
const STAGING = '.secrets.migrating-';

interface LegacyStore {
  keyCheck: string | undefined;
  secrets: Secrets;
}

export function readLegacy(path: string): LegacyStore {
  const text = readNoFollow(path);
  if (text === undefined) throw corrupt(path, 'is missing');
  const newline = text.indexOf('\n');
  if (newline < 0) throw corrupt(path, 'is truncated or not a scoped store');
  let data: unknown;
  try {
    data = JSON.parse(text.slice(newline + 1));
  } catch {
    throw corrupt(path, 'is not valid JSON');
  }
  const d = data as { format?: unknown; keyCheck?: unknown; secrets?: unknown } | null;
  if (!d || d.format !== LEGACY_FORMAT || typeof d.secrets !== 'object' || d.secrets === null) throw corrupt(path, `is not a ${LEGACY_FORMAT} file`);
  return { keyCheck: typeof d.keyCheck === 'string' ? d.keyCheck : undefined, secrets: checkSecrets(path, d.secrets as Record<string, unknown>) };
}

export function needsMigration(home: string): boolean {
  return existsSync(join(home, LEGACY_FILE));
}

/**
 * Moves a `store.json` store into shards, losing nothing and safe against a kill at any instant: every
 * shard is written into a staging folder, which one rename makes `secrets/` (the commit point); only
 * then is `store.json` removed. A kill before the rename leaves `store.json` in charge (the staging
 * folder is redone).
 *
 * A `store.json` beside `secrets/` is merged into it, never removed unread: a kill after the rename left
 * it (it then holds nothing new), or an older build, which knows only `store.json`, wrote it after the
 * move. Each of its secrets joins the shards under that scope's lock (see `mergeSecret`); the merge is
 * idempotent, so a kill during it is redone by the next command, and `store.json` goes last.
 */
export async function migrateLegacy(home: string, timeoutMs: number): Promise<void> {
  await withLock(join(home, MIGRATE_LOCK), { timeoutMs, what: `local store ${home} (migrating)` }, async () => {
    const legacy = join(home, LEGACY_FILE);
    if (!existsSync(legacy)) return; // another process migrated it while we waited
    const old = readLegacy(legacy);
    const root = join(home, SECRETS_DIR);
    const byScope = new Map<string | undefined, Secrets>();
    for (const [name, secret] of Object.entries(old.secrets)) {
      const scope = scopeOf(name);
      const shard = byScope.get(scope) ?? emptySecrets();
      shard[name] = secret;
      byScope.set(scope, shard);
    }
    if (!existsSync(root)) {
      for (const entry of readdirSync(home)) {
        if (entry.startsWith(STAGING)) rmSync(join(home, entry), { recursive: true, force: true });
      }
      const staging = join(home, `${STAGING}${randomBytes(6).toString('hex')}`);
      mkdirSync(staging, { mode: 0o700 });
      for (const [scope, secrets] of byScope) writeShard(shardPath(staging, scope), secrets);
      if (old.keyCheck !== undefined) ensureKeyCheck(home, old.keyCheck);
      renameSync(staging, root);
      fsyncDir(home);
    } else {
      const current = readKeyCheck(home);
      if (old.keyCheck !== undefined && current !== undefined && old.keyCheck !== current) {
        throw new AccessDeniedError(
          `${legacy} (the single-file format, written by an older scoped) was sealed with another key than local store ${home}; it was not merged`,
          'move it out of the store folder; an older scoped with its key can still read it',
        );
      }
      if (old.keyCheck !== undefined) ensureKeyCheck(home, old.keyCheck);
      for (const [scope, secrets] of byScope) await mergeScope(root, scope, secrets, timeoutMs);
    }
    unlinkSync(legacy);
    // What the old format's writers left: temp files and proper-lockfile's lock folder.
    for (const entry of readdirSync(home)) {
      if ((entry.startsWith(`.${LEGACY_FILE}.`) && entry.endsWith('.tmp')) || entry === 'store.lock') rmSync(join(home, entry), { recursive: true, force: true });
    }
    fsyncDir(home);
  });
}

/** One scope's secrets from `store.json` merged into its shard, under the scope's lock; unchanged shards are not written. */
async function mergeScope(root: string, scope: string | undefined, incoming: Secrets, timeoutMs: number): Promise<void> {
  const path = shardPath(root, scope);
  checkNoLinks(root, dirname(path));
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  await withLock(lockPath(path), { timeoutMs, what: `scope ${scope ?? '(root)'} of local store ${dirname(root)}` }, () => {
    const secrets = readShard(path, { deprecated: true, checkAll: true });
    let changed = false;
    for (const [name, secret] of Object.entries(incoming)) changed = mergeSecret(secrets, name, secret) || changed;
    if (changed) writeShard(path, secrets);
  });
}

const AWS_STAGES = new Set(['AWSCURRENT', 'AWSPREVIOUS']);

/**
 * One secret of `store.json` into the shard's secrets; true when something changed. A name the shard
 * lacks is added as it is. A name both hold gains the versions it lacks: all of them stay readable by
 * id, and the stages go as if every write had been made in one store: the newest version is AWSCURRENT,
 * the one before it AWSPREVIOUS (other labels stay on their versions), and the metadata (description,
 * tags, deletion) is the side's whose version is newest. Versions the shard already holds change nothing,
 * so a `store.json` left by a killed migration merges to no change.
 */
function mergeSecret(secrets: Secrets, name: string, incoming: StoredSecret): boolean {
  const mine = secrets[name];
  if (mine === undefined) {
    secrets[name] = incoming;
    return true;
  }
  withDeprecated(mine);
  const known = new Set(mine.versions.map((v) => v.id));
  const added = incoming.versions.filter((v) => !known.has(v.id));
  if (added.length === 0) return false;
  const newest = (s: StoredSecret) => Math.max(...s.versions.map((v) => Date.parse(v.createdAt)));
  const theirs = newest(incoming) > newest(mine);
  const versions = [...mine.versions, ...added].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  versions.forEach((v, i) => {
    v.stages = [...(i === 0 ? ['AWSCURRENT'] : i === 1 ? ['AWSPREVIOUS'] : []), ...v.stages.filter((st) => !AWS_STAGES.has(st))];
  });
  const meta = theirs ? incoming : mine;
  secrets[name] = {
    ...meta,
    createdAt: mine.createdAt < incoming.createdAt ? mine.createdAt : incoming.createdAt,
    lastChangedAt: mine.lastChangedAt > incoming.lastChangedAt ? mine.lastChangedAt : incoming.lastChangedAt,
    versions: prune(versions),
  };
  return true;
}

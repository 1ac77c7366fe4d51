import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir } from '../../fs/atomic-write.js';
import { ensureKeyCheck } from './key.js';
import { SECRETS_DIR, scopeOf, shardPath } from './layout.js';
import { withLock } from './lock.js';
import { checkSecrets, corrupt, emptySecrets, readNoFollow, writeShard, type Secrets } from './shard-file.js';

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
 * folder is redone); a kill after it leaves `secrets/` in charge (`store.json` is then just removed).
 */
export async function migrateLegacy(home: string, timeoutMs: number): Promise<void> {
  await withLock(join(home, MIGRATE_LOCK), { timeoutMs, what: `local store ${home} (migrating)` }, () => {
    const legacy = join(home, LEGACY_FILE);
    if (!existsSync(legacy)) return; // another process migrated it while we waited
    if (!existsSync(join(home, SECRETS_DIR))) {
      const old = readLegacy(legacy);
      for (const entry of readdirSync(home)) {
        if (entry.startsWith(STAGING)) rmSync(join(home, entry), { recursive: true, force: true });
      }
      const staging = join(home, `${STAGING}${randomBytes(6).toString('hex')}`);
      mkdirSync(staging, { mode: 0o700 });
      const byScope = new Map<string | undefined, Secrets>();
      for (const [name, secret] of Object.entries(old.secrets)) {
        const scope = scopeOf(name);
        const shard = byScope.get(scope) ?? emptySecrets();
        shard[name] = secret;
        byScope.set(scope, shard);
      }
      for (const [scope, secrets] of byScope) writeShard(shardPath(staging, scope), secrets);
      if (old.keyCheck !== undefined) ensureKeyCheck(home, old.keyCheck);
      renameSync(staging, join(home, SECRETS_DIR));
      fsyncDir(home);
    }
    unlinkSync(legacy);
    // What the old format's writers left: temp files and proper-lockfile's lock folder.
    for (const entry of readdirSync(home)) {
      if ((entry.startsWith(`.${LEGACY_FILE}.`) && entry.endsWith('.tmp')) || entry === 'store.lock') rmSync(join(home, entry), { recursive: true, force: true });
    }
    fsyncDir(home);
  });
}

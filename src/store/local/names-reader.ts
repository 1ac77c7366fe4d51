import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { SECRETS_DIR, shardsFor } from './layout.js';
import { readShardIndex } from './shard-file.js';

/**
 * The local store's names for a Tab, from the shards' index lines alone: no LocalStore, key, lock or
 * cipher code is loaded, so a Tab costs Node's start-up plus a few small reads. Each index line is still
 * checked by its sum (a damaged shard throws, as a listing does). Undefined when only the full store can
 * answer: an old `store.json` to migrate, or a folder the full store refuses with its own message.
 */

/** The pre-shard store file (legacy.ts's LEGACY_FILE; not imported: legacy.ts loads the key and lock code). */
const LEGACY_FILE = 'store.json';

export interface LocalNames {
  names: string[];
  deleted: string[];
}

/** `home`'s names under `prefixes`: live ones, and (unless `liveOnly`) those scheduled for deletion, not yet purged. */
export function readLocalNames(home: string, prefixes: readonly string[], options: { liveOnly: boolean; now: number }): LocalNames | undefined {
  const stat = statSync(home, { throwIfNoEntry: false });
  if (!stat) return { names: [], deleted: [] };
  // A file in its place, a folder open to others, a store to migrate: the full store's words (or its work).
  if (!stat.isDirectory() || (stat.mode & 0o077) !== 0 || existsSync(join(home, LEGACY_FILE))) return undefined;
  const root = join(home, SECRETS_DIR);
  const out: LocalNames = { names: [], deleted: [] };
  try {
    for (const shard of new Set(prefixes.flatMap((p) => shardsFor(root, p)))) {
      for (const [name, purgeAt] of Object.entries(readShardIndex(shard))) {
        if (!prefixes.some((p) => name.startsWith(p))) continue;
        // 0 marks a live secret; others carry their purge time, and one past it is gone.
        if (purgeAt === 0) out.names.push(name);
        else if (!options.liveOnly && purgeAt > options.now) out.deleted.push(name);
      }
    }
  } catch (err) {
    // A link inside the store (a folder, or a shard opened without following links): the full store refuses it in words.
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') return undefined;
    throw err;
  }
  return out;
}

import type { Config } from '../config.js';
import { orgPrefix } from '../core/naming.js';
import { readNamesWithoutStore } from '../store/quick-names.js';
import { cacheDir, cacheFile, claimRefresh, readNames, releaseRefresh, writeNames, type CachedNames } from './names-cache.js';

export type OrgNames = Omit<CachedNames, 'fetchedAt'>;

export interface NamesDeps {
  env: Record<string, string | undefined>;
  now(): number;
  /** Lists the org's secret names from the store (tests pass a fake); only those `want` asks for, when given. */
  listNames(config: Config, env: Record<string, string | undefined>, want?: NamesWanted): Promise<OrgNames>;
  /** Starts `scoped __complete refresh -- <words>` in the background, detached from the shell. */
  startRefresh(words: readonly string[]): void;
}

const POLL_MS = 25;

/** Less than the whole org, when a Tab needs less: some scopes only, or live names only (no metadata). */
export interface NamesWanted {
  prefixes?: readonly string[] | undefined;
  liveOnly?: boolean;
}

/** Every secret name under the org, or under `prefixes` (live and scheduled for deletion): one listing, metadata only. */
export async function listOrgNames(config: Config, env: Record<string, string | undefined>, want: NamesWanted = {}): Promise<OrgNames> {
  const prefixes = want.prefixes ?? [orgPrefix(config.prefix.value, config.org.value)];
  // The local shards' index lines alone, without the store's code; the store itself when it must migrate or refuse.
  const quick = readNamesWithoutStore(config.backend.value, config.home.value, prefixes, { liveOnly: want.liveOnly === true, now: Date.now() });
  if (quick) return quick;
  // The store itself (AWS, or a local store to migrate): its code only now.
  const { createStore } = await import('../store/create-store.js');
  const store = await createStore(config, env, { debug: () => undefined });
  // Names alone are what a store answers cheapest (on the local store, the scope files' index lines).
  if (want.liveOnly) return { names: await store.listNames(prefixes), deleted: [] };
  const all = await store.list(prefixes, { includeDeleted: true });
  return {
    names: all.filter((s) => s.deletedAt === undefined).map((s) => s.name),
    deleted: all.filter((s) => s.deletedAt !== undefined).map((s) => s.name),
  };
}

/**
 * The org's names for a Tab press, by `deadline` or undefined. The local store is read in place, only
 * what `want` asks for (a scope's keys: that scope's file alone); on AWS
 * the foreground never calls the network (nor loads the SDK): it reads the names cache, and when that is
 * missing or stale starts a detached refresh and waits for it until the deadline. A refresh that takes
 * longer still fills the cache for the next Tab.
 */
export async function orgNames(config: Config, words: readonly string[], deps: NamesDeps, deadline: number, want?: NamesWanted): Promise<OrgNames | undefined> {
  if (config.backend.value === 'local') return deps.listNames(config, deps.env, want);
  const file = cacheFile(cacheDir(deps.env), config);
  let cached = readNames(file, deps.now());
  if (cached) return cached;
  if (claimRefresh(file, deps.now())) deps.startRefresh(words);
  while (!cached && deps.now() + POLL_MS < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    cached = readNames(file, deps.now());
  }
  return cached;
}

/** The background half: list the org from the store and write the names cache. */
export async function refreshNames(config: Config, deps: Pick<NamesDeps, 'env' | 'now' | 'listNames'>): Promise<void> {
  const file = cacheFile(cacheDir(deps.env), config);
  const started = deps.now();
  const names = await deps.listNames(config, deps.env);
  writeNames(file, { fetchedAt: started, ...names });
  releaseRefresh(file);
}

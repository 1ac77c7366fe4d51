import type { Config } from '../config.js';
import { orgPrefix } from '../core/naming.js';
import { createStore } from '../store/factory.js';
import { cacheDir, cacheFile, claimRefresh, readNames, releaseRefresh, writeNames, type CachedNames } from './names-cache.js';

export type OrgNames = Omit<CachedNames, 'fetchedAt'>;

export interface NamesDeps {
  env: Record<string, string | undefined>;
  now(): number;
  /** Lists the org's secret names from the store (tests pass a fake); only those under `prefixes` when given. */
  listNames(config: Config, env: Record<string, string | undefined>, prefixes?: readonly string[]): Promise<OrgNames>;
  /** Starts `scoped __complete refresh -- <words>` in the background, detached from the shell. */
  startRefresh(words: readonly string[]): void;
}

const POLL_MS = 25;

/** Every secret name under the org, or under `prefixes` (live and scheduled for deletion): one listing, metadata only. */
export async function listOrgNames(config: Config, env: Record<string, string | undefined>, prefixes?: readonly string[]): Promise<OrgNames> {
  const store = await createStore(config, env, { debug: () => undefined });
  const all = await store.list(prefixes ?? [orgPrefix(config.prefix.value, config.org.value)], { includeDeleted: true });
  return {
    names: all.filter((s) => s.deletedAt === undefined).map((s) => s.name),
    deleted: all.filter((s) => s.deletedAt !== undefined).map((s) => s.name),
  };
}

/**
 * The org's names for a Tab press, by `deadline` or undefined. The local store is read in place, only
 * under `prefixes` when the line needs no more (a scope's keys: that scope's file alone); on AWS
 * the foreground never calls the network (nor loads the SDK): it reads the names cache, and when that is
 * missing or stale starts a detached refresh and waits for it until the deadline. A refresh that takes
 * longer still fills the cache for the next Tab.
 */
export async function orgNames(config: Config, words: readonly string[], deps: NamesDeps, deadline: number, prefixes?: readonly string[]): Promise<OrgNames | undefined> {
  if (config.backend.value === 'local') return deps.listNames(config, deps.env, prefixes);
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

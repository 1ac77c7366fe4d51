import { join } from 'node:path';
import type { Config } from '../../config.js';
import type { StoreLog } from '../log.js';
import { loadKey, readKeyCheck } from '../local/key.js';
import { cacheRoot, privateDir, SNAPSHOTS_DIR, VALUES_DIR } from './files.js';
import { ValueCache } from './value-cache.js';
import { SnapshotStore } from './snapshots.js';

/** The local store's key, which seals the cache too (made with the store folder if there is none yet). */
function cacheKey(config: Config, env: Record<string, string | undefined>): Buffer {
  const home = config.home.value;
  privateDir(home);
  return loadKey(home, env.SCOPED_LOCAL_KEY, readKeyCheck(home));
}

/** Who the backend is: the same secret name and version id in another region, endpoint or store is another secret. */
export function backendIdentity(config: Config): string {
  if (config.backend.value === 'local') return JSON.stringify(['local', config.home.value]);
  return JSON.stringify(['aws', config.region.value ?? '', config.endpointUrl.value ?? '', config.profile.value ?? '', config.roleArn.value ?? '']);
}

export function openValueCache(config: Config, env: Record<string, string | undefined>, log?: StoreLog): ValueCache {
  return new ValueCache(join(cacheRoot(env), VALUES_DIR), cacheKey(config, env), backendIdentity(config), config.cacheMaxSize.value, log);
}

export function openSnapshots(config: Config, env: Record<string, string | undefined>, log?: StoreLog): SnapshotStore {
  return new SnapshotStore(join(cacheRoot(env), SNAPSHOTS_DIR), cacheKey(config, env), log);
}

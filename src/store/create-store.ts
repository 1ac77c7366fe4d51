import type { Config } from '../config.js';
import type { SecretStore } from './types.js';
import type { StoreLog } from './log.js';
import { LinkingStore } from './links.js';

/**
 * Builds the configured backend, importing its code only now: `--help`, `--version`, completion and
 * usage errors never load the AWS SDK or read the key file.
 */
export async function createStore(config: Config, env: Record<string, string | undefined>, log: StoreLog): Promise<SecretStore> {
  switch (config.backend.value) {
    case 'local': {
      const { LocalStore } = await import('./local/local-store.js');
      log.debug(`local store at ${config.home.value}`);
      // --timeout / SCOPED_TIMEOUT bounds the wait for another writer's lock, as it bounds AWS calls.
      // A link's target is on AWS: read with the AWS settings, the SDK loaded only when a link is read.
      const arnReader = async (region: string) => (await import('./aws/aws-store.js')).createArnReader(config, env, log, region);
      return new LinkingStore(new LocalStore({ home: config.home.value, envKey: env.SCOPED_LOCAL_KEY, log, lockTimeoutMs: config.timeout.value * 1000, arnReader }));
    }
    case 'aws': {
      const make = async () => (await import('./aws/aws-store.js')).createAwsStore(config, env, log);
      if (!config.cache.value) return new LinkingStore(await make());
      // Reads by version id from the cache: a warm pinned read makes no client and loads no SDK.
      const { openValueCache } = await import('./cache/open.js');
      const { CachingStore } = await import('./cache/value-cache.js');
      log.debug('value cache on: reads by version id are kept, encrypted');
      return new LinkingStore(new CachingStore('aws', openValueCache(config, env, log), make, log));
    }
  }
}

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
      const { createAwsStore } = await import('./aws/aws-store.js');
      return new LinkingStore(await createAwsStore(config, env, log));
    }
  }
}

import type { ScopeFlags } from '../core/scope.js';
import { UsageError } from '../errors.js';
import type { DeploymentSource } from '../deploy/deployment-values.js';
import type { PinSettings } from '../pin/pinned-read.js';
import type { Config } from '../config.js';
import { deploymentScope } from '../commands/scope-flags.js';
import type { Context } from './context.js';

/** The settings a pin is checked against, from the configuration in effect. */
export function pinSettings(config: Config): PinSettings {
  return { org: config.org.value, prefix: config.prefix.value, backend: config.backend.value };
}

/**
 * What `deploy/` reads a deployment's values from, built from a command's Context: the deployment its
 * flags name, the settings, the store, stdin for `--pinned -`, and the Context's debug and warning lines.
 */
export function deploymentSource(ctx: Context, flags: ScopeFlags): DeploymentSource {
  return {
    io: ctx.io,
    flags,
    deployment: () => deploymentScope(ctx, flags),
    settings: async () => pinSettings(await ctx.config()),
    store: () => ctx.store(),
    debug: (line) => ctx.debug(line),
    warn: (line) => ctx.warn(line),
    lastKnownGood: async () => {
      const config = await ctx.config();
      if (!config.fallback.value && !config.offline.value) {
        // Given on this line, it would bound nothing: said, as --signal without --watch is. (From the
        // environment or a config file it may stand ready for the lines that turn --fallback on.)
        if (config.maxAge.source.startsWith('flag')) {
          throw new UsageError(
            '--max-age bounds the last-known-good values of --fallback and --offline, and neither is on',
            'add --fallback (or --offline), or leave --max-age out',
          );
        }
        return undefined;
      }
      const { backendIdentity, openSnapshots } = await import('../store/cache/open.js');
      const { org, prefix, backend } = pinSettings(config);
      return {
        snapshots: openSnapshots(config, ctx.io.env, ctx),
        offline: config.offline.value,
        maxAgeMs: config.maxAge.value,
        settings: [org, prefix, backend, backendIdentity(config)],
        backend,
      };
    },
  };
}

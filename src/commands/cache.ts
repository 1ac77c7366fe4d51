import { Argument } from '@commander-js/extra-typings';
import type { Context } from '../cli/context.js';
import { defineCommand } from '../cli/define-command.js';

export const cacheCommand = defineCommand({
  name: 'cache',
  summary: 'clear: remove the values kept on this machine (the value cache and the last-known-good snapshots)',
  arguments: [new Argument('<action>', 'what to do').choices(['clear'] as const)],
  examples: ['scoped cache clear'],
  build: () => ({}),
  run: (ctx) => runCacheClear(ctx),
});

/** Removes $XDG_CACHE_HOME/scoped's value cache and snapshots (not the code cache). Sends no request. */
export async function runCacheClear(ctx: Context): Promise<void> {
  const { cacheRoot, clearCache } = await import('../store/cache/files.js');
  const root = cacheRoot(ctx.io.env);
  const files = clearCache(root);
  ctx.success(files === 0 ? `nothing kept under ${root}` : `removed ${files} kept value file(s) under ${root}`);
}

import { Argument } from '@commander-js/extra-typings';
import type { Context } from '../cli/context.js';
import { defineCommand } from '../cli/define-command.js';
import { refuseOutputFormat } from '../cli/output-flag.js';

export const cacheCommand = defineCommand({
  name: 'cache',
  summary: 'clear: remove the values kept on this machine (the value cache and the last-known-good snapshots)',
  arguments: [new Argument('<action>', 'what to do').choices(['clear'] as const)],
  examples: ['scoped cache clear'],
  // No data to shape: its one line is a message on stderr. `-o` is refused rather than ignored.
  build: (_args, _flags, global) => {
    refuseOutputFormat(global.output, 'cache clear', 'it prints no data, only a line on stderr; leave -o out');
    return {};
  },
  run: (ctx) => runCacheClear(ctx),
});

/** Removes $XDG_CACHE_HOME/scoped's value cache and snapshots (not the code cache). Sends no request. */
export async function runCacheClear(ctx: Context): Promise<void> {
  const { cacheRoot, clearCache } = await import('../store/cache/files.js');
  const root = cacheRoot(ctx.io.env);
  const files = clearCache(root);
  ctx.success(files === 0 ? `nothing kept under ${root}` : `removed ${files} kept value file(s) under ${root}`);
}

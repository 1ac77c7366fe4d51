import { describeScope, scopeJson, type ScopeFlags } from '../core/scope.js';
import { describeOwn } from '../store/links.js';
import type { Context } from '../cli/context.js';
import { printResult } from '../cli/output.js';
import { defineCommand, type FlagsOf, type NewCommand } from '../cli/define-command.js';
import { scopeOptions } from './options.js';
import { scopeFlagsOf, target } from './scope-flags.js';
import { explained } from './hints.js';

export const restoreSecretCommand = defineCommand({
  verb: ['restore', 'restore a resource'],
  name: 'secret',
  summary: 'undo a delete inside its recovery window',
  arguments: [['<KEY>', 'secret key']],
  examples: [
    'scoped restore secret OLD_TOKEN -p billing',
  ],
  options: restoreSecretFlags,
  build: buildRestoreSecretOptions,
  run: runRestoreSecret,
});

function restoreSecretFlags(cmd: NewCommand) {
  return scopeOptions(cmd, 'scope (omit both for org scope)');
}

/** The options as parsed, typed from the definitions above. */
export type RestoreSecretFlags = FlagsOf<typeof restoreSecretFlags>;

export interface RestoreSecretOptions extends ScopeFlags {
  key: string;
}

export function buildRestoreSecretOptions(args: string[], opts: RestoreSecretFlags): RestoreSecretOptions {
  return { ...scopeFlagsOf(opts), key: args[0] as string };
}

/**
 * Described first: restoring a secret that is not scheduled for deletion succeeds silently on both
 * backends, so only the description can tell. Like `set`'s Unchanged, it is not an error: the secret is
 * already where restore would put it (exit 0, saying so; `restored: false` in -o json).
 */
export async function runRestoreSecret(ctx: Context, o: RestoreSecretOptions): Promise<void> {
  const t = await target(ctx, o.key, o);
  const store = await ctx.store();
  const where = `${t.key} at ${describeScope(t.scope)}`;
  // Its own metadata: a link is deleted or restored as itself, whatever its target's state.
  const found = await explained(t, () => describeOwn(store, t.name));
  const restored = found.deletedAt !== undefined;
  if (restored) {
    await explained(t, () => store.restore(t.name));
    ctx.success(`Restored ${where}`);
  } else {
    ctx.info(`${where} is not scheduled for deletion; nothing to restore`);
  }
  await printResult(ctx, { key: t.key, scope: scopeJson(t.scope), name: t.name, restored });
}

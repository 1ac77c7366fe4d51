import { describeScope } from '../core/scope.js';
import type { Context } from '../cli/context.js';
import { printResult } from '../cli/output.js';
import type { OptsOf, Program } from '../cli/program-types.js';
import { withExamples } from '../cli/help.js';
import { scopeOptions } from './options.js';
import { explained, scopeFlagsOf, scopeJson, target, type ScopeFlags } from './shared.js';

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
  const found = await explained(t, () => store.describe(t.name));
  const restored = found.deletedAt !== undefined;
  if (restored) {
    await explained(t, () => store.restore(t.name));
    ctx.success(`Restored ${where}`);
  } else {
    ctx.info(`${where} is not scheduled for deletion; nothing to restore`);
  }
  await printResult(ctx, { key: t.key, scope: scopeJson(t.scope), name: t.name, restored });
}

function defineRestoreSecret(program: Program) {
  const cmd = program
    .verb('restore', 'restore a resource')
    .command('secret')
    .description('undo a delete inside its recovery window')
    .argument('<KEY>', 'secret key');
  withExamples(cmd, [
    'scoped restore secret OLD_TOKEN -p billing',
  ]);
  return scopeOptions(cmd, 'scope (omit both for org scope)');
}

/** The options as parsed, typed from the definitions above. */
export type RestoreSecretFlags = OptsOf<ReturnType<typeof defineRestoreSecret>>;

export function registerRestoreSecret(program: Program): void {
  const cmd = defineRestoreSecret(program);
  program.action(cmd, (ctx, args, opts) => runRestoreSecret(ctx, buildRestoreSecretOptions(args, opts)));
}

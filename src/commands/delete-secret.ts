import { InterruptedError, UsageError } from '../errors.js';
import { describeScope } from '../core/scope.js';
import type { Context } from '../cli/context.js';
import { canPrompt } from '../io.js';
import { isoDate, printResult } from '../cli/output.js';
import type { OptsOf, Program } from '../cli/program-types.js';
import { withExamples } from '../cli/help.js';
import { scopeOptions } from './options.js';
import { DEFAULT_RECOVERY_DAYS } from '../store/types.js';
import { checkRecoveryDays } from '../store/limits.js';
import { commandFor, explained, scopeFlagsOf, scopeJson, target, type ScopeFlags } from './shared.js';

export interface DeleteSecretOptions extends ScopeFlags {
  key: string;
  force: boolean;
  recoveryDays: number;
}

export function buildDeleteSecretOptions(args: string[], opts: DeleteSecretFlags): DeleteSecretOptions {
  const force = opts.force === true;
  const raw = opts.recoveryDays;
  if (force && raw !== undefined) throw new UsageError('use either --force or --recovery-days, not both');
  const recoveryDays = raw === undefined ? DEFAULT_RECOVERY_DAYS : Number(raw);
  if (!force) checkRecoveryDays(recoveryDays);
  return { ...scopeFlagsOf(opts), key: args[0] as string, force, recoveryDays };
}

export async function runDeleteSecret(ctx: Context, o: DeleteSecretOptions): Promise<void> {
  const t = await target(ctx, o.key, o);
  const where = `${t.key} at ${describeScope(t.scope)}`;
  if (!ctx.global.yes) {
    if (!canPrompt(ctx.io)) {
      throw new UsageError(`refusing to delete ${where} without confirmation`, 'add --yes when not on a terminal');
    }
    const store = await ctx.store();
    await explained(t, () => store.describe(t.name));
    const how = o.force ? 'permanently, with no recovery' : `with a ${o.recoveryDays}-day recovery window`;
    if (!(await ctx.io.prompter.confirm(`Delete ${where} ${how}?`))) {
      throw new InterruptedError('deletion cancelled; nothing was deleted');
    }
  }
  const store = await ctx.store();
  const { deletionDate } = await explained(t, () =>
    store.delete(t.name, o.force ? { force: true } : { recoveryDays: o.recoveryDays }),
  );
  if (o.force) ctx.success(`Deleted ${where} permanently`);
  else ctx.success(`Scheduled ${where} for deletion on ${isoDate(deletionDate)}; undo with: ${commandFor('restore', t)}`);
  await printResult(ctx, { key: t.key, scope: scopeJson(t.scope), name: t.name, force: o.force, deletionDate: deletionDate?.toISOString() ?? null });
}

function defineDeleteSecret(program: Program) {
  const cmd = program
    .verb('delete', 'delete a resource')
    .command('secret')
    .description('delete a secret, recoverable for --recovery-days (default 30) unless --force')
    .argument('<KEY>', 'secret key');
  withExamples(cmd, [
    'scoped delete secret OLD_TOKEN -p billing',
    'scoped delete secret OLD_TOKEN -p billing --recovery-days 7 --yes',
  ]);
  return scopeOptions(cmd, 'scope (omit both for org scope)')
    .option('--recovery-days <days>', 'days to keep it restorable, 7-30 (default 30)')
    .option('--force', 'delete at once, without recovery')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)');
}

/** The options as parsed, typed from the definitions above. */
export type DeleteSecretFlags = OptsOf<ReturnType<typeof defineDeleteSecret>>;

export function registerDeleteSecret(program: Program): void {
  const cmd = defineDeleteSecret(program);
  program.action(cmd, (ctx, args, opts) => runDeleteSecret(ctx, buildDeleteSecretOptions(args, opts)));
}

import { ConflictError, InterruptedError, UsageError } from '../errors.js';
import { describeOwn } from '../store/links.js';
import { describeScope, scopeJson, type ScopeFlags } from '../core/scope.js';
import type { Context } from '../cli/context.js';
import { canPrompt } from '../io.js';
import { isoDate, printResult } from '../cli/output.js';
import { defineCommand, type FlagsOf, type NewCommand } from '../cli/define-command.js';
import { scopeOptions } from './options.js';
import { DEFAULT_RECOVERY_DAYS } from '../store/types.js';
import { checkRecoveryDays } from '../store/limits.js';
import { scopeFlagsOf, target } from './scope-flags.js';
import { commandFor, explain, explained } from './hints.js';
import { readOnlyReplica } from '../store/replica.js';

export const deleteSecretCommand = defineCommand({
  verb: ['delete', 'delete a resource'],
  name: 'secret',
  summary: 'delete a secret, recoverable for --recovery-days (default 30) unless --force',
  arguments: [['<KEY>', 'secret key']],
  examples: [
    'scoped delete secret OLD_TOKEN -p billing',
    'scoped delete secret OLD_TOKEN -p billing --recovery-days 7 --yes',
  ],
  options: deleteSecretFlags,
  build: buildDeleteSecretOptions,
  run: runDeleteSecret,
});

function deleteSecretFlags(cmd: NewCommand) {
  return scopeOptions(cmd, 'scope (omit both for org scope)')
    .option('--recovery-days <days>', 'days to keep it restorable, 7-30 (default 30)')
    .option('--force', 'delete at once, without recovery')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)');
}

/** The options as parsed, typed from the definitions above. */
export type DeleteSecretFlags = FlagsOf<typeof deleteSecretFlags>;

export interface DeleteSecretOptions extends ScopeFlags {
  key: string;
  force: boolean;
  recoveryDays: number;
}

/** Digits only: Number() would take "0x10", "1e1", " 10 " and "" (0) as numbers. */
function wholeDays(raw: string): number {
  return /^[0-9]{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
}

export function buildDeleteSecretOptions(args: string[], opts: DeleteSecretFlags): DeleteSecretOptions {
  const force = opts.force === true;
  const raw = opts.recoveryDays;
  if (force && raw !== undefined) throw new UsageError('use either --force or --recovery-days, not both');
  const recoveryDays = raw === undefined ? DEFAULT_RECOVERY_DAYS : wholeDays(raw);
  if (!force) checkRecoveryDays(recoveryDays);
  return { ...scopeFlagsOf(opts), key: args[0] as string, force, recoveryDays };
}

/**
 * Asks on a terminal, naming the replicas that go too (at once: a recovery window and restore cover only
 * the secret itself); without a terminal, --yes was needed.
 */
async function confirm(ctx: Context, o: DeleteSecretOptions, where: string, replicas: string[]): Promise<void> {
  const how = o.force ? 'permanently, with no recovery' : `with a ${o.recoveryDays}-day recovery window`;
  const also = replicas.length > 0 ? `, and remove its replicas in ${replicas.join(', ')} at once` : '';
  if (!(await ctx.io.prompter.confirm(`Delete ${where} ${how}${also}?`))) {
    throw new InterruptedError('deletion cancelled; nothing was deleted');
  }
}

export async function runDeleteSecret(ctx: Context, o: DeleteSecretOptions): Promise<void> {
  const t = await target(ctx, o.key, o);
  const where = `${t.key} at ${describeScope(t.scope)}`;
  if (!ctx.global.yes && !canPrompt(ctx.io)) {
    throw new UsageError(`refusing to delete ${where} without confirmation`, 'add --yes when not on a terminal');
  }
  const store = await ctx.store();
  // Described first: AWS refuses to delete a secret that still has replicas, so they are named and removed with it.
  // Its own metadata: a link is deleted or restored as itself, whatever its target's state.
  const found = await explained(t, () => describeOwn(store, t.name));
  // A replica is deleted with its primary, in the primary's region: say where, before asking.
  if (found.replicaOf !== undefined) throw explain(readOnlyReplica(t.name, found.replicaOf, undefined), t);
  if (found.deletedAt && !o.force) throw explain(new ConflictError('scheduled-for-deletion', `secret ${t.name} is scheduled for deletion`), t);
  const replicas = (found.replicas ?? []).map((r) => r.region);
  if (!ctx.global.yes) await confirm(ctx, o, where, replicas);
  const mode = o.force ? { force: true as const } : { recoveryDays: o.recoveryDays };
  const { deletionDate } = await explained(t, () => store.delete(t.name, replicas.length > 0 ? { ...mode, removeReplicas: true } : mode));
  if (replicas.length > 0) ctx.success(`Removed the replicas of ${where} in ${replicas.join(', ')} (a restore does not bring them back)`);
  if (o.force) ctx.success(`Deleted ${where} permanently`);
  else ctx.success(`Scheduled ${where} for deletion on ${isoDate(deletionDate)}; undo with: ${ctx.suggest(commandFor('restore', t))}`);
  await printResult(ctx, {
    key: t.key,
    scope: scopeJson(t.scope),
    name: t.name,
    force: o.force,
    deletionDate: deletionDate?.toISOString() ?? null,
    replicasRemoved: replicas,
  });
}

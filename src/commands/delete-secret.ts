import { UsageError } from '../errors.js';
import { describeOwn } from '../store/links.js';
import type { Context } from '../cli/context.js';
import { isoDate, printResult } from '../cli/output.js';
import { DEFAULT_RECOVERY_DAYS } from '../store/types.js';
import { checkRecoveryDays } from '../store/limits.js';
import { target } from './scope-flags.js';
import { commandFor, explain, explained } from './hints.js';
import { readOnlyReplica } from '../store/replica.js';
import { confirmed, defineSecretCommand, keyAtScope, needConfirmation, scheduledForDeletion, secretJson, whereIs, type KeyAtScope } from './secret-command.js';

export const deleteSecretCommand = defineSecretCommand({
  verb: 'delete',
  summary: 'delete a secret, recoverable for --recovery-days (default 30) unless --force',
  examples: ['scoped delete secret OLD_TOKEN -p billing', 'scoped delete secret OLD_TOKEN -p billing --recovery-days 7 --yes'],
  options: [
    ['--recovery-days <days>', 'days to keep it restorable, 7-30 (default 30)'],
    ['--force', 'delete at once, without recovery'],
    ['-y, --yes', 'do not ask for confirmation (needed without a terminal)'],
  ],
  build: (args, flags): DeleteSecretOptions => {
    const force = flags.force === true;
    const raw = flags.recoveryDays;
    if (force && raw !== undefined) throw new UsageError('use either --force or --recovery-days, not both');
    const recoveryDays = raw === undefined ? DEFAULT_RECOVERY_DAYS : wholeDays(raw);
    if (!force) checkRecoveryDays(recoveryDays);
    return { ...keyAtScope(args, flags), force, recoveryDays };
  },
  run: runDeleteSecret,
});

export interface DeleteSecretOptions extends KeyAtScope {
  force: boolean;
  recoveryDays: number;
}

/** Digits only: Number() would take "0x10", "1e1", " 10 " and "" (0) as numbers. */
function wholeDays(raw: string): number {
  return /^[0-9]{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
}

/** The question on a terminal, naming the replicas that go too (at once: a recovery window and restore cover only the secret itself). */
function question(o: DeleteSecretOptions, where: string, replicas: string[]): string {
  const how = o.force ? 'permanently, with no recovery' : `with a ${o.recoveryDays}-day recovery window`;
  const also = replicas.length > 0 ? `, and remove its replicas in ${replicas.join(', ')} at once` : '';
  return `Delete ${where} ${how}${also}?`;
}

export async function runDeleteSecret(ctx: Context, o: DeleteSecretOptions): Promise<void> {
  const t = await target(ctx, o.key, o);
  const where = whereIs(t);
  needConfirmation(ctx, `delete ${where}`);
  const store = await ctx.store();
  // Described first: AWS refuses to delete a secret that still has replicas, so they are named and removed with it.
  // Its own metadata: a link is deleted or restored as itself, whatever its target's state.
  const found = await explained(t, () => describeOwn(store, t.name));
  // A replica is deleted with its primary, in the primary's region: say where, before asking.
  if (found.replicaOf !== undefined) throw explain(readOnlyReplica(t.name, found.replicaOf, undefined), t);
  if (found.deletedAt && !o.force) throw scheduledForDeletion(t);
  const replicas = (found.replicas ?? []).map((r) => r.region);
  await confirmed(ctx, question(o, where, replicas), 'deletion cancelled; nothing was deleted');
  const mode = o.force ? { force: true as const } : { recoveryDays: o.recoveryDays };
  const { deletionDate } = await explained(t, () => store.delete(t.name, replicas.length > 0 ? { ...mode, removeReplicas: true } : mode));
  if (replicas.length > 0) ctx.success(`Removed the replicas of ${where} in ${replicas.join(', ')} (a restore does not bring them back)`);
  if (o.force) ctx.success(`Deleted ${where} permanently`);
  else ctx.success(`Scheduled ${where} for deletion on ${isoDate(deletionDate)}; undo with: ${ctx.suggest(commandFor('restore', t))}`);
  await printResult(ctx, {
    ...secretJson(t),
    force: o.force,
    deletionDate: deletionDate?.toISOString() ?? null,
    replicasRemoved: replicas,
  });
}

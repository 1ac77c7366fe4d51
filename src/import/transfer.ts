import { ConflictError, NotFoundError, ScopedError, UnavailableError, UsageError } from '../errors.js';
import { TAG_LINK } from '../core/link.js';
import { scopeTags, secretName } from '../core/naming.js';
import { describeScope, scopeFlags, scopeJson, type Scope } from '../core/scope.js';
import { listScope } from '../service/deployment.js';
import type { SecretStore, SecretValue, WriteManyResult, WriteOp } from '../store/types.js';
import { countActions, planWrites, type Desired, type Existing, type OnConflict, type Plan, type PlanRow } from './plan.js';

/** Where keys go and how: the shared half of `import` and `copy secret`. */
export interface Transfer {
  verb: 'import' | 'copy';
  scope: Scope;
  prefix: string;
  desired: Desired[];
  onConflict: OnConflict;
  dryRun: boolean;
}

/** Where a transfer's --debug lines and warnings go (a command's Context is one). */
export interface TransferLog {
  debug(line: string): void;
  warn(line: string): void;
}

/** What a transfer did, for the command to print: a line for people, then a row per key (or the data for -o json|yaml). */
export interface TransferReport {
  dryRun: boolean;
  /** "Dry run, nothing written (...)" or "Imported into ...: ..." (the command adds the check mark). */
  line: string;
  rows: PlanRow[];
  /** `-o json|yaml`: built only when asked for. */
  data(): unknown;
}

/** Names in a message: the first few, and how many more. */
export function someNames(names: readonly string[], shown = 10): string {
  return names.length > shown ? `${names.slice(0, shown).join(', ')} and ${names.length - shown} more` : names.join(', ');
}

/**
 * Current values of `keys` at `scope`, read in batches; any per-key failure is thrown naming the key
 * (`doing` says why it was read). Never a value in a message. `tolerated` are read in the same batches,
 * a failure leaving them without a value (the reason on --debug).
 */
export async function readScopeValues(
  store: SecretStore,
  prefix: string,
  scope: Scope,
  keys: readonly string[],
  doing: string,
  tolerated: { keys: readonly string[]; log?: TransferLog | undefined } = { keys: [] },
): Promise<Map<string, SecretValue | undefined>> {
  const values = new Map<string, SecretValue | undefined>();
  if (keys.length + tolerated.keys.length === 0) return values;
  const batch = await store.getValues([...keys, ...tolerated.keys].map((k) => secretName(prefix, scope, k)));
  for (const key of keys) {
    const name = secretName(prefix, scope, key);
    const err = batch.errors.get(name);
    const got = batch.values.get(name);
    if (err !== undefined || got === undefined) {
      const e = err ?? new UnavailableError('no value returned');
      throw e instanceof ScopedError ? e.withMessage(`cannot read ${key} at ${describeScope(scope)} ${doing}: ${e.message}; nothing written`) : e;
    }
    values.set(key, got.value);
  }
  for (const key of tolerated.keys) {
    const name = secretName(prefix, scope, key);
    const err = batch.errors.get(name);
    if (err !== undefined) tolerated.log?.debug(`${key} at ${describeScope(scope)} could not be read ${doing} (${err instanceof ScopedError ? err.message : err.name})`);
    values.set(key, batch.values.get(name)?.value);
  }
  return values;
}

/**
 * What the target scope holds under the wanted keys: one listing (deleted names included; a link known by
 * its tag) and one batched read. A link is read through to its target's value, to tell `unchanged`; one
 * whose target cannot be read is there without a value, as it is never written whatever its target holds.
 */
export async function targetState(store: SecretStore, prefix: string, scope: Scope, keys: readonly string[], log?: TransferLog): Promise<Map<string, Existing>> {
  const wanted = new Set(keys);
  const state = new Map<string, Existing>();
  const live: string[] = [];
  const links: string[] = [];
  for (const e of await listScope(store, prefix, scope, true)) {
    if (!wanted.has(e.key)) continue;
    if (e.summary.deletedAt !== undefined) state.set(e.key, { deleted: true });
    else if (e.summary.tags[TAG_LINK] !== undefined) links.push(e.key);
    else live.push(e.key);
  }
  const values = await readScopeValues(store, prefix, scope, live, 'to compare', { keys: links, log });
  for (const key of live) state.set(key, { deleted: false, value: values.get(key) as SecretValue });
  for (const key of links) state.set(key, { deleted: false, link: true, value: values.get(key) });
  return state;
}

/** Keys that are links at the target: scoped never writes through a link, and no --on-conflict but skip gets past one. */
function linkRefusal(t: Transfer, links: readonly string[]): UsageError {
  const one = links.length === 1;
  const flags = scopeFlags(t.scope);
  const key = one ? (links[0] as string) : 'KEY';
  const them = one ? 'it' : 'them';
  const each = one ? 'it' : 'each';
  return new UsageError(
    `${someNames(links)} at ${describeScope(t.scope)} ${one ? 'is a link' : 'are links'}, and scoped never writes through a link; nothing written`,
    `leave ${them} out, keep ${them} with --on-conflict skip (which skips every key that differs), ` +
      `retarget ${each} with: scoped link secret ${key}${flags ? ` ${flags}` : ''} --arn ARN, ` +
      `or unlink ${each} with: scoped delete secret ${key}${flags ? ` ${flags}` : ''} (${one ? 'its target is' : 'their targets are'} left alone)`,
  );
}

function refuseConflicts(t: Transfer, plan: Plan): void {
  const { conflicts, deleted, links } = plan;
  const where = describeScope(t.scope);
  // Links first: the conflict hint (--on-conflict update) would only lead to them.
  if (links.length > 0) throw linkRefusal(t, links);
  if (deleted.length > 0) {
    const flags = scopeFlags(t.scope);
    throw new ConflictError(
      'scheduled-for-deletion',
      `${someNames(deleted)} at ${where} ${deleted.length === 1 ? 'is' : 'are'} scheduled for deletion; nothing written`,
      `restore ${deleted.length === 1 ? 'it' : 'them'} first with: scoped restore secret ${deleted[0]}${flags ? ` ${flags}` : ''}`,
    );
  }
  if (conflicts.length > 0) {
    throw new ConflictError(
      'exists',
      `${someNames(conflicts)} already ${conflicts.length === 1 ? 'exists' : 'exist'} at ${where} with another value; nothing written`,
      `keep what is there with --on-conflict skip, or overwrite with --on-conflict update${t.dryRun ? '' : ' (see the plan first with --dry-run)'}`,
    );
  }
}

function opsOf(t: Transfer, rows: PlanRow[]): WriteOp[] {
  const byKey = new Map(t.desired.map((d) => [d.key, d]));
  const ops: WriteOp[] = [];
  for (const r of rows) {
    const d = byKey.get(r.key) as Desired;
    const name = secretName(t.prefix, t.scope, r.key);
    if (r.action === 'create') {
      ops.push({ kind: 'create', input: { name, value: d.value, description: d.description, tags: { ...d.tags, ...scopeTags(t.scope, r.key) } } });
    } else if (r.action === 'update') ops.push({ kind: 'put', name, value: d.value });
  }
  return ops;
}

const RANK = [6, 5, 4, 3, 2, 1];
const rank = (e: Error): number => RANK.indexOf(e instanceof ScopedError ? e.exitCode : 1);

/** Warning lines at most, one per distinct cause: 500 keys failing for five reasons make five lines. */
const CAUSES_SHOWN = 5;

/**
 * Some writes failed: the keys grouped by cause. One shared cause (a full disk, expired credentials, a
 * deadline) is stated once, in the error itself; several causes get one warning line each (at most
 * five, then how many more). The error names what was written, with the most significant exit code
 * (unavailable > denied > conflict > ...).
 */
function partialFailure(log: TransferLog, t: Transfer, ops: WriteOp[], result: WriteManyResult): Error {
  const keyOf = (name: string): string => name.slice(name.lastIndexOf('/') + 1);
  const byCause = new Map<string, string[]>();
  let worst: Error | undefined;
  for (const [name, err] of result.errors) {
    const cause = err instanceof ScopedError ? err.message : err.name;
    byCause.set(cause, [...(byCause.get(cause) ?? []), keyOf(name)]);
    if (worst === undefined || rank(err) < rank(worst)) worst = err;
  }
  const written = [...result.written.keys()].map(keyOf);
  const outcome = written.length > 0 ? `written: ${someNames(written)}` : 'nothing written';
  const failed = `${t.verb} into ${describeScope(t.scope)}: ${result.errors.size} of ${ops.length} write(s) failed`;
  const rerun = 'run the same command again to finish: what was written now counts as unchanged';
  if (byCause.size === 1) {
    const [cause] = byCause.keys();
    const message = `${failed}: ${cause}; ${outcome}`;
    return worst instanceof ScopedError ? worst.withMessage(message, written.length > 0 ? rerun : worst.hint) : new UnavailableError(message, rerun);
  }
  const causes = [...byCause];
  for (const [cause, keys] of causes.slice(0, CAUSES_SHOWN)) log.warn(`${someNames(keys, 5)} not written: ${cause}`);
  if (causes.length > CAUSES_SHOWN) log.warn(`and ${causes.length - CAUSES_SHOWN} more cause(s) of failure`);
  const message = `${failed}; ${outcome}`;
  return worst instanceof ScopedError ? worst.withMessage(message, rerun) : new UnavailableError(message, rerun);
}

function report(t: Transfer, rows: PlanRow[], versions: Map<string, string>): TransferReport {
  const counts = countActions(rows);
  const summary = `${counts.create} to create, ${counts.update} to update, ${counts.unchanged} unchanged, ${counts.skip} skipped`;
  const line = t.dryRun
    ? `Dry run, nothing written (${t.verb} into ${describeScope(t.scope)}): ${summary}`
    : `${t.verb === 'import' ? 'Imported' : 'Copied'} into ${describeScope(t.scope)}: ${summary.replace(' to create', ' created').replace(' to update', ' updated')}`;
  const data = () => ({
    scope: scopeJson(t.scope),
    dryRun: t.dryRun,
    counts,
    keys: rows.map((r) => ({ key: r.key, action: r.action, versionId: versions.get(secretName(t.prefix, t.scope, r.key)) ?? null })),
  });
  return { dryRun: t.dryRun, line, rows, data };
}

/** Rounds of planning again keys another writer changed between our plan and our write. */
export const RACE_ROUNDS = 5;

/**
 * The ops another writer overtook between our plan and our write: a create of a key someone created
 * meanwhile, an update of one deleted meanwhile. Planning those keys again says what the flag means now.
 */
function overtaken(ops: readonly WriteOp[], result: WriteManyResult): WriteOp[] {
  return ops.filter((op) => {
    const err = result.errors.get(op.kind === 'create' ? op.input.name : op.name);
    return op.kind === 'create' ? err instanceof ConflictError && err.reason === 'exists' : err instanceof NotFoundError;
  });
}

/**
 * Plans, refuses conflicts before any write, writes in one writeMany, and returns the report per key (never a value).
 * Keys another writer changed after the plan (eight imports into one scope at once) are planned again
 * against what is there now and written, a few rounds at most: `--on-conflict update` updates them, `skip`
 * skips them, and the default fails only where the value now there differs, after the other keys were
 * written (the error says which).
 */
export async function transfer(store: SecretStore, t: Transfer, log: TransferLog): Promise<TransferReport> {
  const state = await targetState(
    store,
    t.prefix,
    t.scope,
    t.desired.map((d) => d.key),
    log,
  );
  const plan = planWrites(t.desired, state, t.onConflict);
  refuseConflicts(t, plan);
  const ops = t.dryRun ? [] : opsOf(t, plan.rows);
  log.debug(`${t.verb}: ${t.desired.length} key(s), ${ops.length} write(s)${t.dryRun ? ' (dry run)' : ''}`);
  const result: WriteManyResult = ops.length > 0 ? await store.writeMany(ops) : { written: new Map(), errors: new Map() };
  const rows = new Map(plan.rows.map((r) => [r.key, r]));
  let raced = overtaken(ops, result);
  for (let round = 2; raced.length > 0 && round <= RACE_ROUNDS; round++) {
    const names = new Set(raced.map((op) => (op.kind === 'create' ? op.input.name : op.name)));
    const keys = t.desired.filter((d) => names.has(secretName(t.prefix, t.scope, d.key)));
    log.debug(`${t.verb}: ${keys.length} key(s) changed by another writer since the plan; planning them again (round ${round} of ${RACE_ROUNDS})`);
    for (const name of names) result.errors.delete(name);
    const again = planWrites(
      keys,
      await targetState(
        store,
        t.prefix,
        t.scope,
        keys.map((d) => d.key),
        log,
      ),
      t.onConflict,
    );
    for (const r of again.rows) rows.set(r.key, r);
    for (const key of again.conflicts) {
      result.errors.set(
        secretName(t.prefix, t.scope, key),
        new ConflictError('exists', 'another writer stored another value since the plan', 'keep what is there with --on-conflict skip, or overwrite with --on-conflict update'),
      );
    }
    for (const key of again.links) {
      result.errors.set(secretName(t.prefix, t.scope, key), linkRefusal(t, [key]).withMessage('made a link by another writer since the plan'));
    }
    for (const key of again.deleted) {
      result.errors.set(
        secretName(t.prefix, t.scope, key),
        new ConflictError('scheduled-for-deletion', 'scheduled for deletion since the plan', 'restore them first with scoped restore secret KEY'),
      );
    }
    const retry = opsOf(t, again.rows);
    const next: WriteManyResult = retry.length > 0 ? await store.writeMany(retry) : { written: new Map(), errors: new Map() };
    for (const [name, id] of next.written) result.written.set(name, id);
    for (const [name, err] of next.errors) result.errors.set(name, err);
    raced = overtaken(retry, next);
  }
  // Still overtaken after the last round: one cause for them all, not each key's own words.
  const busy = new ConflictError(
    'changed',
    `other writers changed them in each of ${RACE_ROUNDS} rounds of planning`,
    'run the same command again when the other writers are done',
  );
  for (const op of raced) result.errors.set(op.kind === 'create' ? op.input.name : op.name, busy);
  if (result.errors.size > 0) throw partialFailure(log, t, ops, result);
  return report(t, [...rows.values()], result.written);
}

import { ScopedError, UsageError } from '../errors.js';
import { describeScope, scopeFlags, type Scope, scopeJson } from '../core/scope.js';
import type { Context } from '../cli/context.js';
import { defineVerbAction } from '../cli/define-command.js';
import { pinSettings } from '../cli/deployment-source.js';
import { printable, printResult, printRows } from '../cli/output.js';
import { applyPinnedRollback, planPinnedRollback, planRefusal, type CreatedSince, type PinnedPlan, type PinnedStep } from '../history/pinned-rollback.js';
import { applyRollback, checkVersionId, planRollback, type RollbackTarget } from '../history/rollback.js';
import { MAX_STAGES_PER_VERSION } from '../store/types.js';
import { explained } from './hints.js';
import { confirmed, defineSecretCommand, keyAtScope, needConfirmation, secretAt, secretJson, type KeyAtScope } from './secret-command.js';

export const rollbackSecretCommand = defineSecretCommand({
  verb: 'rollback',
  summary: 'move AWSCURRENT back to the previous or a given version (AWSPREVIOUS to the one it replaced); no new version, so pins stay valid',
  examples: [
    'scoped rollback secret DB_PASSWORD -p billing -d production --previous',
    'scoped rollback secret DB_PASSWORD -p billing --to 3f0c9d1e-5a4b-4c2d-9e8f-7a6b5c4d3e2f --yes',
    'scoped history secret DB_PASSWORD -p billing   # the version ids to choose from',
  ],
  options: [
    ['--previous', 'back to the version labelled AWSPREVIOUS'],
    ['--to <VERSION_ID>', 'back to this kept version (see: scoped history secret KEY)'],
    ['--dry-run', 'say what would move, and move nothing'],
  ],
  build: (args, flags): RollbackSecretOptions => {
    if (flags.previous === true && flags.to !== undefined) {
      throw new UsageError(
        '--previous and --to cannot be combined',
        'give one: --previous for the version labelled AWSPREVIOUS, or --to VERSION_ID (see: scoped history secret KEY)',
      );
    }
    if (flags.previous !== true && flags.to === undefined) {
      throw new UsageError('rollback secret needs either --previous or --to VERSION_ID', 'see the versions with: scoped history secret KEY');
    }
    const to: RollbackTarget = flags.to !== undefined ? { versionId: checkVersionId(flags.to, '--to') } : { previous: true };
    return { ...keyAtScope(args, flags), target: to, dryRun: flags.dryRun === true };
  },
  // The verb's own flags are parsed wherever they stand on the line (`rollback secret K --dry-run` included).
  run: (ctx, o, cmd) => {
    const verb = cmd.optsWithGlobals() as { dryRun?: boolean; pinned?: string };
    if (verb.pinned !== undefined) throw new UsageError('--pinned FILE rolls back a whole pin: use it as rollback --pinned FILE, without secret KEY');
    return runRollbackSecret(ctx, { ...o, dryRun: o.dryRun || verb.dryRun === true });
  },
});

export interface RollbackSecretOptions extends KeyAtScope {
  target: RollbackTarget;
  dryRun: boolean;
}

const CANCELLED = 'rollback cancelled; nothing was moved';

export async function runRollbackSecret(ctx: Context, o: RollbackSecretOptions): Promise<void> {
  const { t, where, store } = await secretAt(ctx, o);
  if (!o.dryRun) needConfirmation(ctx, `roll back ${where}`);
  const plan = await explained(t, () => planRollback(store, t.name, o.target));
  const result = { ...secretJson(t), from: plan.from, to: plan.to, moved: false, dryRun: o.dryRun };
  if (plan.already) {
    ctx.info(`${where}: version ${plan.to} is already current; nothing to do`);
    return printResult(ctx, result);
  }
  ctx.info(`${where}: AWSCURRENT ${plan.from} -> ${plan.to}`);
  if (o.dryRun) {
    ctx.info('dry run: nothing was moved');
    return printResult(ctx, result);
  }
  await confirmed(ctx, `Make version ${plan.to} current for ${where} (no value is written)?`, CANCELLED);
  await explained(t, () => applyRollback(store, plan));
  ctx.success(`Rolled back ${where}: version ${plan.to} is current, ${plan.from} is AWSPREVIOUS; no new version was written`);
  await printResult(ctx, { ...result, moved: true });
}

export interface RollbackPinnedOptions {
  file: string;
  dryRun: boolean;
}

/** `rollback --pinned FILE`: on the verb itself (its resource commands are `rollback secret`). */
export const rollbackPinnedCommand = defineVerbAction('rollback', {
  usage: '<resource> | --pinned <FILE> [--dry-run]',
  examples: [
    'scoped rollback --pinned release-41.pin.json --dry-run',
    'scoped rollback --pinned release-41.pin.json --yes',
    'scoped rollback secret DB_PASSWORD -p billing --previous',
  ],
  options: [
    ['--pinned <FILE>', 'move every key pinned in FILE (written by scoped pin) back to its pinned version'],
    ['--dry-run', 'show the plan, and move nothing'],
  ],
  build: (args, flags): RollbackPinnedOptions => {
    const [word] = args;
    if (word !== undefined) {
      if (word.startsWith('-')) throw new UsageError(`unknown option '${word.split('=')[0]}' for rollback`, 'see: scoped rollback --help');
      throw new UsageError(`unknown resource '${word}' for rollback: secret${flags.pinned !== undefined ? ' (--pinned takes no resource)' : ''}`, 'see: scoped rollback --help');
    }
    if (flags.pinned === undefined) throw new UsageError('rollback needs a resource (secret KEY) or --pinned FILE', 'see: scoped rollback --help');
    return { file: flags.pinned, dryRun: flags.dryRun === true };
  },
  run: runRollbackPinned,
});

const where = (key: string, scope: Scope) => `${key} at ${describeScope(scope)}`;

function stateText(s: PinnedStep): string {
  if (s.state === 'move') return 'move';
  if (s.state === 'already') return 'already there';
  if (s.state === 'scheduled') {
    const flags = scopeFlags(s.scope);
    return `deleted since the pin: scoped restore secret ${s.key}${flags ? ` ${flags}` : ''}`;
  }
  if (s.state === 'gone') return 'deleted for good since the pin';
  if (s.state === 'link') return s.note ?? 'a link: left alone';
  if (s.state === 'labels-full') return `pinned version ${s.to} carries ${MAX_STAGES_PER_VERSION} staging labels already: no room for AWSCURRENT`;
  return 'pinned version no longer kept';
}

type PlanRow = { key: string; scope: Scope; from: string; to: string; action: string };

function planRows(plan: PinnedPlan): PlanRow[] {
  return [
    ...plan.steps.map((s) => ({ key: s.key, scope: s.scope, from: s.from ?? '', to: s.to, action: stateText(s) })),
    ...plan.createdSince.map((c) => ({ key: c.key, scope: c.scope, from: '', to: '', action: createdText(c) })),
  ];
}

const createdText = (c: CreatedSince) => (c.hidesPinned ? 'created since the pin, and read instead of the pinned one: left alone' : 'created since the pin: left alone');

const planJson = (plan: PinnedPlan, moved: ReadonlySet<PinnedStep>) => ({
  keys: plan.steps.map((s) => ({ key: s.key, scope: scopeJson(s.scope), name: s.name, current: s.from ?? null, pinned: s.to, state: s.state, moved: moved.has(s) })),
  createdSince: plan.createdSince.map((c) => ({ key: c.key, scope: scopeJson(c.scope), name: c.name, hidesPinned: c.hidesPinned })),
});

const PLAN_COLUMNS = [
  { header: 'KEY', get: (r: PlanRow) => r.key },
  { header: 'SCOPE', get: (r: PlanRow) => `${r.scope.project ?? '_'}/${r.scope.domain ?? '_'}` },
  { header: 'CURRENT', get: (r: PlanRow) => r.from },
  { header: 'PINNED', get: (r: PlanRow) => r.to },
  { header: 'ACTION', get: (r: PlanRow) => r.action },
];

const names = (steps: readonly PinnedStep[]) => (steps.length === 0 ? 'none' : steps.map((s) => where(s.key, s.scope)).join(', '));

const STOPS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * The moves, with SIGINT/SIGTERM/SIGHUP (a CI job's timeout) answered by one line naming the keys moved so
 * far and the rest, before the signal ends the process as it would have (raised again).
 */
export async function withStopReport<T>(
  ctx: Context,
  file: string,
  moves: readonly PinnedStep[],
  work: (moved: (s: PinnedStep) => void) => Promise<T>,
  raise: (signal: NodeJS.Signals) => void = (sig) => process.kill(process.pid, sig),
): Promise<T> {
  const signals = ctx.io.signals;
  const moved: PinnedStep[] = [];
  if (signals === undefined) return work((s) => moved.push(s));
  const onSignal = (sig: NodeJS.Signals): void => {
    for (const s of STOPS) signals.off(s, onSignal);
    const rest = moves.filter((s) => !moved.includes(s));
    ctx.io.stderr.write(
      `${printable(`scoped: interrupted (${sig}) while rolling back to pin file ${file}: moved to their pinned versions: ${names(moved)}; not moved (or in flight): ${names(rest)}; run the same rollback again to finish`)}\n`,
    );
    raise(sig);
  };
  for (const s of STOPS) signals.on(s, onSignal);
  try {
    return await work((s) => moved.push(s));
  } finally {
    for (const s of STOPS) signals.off(s, onSignal);
  }
}

export async function runRollbackPinned(ctx: Context, o: RollbackPinnedOptions): Promise<void> {
  if (!o.dryRun) needConfirmation(ctx, `roll back to pin file ${o.file}`);
  const { checkPin, loadPin } = await import('../pin/pinned-read.js');
  const pin = await loadPin(ctx, o.file);
  checkPin(pin, o.file, pinSettings(await ctx.config()), {});
  const store = await ctx.store();
  const plan = await planPinnedRollback(store, pin);
  const moves = plan.steps.filter((s) => s.state === 'move');
  const summary = `${moves.length} of ${plan.steps.length} pinned key(s) to move${plan.createdSince.length > 0 ? `, ${plan.createdSince.length} created since the pin left alone` : ''}`;
  const refused = planRefusal(plan, o.file);
  if (o.dryRun && refused === undefined) {
    ctx.info(`dry run: ${summary}; nothing was moved`);
    return printRows(ctx, PLAN_COLUMNS, planRows(plan), () => ({ file: o.file, dryRun: true, ...planJson(plan, new Set()) }));
  }
  // The plan for people (stderr): stdout stays empty if the rollback then fails. A refused plan is refused
  // the same way with --dry-run (same lines, same error, same exit code): a dry run answers as the real run.
  for (const row of planRows(plan)) ctx.info(`${where(row.key, row.scope)}: ${row.from && row.to && row.action === 'move' ? `${row.from} -> ${row.to}` : row.action}`);
  if (refused !== undefined) throw refused;
  if (moves.length === 0) {
    ctx.info(`every pinned key is already at its pinned version; nothing to do`);
    return printResult(ctx, { file: o.file, dryRun: false, ...planJson(plan, new Set()) });
  }
  await confirmed(ctx, `Roll back ${summary} to pin file ${o.file} (no value is written)?`, CANCELLED);
  const outcome = await withStopReport(ctx, o.file, moves, (moved) => applyPinnedRollback(store, plan, moved));
  if (outcome.failed !== undefined) {
    const { step, error } = outcome.failed;
    const said = `rollback to pin file ${o.file} stopped at ${where(step.key, step.scope)}: ${error instanceof ScopedError ? error.message : error.name}; moved to their pinned versions: ${names(outcome.moved)}; not touched: ${names([step, ...outcome.untouched])}`;
    throw error instanceof ScopedError ? error.withMessage(said, 'fix the cause and run the same rollback again (the keys already moved are then "already there")') : error;
  }
  ctx.success(`Rolled back ${outcome.moved.length} key(s) to pin file ${o.file}: ${names(outcome.moved)}; no new version was written`);
  await printResult(ctx, { file: o.file, dryRun: false, ...planJson(plan, new Set(outcome.moved)) });
}

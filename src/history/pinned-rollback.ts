import { ConflictError, NotFoundError, ScopedError } from '../errors.js';
import { describeScope, scopeFlags, type Scope } from '../core/scope.js';
import type { Pin, PinEntry } from '../pin/pin-file.js';
import { describeTarget, TAG_LINK, type LinkTarget } from '../core/link.js';
import { describeOwn, linkOf } from '../store/links.js';
import { resolveKeys } from '../service/deployment.js';
import { mapLimit } from '../support/map-limit.js';
import { moveStage } from '../store/stage-rules.js';
import { MAX_STAGES_PER_VERSION, STAGE_CURRENT, type SecretStore, type VersionInfo } from '../store/types.js';
import { currentOf } from './rollback.js';

/**
 * `rollback --pinned FILE`: a whole deployment back to a pin. Each pinned key's AWSCURRENT moves to its
 * pinned version (no value written, so the pin and every other stays valid). The plan comes first and is
 * checked in full: a key deleted since the pin, whose pinned version is gone, or whose pinned version
 * cannot take AWSCURRENT (it already carries the 20 staging labels Secrets Manager allows on one version)
 * stops the rollback before anything moves, and a dry run the same way. Secrets Manager has no transaction across secrets, so the moves go one key at a time and
 * stop at the first failure, saying exactly which keys moved.
 *
 * A link entry moves nothing: its pinned version is its target's, and scoped never writes to a link's
 * target (another team's or AWS's secret). Its step says so (`link`, with a note): `--pinned` reads still
 * give the pinned target version; a link retargeted or unlinked since the pin is named with the command
 * that points it back (which writes the link's own record, so rollback leaves it to the user).
 */

/** Keys looked at at once: a pin of hundreds of keys plans in seconds, far under DescribeSecret's quota. */
export const PLAN_CONCURRENCY = 8;

/** `labels-full`: the pinned version already carries MAX_STAGES_PER_VERSION labels, so AWSCURRENT cannot move onto it. */
export type StepState = 'move' | 'already' | 'gone' | 'scheduled' | 'version-gone' | 'labels-full' | 'link';

export interface PinnedStep {
  key: string;
  scope: Scope;
  name: string;
  /** The current version now (absent for a secret that is gone). */
  from?: string | undefined;
  /** The pinned version. */
  to: string;
  state: StepState;
  /** `link`: what happens to it (nothing), and what to run if it points elsewhere since the pin. */
  note?: string | undefined;
}

/** A key the deployment sees now that the pin does not name: left alone. */
export interface CreatedSince {
  key: string;
  scope: Scope;
  name: string;
  /** It hides the pinned secret of the same key (a more specific scope): the deployment reads it, not the pin's. */
  hidesPinned: boolean;
}

export interface PinnedPlan {
  steps: PinnedStep[];
  createdSince: CreatedSince[];
}

/** `scoped link secret KEY --arn ARN [--field F] [-p -d]` for a pinned target. */
function relinkCommand(e: PinEntry, t: LinkTarget): string {
  const flags = scopeFlags(e.scope);
  return `scoped link secret ${e.key} --arn ${t.arn}${t.field === undefined ? '' : ` --field ${JSON.stringify(t.field)}`}${flags ? ` ${flags}` : ''}`;
}

const LINK_LEFT = "a link: its target's versions are not scoped's to move";

/** A link entry's step: nothing moves; the note says whether the link still points where the pin read. */
async function linkStep(store: SecretStore, e: PinEntry, base: Omit<PinnedStep, 'state'>, own: { isLink: boolean; deleted: boolean } | undefined): Promise<PinnedStep> {
  const pinned = e.target;
  const relink = pinned === undefined ? '' : `; point it back with: ${relinkCommand(e, pinned)}`;
  let note: string;
  if (own === undefined || own.deleted) note = `${LINK_LEFT}, and it was unlinked since the pin${relink}`;
  else if (!own.isLink) note = `${LINK_LEFT}, and ${e.key} is a secret of its own since the pin${relink}`;
  else {
    const now = await linkOf(store, e.name);
    const same = pinned === undefined || (now !== undefined && now.arn === pinned.arn && now.field === pinned.field);
    note = same
      ? `${LINK_LEFT} (--pinned reads still give pinned version ${e.versionId})`
      : `${LINK_LEFT}, and it was retargeted since the pin (now ${now === undefined ? 'none' : describeTarget(now)})${relink}`;
  }
  return { ...base, state: 'link', note };
}

/**
 * Whether the move of AWSCURRENT from `from` to `to` is refused by the label limit: the store's own rules
 * (stage-rules.ts, which both backends run before moving) on a copy, so the plan refuses what the move would.
 */
function labelsFull(name: string, versions: readonly VersionInfo[], to: string, from: string): boolean {
  try {
    moveStage(
      name,
      versions.map((v) => ({ id: v.versionId, stages: [...v.stages] })),
      STAGE_CURRENT,
      { to, from },
    );
    return false;
  } catch (err) {
    if (err instanceof ConflictError && err.reason === 'quota') return true;
    throw err;
  }
}

async function stepOf(store: SecretStore, e: PinEntry): Promise<PinnedStep> {
  const base = { key: e.key, scope: e.scope, name: e.name, to: e.versionId };
  let own: { isLink: boolean; deleted: boolean } | undefined;
  try {
    // The secret's own metadata: a link's, not its target's (which may be gone without the link being so).
    const d = await describeOwn(store, e.name);
    own = { isLink: d.tags[TAG_LINK] !== undefined, deleted: d.deletedAt !== undefined };
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
  }
  if (e.target !== undefined || own?.isLink === true) return linkStep(store, e, base, own);
  if (own === undefined) return { ...base, state: 'gone' };
  if (own.deleted) return { ...base, state: 'scheduled' };
  const versions = await store.listVersions(e.name);
  const from = currentOf(e.name, versions);
  if (!versions.some((v) => v.versionId === e.versionId)) return { ...base, from, state: 'version-gone' };
  if (from === e.versionId) return { ...base, from, state: 'already' };
  return { ...base, from, state: labelsFull(e.name, versions, e.versionId, from) ? 'labels-full' : 'move' };
}

export async function planPinnedRollback(store: SecretStore, pin: Pin): Promise<PinnedPlan> {
  const steps = await mapLimit(pin.secrets, PLAN_CONCURRENCY, (e) => stepOf(store, e));
  const pinned = new Map(pin.secrets.map((e) => [e.key, e]));
  const createdSince: CreatedSince[] = [];
  for (const r of await resolveKeys(store, pin.prefix, pin.deployment)) {
    const entry = pinned.get(r.key);
    if (entry === undefined || entry.name !== r.winner.name) createdSince.push({ key: r.key, scope: r.winner.scope, name: r.winner.name, hidesPinned: entry !== undefined });
  }
  return { steps, createdSince };
}

const at = (s: PinnedStep) => `${s.key} at ${describeScope(s.scope)}`;

const BLOCKING: ReadonlySet<StepState> = new Set(['gone', 'scheduled', 'version-gone', 'labels-full']);

/** What to do about each kind of key in the way. */
const REMEDY: Partial<Record<StepState, string>> = {
  scheduled: 'restore the deleted keys, then roll back again',
  gone: 'roll back to a newer pin, or pin the deployment again',
  'version-gone': 'roll back to a newer pin, or pin the deployment again',
  'labels-full': 'remove labels the pinned versions no longer need (scoped pin --unprotect FILE for an old pin), then roll back again',
};

/**
 * Why the plan cannot be carried out, one error naming every key in the way (the first decides the exit
 * code: 4 for a key scheduled for deletion or a version with no room for AWSCURRENT, 3 for what is gone),
 * with what to do about each kind; undefined when it can.
 */
export function planRefusal(plan: PinnedPlan, file: string): ScopedError | undefined {
  const blocked = plan.steps.filter((s) => BLOCKING.has(s.state));
  if (blocked.length === 0) return undefined;
  const reasons = blocked.map((s) => {
    const flags = scopeFlags(s.scope);
    if (s.state === 'scheduled') return `${at(s)} was deleted since the pin (undo that with: scoped restore secret ${s.key}${flags ? ` ${flags}` : ''})`;
    if (s.state === 'gone') return `${at(s)} no longer exists (deleted for good since the pin)`;
    if (s.state === 'labels-full')
      return `${at(s)}: pinned version ${s.to} of secret ${s.name} already carries ${MAX_STAGES_PER_VERSION} staging labels, the most Secrets Manager allows on one version, so AWSCURRENT cannot move onto it (see them with: scoped history secret ${s.key}${flags ? ` ${flags}` : ''})`;
    return `${at(s)}: pinned version ${s.to} is no longer kept`;
  });
  const first = blocked[0] as PinnedStep;
  const message = `cannot roll back to pin file ${file}, nothing was moved: ${reasons.join('; ')}`;
  const hint = [...new Set(blocked.map((s) => REMEDY[s.state]))].join('; ');
  if (first.state === 'scheduled') return new ConflictError('scheduled-for-deletion', message, hint);
  if (first.state === 'labels-full') return new ConflictError('quota', message, hint);
  return new NotFoundError(message, hint, { subject: first.state === 'gone' ? 'secret' : 'version' });
}

export interface PinnedOutcome {
  moved: PinnedStep[];
  /** The move that failed, and why; the steps after it were not touched. */
  failed?: { step: PinnedStep; error: Error } | undefined;
  untouched: PinnedStep[];
}

/** The moves one key at a time, in the plan's order, stopping at the first failure. `moved` hears of each key as it moves (a command stopped by a signal says which had). */
export async function applyPinnedRollback(store: SecretStore, plan: PinnedPlan, moved: (step: PinnedStep) => void = () => undefined): Promise<PinnedOutcome> {
  const todo = plan.steps.filter((s) => s.state === 'move');
  const done: PinnedStep[] = [];
  for (const [i, step] of todo.entries()) {
    try {
      await store.updateStage(step.name, STAGE_CURRENT, { to: step.to, from: step.from });
    } catch (err) {
      return { moved: done, failed: { step, error: err as Error }, untouched: todo.slice(i + 1) };
    }
    done.push(step);
    moved(step);
  }
  return { moved: done, untouched: [] };
}

import { ConflictError, NotFoundError, ScopedError } from '../errors.js';
import { describeScope, scopeFlags, type Scope } from '../core/scope.js';
import type { Pin } from '../pin/pin-file.js';
import { resolveKeys } from '../service/deployment.js';
import { mapLimit } from '../support/map-limit.js';
import { STAGE_CURRENT, type SecretStore } from '../store/types.js';
import { currentOf } from './rollback.js';

/**
 * `rollback --pinned FILE`: a whole deployment back to a pin. Each pinned key's AWSCURRENT moves to its
 * pinned version (no value written, so the pin and every other stays valid). The plan comes first and is
 * checked in full: a key deleted since the pin, or whose pinned version is gone, stops the rollback before
 * anything moves. Secrets Manager has no transaction across secrets, so the moves go one key at a time and
 * stop at the first failure, saying exactly which keys moved.
 */

/** Keys looked at at once: a pin of hundreds of keys plans in seconds, far under DescribeSecret's quota. */
export const PLAN_CONCURRENCY = 8;

export type StepState = 'move' | 'already' | 'gone' | 'scheduled' | 'version-gone';

export interface PinnedStep {
  key: string;
  scope: Scope;
  name: string;
  /** The current version now (absent for a secret that is gone). */
  from?: string | undefined;
  /** The pinned version. */
  to: string;
  state: StepState;
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

async function stepOf(store: SecretStore, e: Pin['secrets'][number]): Promise<PinnedStep> {
  const base = { key: e.key, scope: e.scope, name: e.name, to: e.versionId };
  let deleted: boolean;
  try {
    deleted = (await store.describe(e.name)).deletedAt !== undefined;
  } catch (err) {
    if (err instanceof NotFoundError) return { ...base, state: 'gone' };
    throw err;
  }
  if (deleted) return { ...base, state: 'scheduled' };
  const versions = await store.listVersions(e.name);
  const from = currentOf(e.name, versions);
  if (!versions.some((v) => v.versionId === e.versionId)) return { ...base, from, state: 'version-gone' };
  return { ...base, from, state: from === e.versionId ? 'already' : 'move' };
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

/** Why the plan cannot be carried out, one error naming every key in the way (the first decides the exit code); undefined when it can. */
export function planRefusal(plan: PinnedPlan, file: string): ScopedError | undefined {
  const blocked = plan.steps.filter((s) => s.state === 'gone' || s.state === 'scheduled' || s.state === 'version-gone');
  if (blocked.length === 0) return undefined;
  const reasons = blocked.map((s) => {
    if (s.state === 'scheduled') {
      const flags = scopeFlags(s.scope);
      return `${at(s)} was deleted since the pin (undo that with: scoped restore secret ${s.key}${flags ? ` ${flags}` : ''})`;
    }
    if (s.state === 'gone') return `${at(s)} no longer exists (deleted for good since the pin)`;
    return `${at(s)}: pinned version ${s.to} is no longer kept`;
  });
  const first = blocked[0] as PinnedStep;
  const message = `cannot roll back to pin file ${file}, nothing was moved: ${reasons.join('; ')}`;
  return first.state === 'scheduled'
    ? new ConflictError('scheduled-for-deletion', message, 'restore the deleted keys, then roll back again')
    : new NotFoundError(message, 'roll back to a newer pin, or pin the deployment again', { subject: first.state === 'gone' ? 'secret' : 'version' });
}

export interface PinnedOutcome {
  moved: PinnedStep[];
  /** The move that failed, and why; the steps after it were not touched. */
  failed?: { step: PinnedStep; error: Error } | undefined;
  untouched: PinnedStep[];
}

/** The moves one key at a time, in the plan's order, stopping at the first failure. */
/** `moved` hears of each key as it moves (a command stopped by a signal says which had). */
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

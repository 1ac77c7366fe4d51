import { ConflictError, NotFoundError, UsageError } from '../errors.js';
import { MAX_STAGES_PER_VERSION, STAGE_CURRENT, STAGE_PREVIOUS, type StageMove } from './types.js';

/**
 * Secrets Manager's staging-label rules (UpdateSecretVersionStage), as one pure function both backends
 * run: the local store to apply a move, the AWS store to refuse in our words what AWS would refuse (and
 * what some servers, moto among them, let through).
 */

export interface Labelled {
  id: string;
  stages: string[];
}

const noVersion = (name: string, id: string) => new NotFoundError(`secret ${name} has no version ${id}`, undefined, { subject: 'version' });

/** The label limit, in words (exit 4): the same on both backends. */
export function tooManyLabels(name: string, versionId: string): ConflictError {
  return new ConflictError(
    'quota',
    `version ${versionId} of secret ${name} already carries ${MAX_STAGES_PER_VERSION} staging labels, the most Secrets Manager allows on one version`,
    'remove labels it no longer needs (scoped pin --unprotect FILE for an old pin), then try again',
  );
}

/**
 * Moves `stage` onto version `move.to`, taking it from `move.from` (which must carry it when it is on
 * another version: a label is on one version at a time), or with no `to` removes it from `from`. Moving
 * AWSCURRENT moves AWSPREVIOUS to the version it left. A version carries at most MAX_STAGES_PER_VERSION
 * labels. Every check comes before the first change, so a refused move changes nothing. True when
 * something changed (false: the label was already where it was asked to go).
 */
export function moveStage(name: string, versions: readonly Labelled[], stage: string, move: StageMove): boolean {
  const find = (id: string | undefined): Labelled | undefined => {
    if (id === undefined) return undefined;
    const v = versions.find((x) => x.id === id);
    if (v === undefined) throw noVersion(name, id);
    return v;
  };
  const to = find(move.to);
  const from = find(move.from);
  if (to === undefined && from === undefined) throw new UsageError(`moving ${stage} of ${name} needs a version to move it to or from`);
  if (to === undefined && stage === STAGE_CURRENT) throw new UsageError(`${STAGE_CURRENT} of ${name} can only be moved to another version, not removed`);
  const holder = versions.find((v) => v.stages.includes(stage));
  if (from !== undefined && holder !== from) {
    throw new ConflictError('changed', `${stage} of secret ${name} is not on version ${from.id}`, 'see where it is with `scoped history secret`, then try again');
  }
  if (holder !== undefined && holder !== to && from === undefined) {
    throw new ConflictError('changed', `${stage} of secret ${name} is on version ${holder.id}, and moving it needs that version named`);
  }
  // AWSPREVIOUS leaves the version AWSCURRENT moves onto, so it does not count there.
  const kept = to?.stages.filter((s) => !(stage === STAGE_CURRENT && s === STAGE_PREVIOUS)) ?? [];
  if (to !== undefined && !to.stages.includes(stage) && kept.length >= MAX_STAGES_PER_VERSION) throw tooManyLabels(name, to.id);
  if (to !== undefined && holder === to && (from === undefined || from === to)) return false;
  if (from !== undefined && from !== to) from.stages = from.stages.filter((s) => s !== stage);
  if (to !== undefined && !to.stages.includes(stage)) to.stages = [...to.stages, stage];
  if (stage === STAGE_CURRENT && from !== undefined && from !== to) {
    for (const v of versions) v.stages = v.stages.filter((s) => s !== STAGE_PREVIOUS);
    // The version it left lost AWSCURRENT, so AWSPREVIOUS always fits there.
    from.stages = [...from.stages, STAGE_PREVIOUS];
  }
  return true;
}

import { ConflictError, NotFoundError, UsageError } from '../errors.js';
import { TAG_LINK } from '../core/link.js';
import { isVersionId, VERSION_ID_RULE } from '../pin/pin-file.js';
import { describeOwn, linkRefusal } from '../store/links.js';
import { moveStage } from '../store/stage-rules.js';
import { STAGE_CURRENT, STAGE_PREVIOUS, type SecretStore, type VersionInfo } from '../store/types.js';

/**
 * `rollback secret KEY`: AWSCURRENT moved back to a kept version (UpdateSecretVersionStage), AWSPREVIOUS
 * to the one it replaced (the backend does that with the move). No value is written, so no new version:
 * every pin stays valid.
 */

export type RollbackTarget = { previous: true } | { versionId: string };

export interface RollbackPlan {
  name: string;
  /** The version AWSCURRENT is on now. */
  from: string;
  /** The version it goes to. */
  to: string;
  /** `to` is already current: nothing to do. */
  already: boolean;
}

/** The versions' current one, or NotFound (a secret made by another tool without a value has none). */
export function currentOf(name: string, versions: readonly VersionInfo[]): string {
  const current = versions.find((v) => v.stages.includes(STAGE_CURRENT));
  if (current === undefined) throw new NotFoundError(`secret ${name} has no current version`, 'give it one with `scoped update secret`', { subject: 'version' });
  return current.versionId;
}

/** A version id as given on the command line: malformed is a usage error (exit 2), never a look-up. */
export function checkVersionId(id: string, flag: string): string {
  if (!isVersionId(id))
    throw new UsageError(
      `${flag} ${JSON.stringify(id.length > 70 ? `${id.slice(0, 67)}...` : id)} is not a version id (${VERSION_ID_RULE})`,
      'see the versions with: scoped history secret KEY',
    );
  return id;
}

/**
 * The plan, checked as the move itself would check it, so that a dry run answers as the real run would:
 * a secret scheduled for deletion (exit 4), a link (exit 2), an unknown version (exit 3), a version that
 * cannot take another label (exit 4) are refused here, before anything moves.
 */
export async function planRollback(store: SecretStore, name: string, target: RollbackTarget): Promise<RollbackPlan> {
  // The secret's own metadata (a link's, not its target's).
  const own = await describeOwn(store, name);
  if (own.deletedAt !== undefined) throw new ConflictError('scheduled-for-deletion', `secret ${name} is scheduled for deletion`);
  if (own.tags[TAG_LINK] !== undefined) throw linkRefusal(name, 'rolled back');
  const versions = await store.listVersions(name);
  const from = currentOf(name, versions);
  let to: string;
  if ('previous' in target) {
    const previous = versions.find((v) => v.stages.includes(STAGE_PREVIOUS));
    if (previous === undefined)
      throw new NotFoundError(`secret ${name} has no previous version (${STAGE_PREVIOUS})`, 'name one with --to VERSION_ID (see: scoped history secret KEY)', {
        subject: 'version',
      });
    to = previous.versionId;
  } else {
    if (!versions.some((v) => v.versionId === target.versionId)) {
      throw new NotFoundError(`secret ${name} has no version ${target.versionId}`, 'see its kept versions with: scoped history secret KEY', { subject: 'version' });
    }
    to = target.versionId;
  }
  // The store's own rules on a copy (the 20-label limit among them): what the move would refuse, refused now.
  if (from !== to)
    moveStage(
      name,
      versions.map((v) => ({ id: v.versionId, stages: [...v.stages] })),
      STAGE_CURRENT,
      { to, from },
    );
  return { name, from, to, already: from === to };
}

/** The move itself; AWSPREVIOUS follows to `from`. Nothing when already there. */
export async function applyRollback(store: SecretStore, plan: RollbackPlan): Promise<void> {
  if (plan.already) return;
  await store.updateStage(plan.name, STAGE_CURRENT, { to: plan.to, from: plan.from });
}

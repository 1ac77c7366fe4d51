import { ConflictError, NotFoundError } from '../../errors.js';
import { moveStage } from '../stage-rules.js';
import { STAGE_CURRENT, STAGE_PREVIOUS, type CreateInput, type ReadSelector, type SecretSummary, type StageMove } from '../types.js';
import { withDeprecated, type Secrets, type StoredSecret, type StoredVersion } from './shard-file.js';

/**
 * Secrets Manager's semantics on one scope's secrets, in memory: no I/O, no crypto. The caller reads the
 * shard, applies these, and writes it back under the scope's lock.
 */
export const notFound = (name: string) => new NotFoundError(`secret ${name} not found`);
export const scheduled = (name: string) => new ConflictError('scheduled-for-deletion', `secret ${name} is scheduled for deletion`);

/** Live secrets and those in their recovery window; purged ones are gone (and dropped at the next write). */
export function lookup(secrets: Secrets, name: string, now: Date): StoredSecret | undefined {
  const secret = secrets[name];
  if (!secret) return undefined;
  if (secret.purgeAt !== undefined && Date.parse(secret.purgeAt) <= now.getTime()) {
    delete secrets[name];
    return undefined;
  }
  return secret;
}

export function live(secrets: Secrets, name: string, now: Date): StoredSecret {
  const secret = lookup(secrets, name, now);
  if (!secret) throw notFound(name);
  if (secret.deletedAt !== undefined) throw scheduled(name);
  return secret;
}

export function applyCreate(secrets: Secrets, input: CreateInput, version: StoredVersion, now: Date): void {
  const existing = lookup(secrets, input.name, now);
  if (existing?.deletedAt !== undefined) throw scheduled(input.name);
  if (existing) throw new ConflictError('exists', `secret ${input.name} already exists`);
  secrets[input.name] = {
    description: input.description,
    tags: { ...input.tags },
    kmsKeyId: input.kmsKeyId,
    createdAt: version.createdAt,
    lastChangedAt: version.createdAt,
    versions: [version],
  };
}

/** Versions kept per secret, as Secrets Manager keeps them: labelled ones are never dropped. */
export const MAX_VERSIONS = 100;

/**
 * Like PutSecretValue: current becomes previous, the version that was previous keeps no stage (it is
 * deprecated, still readable by id), and over MAX_VERSIONS the oldest versions without a stage are
 * dropped, as Secrets Manager does, so a pin on a version stays good as long as it would on AWS.
 */
export function applyPut(secrets: Secrets, name: string, version: StoredVersion, now: Date): void {
  const secret = withDeprecated(live(secrets, name, now));
  for (const v of secret.versions) {
    // Only AWSCURRENT and AWSPREVIOUS move: a version keeps its other labels (a pin's), as on Secrets Manager.
    const others = v.stages.filter((s) => s !== STAGE_CURRENT && s !== STAGE_PREVIOUS);
    v.stages = v.stages.includes(STAGE_CURRENT) ? [...others, STAGE_PREVIOUS] : others;
  }
  secret.versions = prune([version, ...secret.versions]);
  secret.lastChangedAt = version.createdAt;
}

/** Newest first in, newest first out: the oldest unlabelled versions dropped while over MAX_VERSIONS. */
export function prune(versions: StoredVersion[]): StoredVersion[] {
  let excess = versions.length - MAX_VERSIONS;
  if (excess <= 0) return versions;
  const kept: StoredVersion[] = [];
  for (let i = versions.length - 1; i >= 0; i--) {
    const v = versions[i] as StoredVersion;
    if (excess > 0 && v.stages.length === 0) excess--;
    else kept.push(v);
  }
  return kept.reverse();
}

/** Like UpdateSecretVersionStage, on one secret's kept versions (see stage-rules.ts). */
export function applyUpdateStage(secrets: Secrets, name: string, stage: string, move: StageMove, now: Date): boolean {
  return moveStage(name, withDeprecated(live(secrets, name, now)).versions, stage, move);
}

/** The version a read asks for: AWSCURRENT unless a version id or stage is given. */
export function pickVersion(name: string, secret: StoredSecret, selector: ReadSelector): StoredVersion {
  const { versionId, versionStage } = selector;
  // A version asked for by id may be a deprecated one (a pin's), if they were read.
  if (versionId !== undefined) withDeprecated(secret);
  const version = secret.versions.find(
    (v) =>
      (versionId === undefined || v.id === versionId) &&
      (versionStage === undefined ? versionId !== undefined || v.stages.includes(STAGE_CURRENT) : v.stages.includes(versionStage)),
  );
  if (!version) {
    const what = versionId !== undefined ? `version ${versionId}` : `stage ${versionStage ?? STAGE_CURRENT}`;
    throw new NotFoundError(`secret ${name} has no ${what}`, undefined, { subject: 'version' });
  }
  return version;
}

export function summary(name: string, s: StoredSecret): SecretSummary {
  return {
    name,
    description: s.description,
    tags: { ...s.tags },
    createdAt: new Date(s.createdAt),
    lastChangedAt: new Date(s.lastChangedAt),
    deletedAt: s.deletedAt === undefined ? undefined : new Date(s.deletedAt),
  };
}

/**
 * The store interface: only what every backend really supports. Names are full backend names
 * (`scoped/acme/_/_/KEY`); mapping scopes to names is the core's job, not the store's.
 * Backends throw only our error types (src/errors.ts).
 */

import type { LinkTarget } from '../core/link.js';
import type { PasswordRules } from '../core/password.js';
import type { StoreLog } from './log.js';

/** A secret value: text (SecretString) or bytes (SecretBinary), kept as given. */
export type SecretValue = string | Uint8Array;

export const STAGE_CURRENT = 'AWSCURRENT';
export const STAGE_PREVIOUS = 'AWSPREVIOUS';

export const MAX_VALUE_BYTES = 65_536;
export const MAX_DESCRIPTION = 2_048;
export const MIN_RECOVERY_DAYS = 7;
export const MAX_RECOVERY_DAYS = 30;
export const DEFAULT_RECOVERY_DAYS = 30;
/** Staging labels one version may carry (Secrets Manager's VersionStages: 1-20 labels, each 1-256 characters). */
export const MAX_STAGES_PER_VERSION = 20;
export const MAX_STAGE_LENGTH = 256;

export interface SecretSummary {
  name: string;
  description?: string | undefined;
  tags: Record<string, string>;
  createdAt?: Date | undefined;
  lastChangedAt?: Date | undefined;
  /** Set when the secret is scheduled for deletion: when that deletion was requested. */
  deletedAt?: Date | undefined;
  /** The backend's own id where it has one (AWS: the secret's ARN); the local store has none. */
  arn?: string | undefined;
  /** AWS: the customer-managed KMS key that encrypts the value (absent for the default aws/secretsmanager key). */
  kmsKeyId?: string | undefined;
}

export interface SecretDetails extends SecretSummary {
  kmsKeyId?: string | undefined;
  /** Version id -> staging labels. */
  versions: Record<string, string[]>;
  /** AWS: the regions the secret is replicated to, with Secrets Manager's status (InSync, InProgress, Failed). */
  replicas?: ReplicaInfo[] | undefined;
  /** AWS: set when the client's region holds a read-only replica: the secret's primary region. */
  replicaOf?: string | undefined;
  /** A link's target (from the linking store, store/links.ts): `versions` are then the target's. */
  link?: LinkTarget | undefined;
}

export interface ReplicaInfo {
  region: string;
  status: string;
}

export interface VersionInfo {
  versionId: string;
  stages: string[];
  createdAt?: Date | undefined;
  /** Who wrote it, where the backend records it (local: `user@host`); undefined when unknown. */
  createdBy?: string | undefined;
}

/**
 * A staging label's move (UpdateSecretVersionStage): onto version `to`, taken from version `from`, which
 * must be where it is now when it is on another version; with no `to`, removed from `from`.
 */
export interface StageMove {
  to?: string | undefined;
  from?: string | undefined;
}

export interface ReadSelector {
  versionId?: string | undefined;
  versionStage?: string | undefined;
}

export interface ReadResult {
  name: string;
  value: SecretValue;
  versionId: string;
  stages: string[];
  /**
   * Set when the secret's metadata marks it a link (core/link.ts). From a backend, `value` is then the
   * link's record; from the linking store (store/links.ts), the target's value, version id and stages.
   */
  link?: LinkTarget | undefined;
}

export interface CreateInput {
  name: string;
  value: SecretValue;
  description?: string | undefined;
  tags: Record<string, string>;
  kmsKeyId?: string | undefined;
  replicaRegions?: string[] | undefined;
}

/**
 * `removeReplicas`: remove the secret's replicas first (AWS refuses to delete a secret that has any); without
 * it, such a delete is a ConflictError with reason `has-replicas`. Backends without replicas ignore it.
 */
export type DeleteMode = ({ force: true } | { force?: false; recoveryDays: number }) & { removeReplicas?: boolean | undefined };

export interface BatchReadResult {
  values: Map<string, ReadResult>;
  /** Per-name failures (not found, access denied, ...), never swallowed. */
  errors: Map<string, Error>;
}

/** One write of a bulk change (import, copy): a new secret, or a new current value of an existing one. */
export type WriteOp = { kind: 'create'; input: CreateInput } | { kind: 'put'; name: string; value: SecretValue };

export interface WriteManyResult {
  /** Name -> the version id written. */
  written: Map<string, string>;
  /** Name -> why nothing was written for it (conflict, not found, denied, throttled past the deadline, ...). */
  errors: Map<string, Error>;
}

export interface SecretStore {
  readonly backend: string;
  /** The debug log the backend writes to (names and counts, never values), for callers to add to. */
  readonly log?: StoreLog | undefined;
  /** Fails with ConflictError if the name exists or is scheduled for deletion. */
  create(input: CreateInput): Promise<{ versionId: string }>;
  /** A new AWSCURRENT version; the old current becomes AWSPREVIOUS. */
  putValue(name: string, value: SecretValue): Promise<{ versionId: string }>;
  updateDescription(name: string, description: string): Promise<void>;
  /** Metadata, also for a secret scheduled for deletion. NotFoundError if absent. */
  describe(name: string): Promise<SecretDetails>;
  /** AWSCURRENT unless a version id or stage is given. */
  getValue(name: string, selector?: ReadSelector): Promise<ReadResult>;
  /** Current values of many names, batched where the backend can. */
  getValues(names: readonly string[]): Promise<BatchReadResult>;
  /**
   * Every secret whose name starts with one of the prefixes (case-sensitive), paginated to the end.
   * Secrets scheduled for deletion only with `includeDeleted`.
   */
  list(prefixes: readonly string[], options?: { includeDeleted?: boolean }): Promise<SecretSummary[]>;
  /** Names only (not scheduled for deletion), as `list`: all a deployment's resolution needs, so backends may answer it cheaper. */
  listNames(prefixes: readonly string[]): Promise<string[]>;
  /** Every kept version, deprecated ones (no stage) too, newest first. */
  listVersions(name: string): Promise<VersionInfo[]>;
  delete(name: string, mode: DeleteMode): Promise<{ deletionDate?: Date | undefined }>;
  restore(name: string): Promise<void>;
  /**
   * Many independent writes (import, copy). Each op succeeds or fails on its own and is reported by name;
   * an op that failed wrote nothing. Backends batch where they can (one lock and one commit locally,
   * bounded concurrency on AWS). Limits are checked for every op before the first write.
   */
  writeMany(ops: readonly WriteOp[]): Promise<WriteManyResult>;
  /**
   * Moves or removes one staging label, as UpdateSecretVersionStage does; no value is written. Moving
   * AWSCURRENT moves AWSPREVIOUS to the version it left. A label is on one version at a time; a version
   * carries at most MAX_STAGES_PER_VERSION (ConflictError `quota`); `from` not carrying it is ConflictError
   * `changed`; an unknown version is NotFoundError with subject `version`.
   */
  updateStage(name: string, stage: string, move: StageMove): Promise<void>;
  /**
   * A secret outside the store, by its ARN (a link's target: any region or account; the local store reads
   * it from AWS). AWSCURRENT unless a version id or stage is given. Never a write.
   */
  readArn(arn: string, selector?: ReadSelector): Promise<ReadResult>;
  /** That secret's metadata (its versions; `arn` as Secrets Manager answers it). */
  describeArn(arn: string): Promise<SecretDetails>;
  /** A random value under GetRandomPassword's rules (core/password.ts), never logged. */
  randomPassword(rules: PasswordRules): Promise<string>;
  /**
   * The time limit (`--timeout`) again from now, for the next round of a command that keeps running
   * (`run --watch`'s re-checks); backends without one leave it out.
   */
  renewTimeLimit?(): Promise<void>;
}

export function valueByteLength(value: SecretValue): number {
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.byteLength;
}

import {
  type SecretsManagerClient,
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RemoveRegionsFromReplicationCommand,
  RestoreSecretCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import type { Config } from '../../config.js';
import { decodeLink, looksLikeLinkRecord, parseSecretArn, TAG_LINK } from '../../core/link.js';
import { passwordAlphabet, type PasswordRules } from '../../core/password.js';
import { AccessDeniedError, ConflictError, NotFoundError, UnavailableError, UsageError } from '../../errors.js';
import type { StoreLog } from '../log.js';
import { checkDescription, checkRecoveryDays, checkStage, checkValue } from '../limits.js';
import { moveStage } from '../stage-rules.js';
import type {
  BatchReadResult,
  CreateInput,
  DeleteMode,
  ReadResult,
  ReplicaInfo,
  ReadSelector,
  SecretDetails,
  SecretStore,
  SecretSummary,
  SecretValue,
  StageMove,
  VersionInfo,
  WriteManyResult,
  WriteOp,
} from '../types.js';
import { readMany, noCurrentValue } from './batch-read.js';
import { AwsCaller } from './caller.js';
import { awsSettings, buildClient, regionClient, retryPolicy, type AwsSettings } from './client.js';
import { chunks, detailsOf, eachPage, summaryOf, toTagList, valueFields, valueOf } from './convert.js';
import { readOnlyReplica } from './errors.js';
import { checkKmsKeyId, checkReplicaRegions } from './inputs.js';
import { adaptiveLimiter, recordThrottle, withoutThrottleRetry } from './retry.js';
import { writeAll } from './write-many.js';

export { BATCH_SIZE } from './batch-read.js';
export type { AwsStoreOptions } from './caller.js';
/** AWS limits: entries per ListSecrets page, values per filter. */
export const PAGE_SIZE = 100;
const FILTER_VALUES = 10;

export async function createAwsStore(config: Config, env: Record<string, string | undefined>, log: StoreLog): Promise<AwsStore> {
  const settings = awsSettings(config, env);
  return storeFor(settings, log);
}

async function storeFor(settings: AwsSettings, log: StoreLog): Promise<AwsStore> {
  const policy = retryPolicy(settings);
  const client = await buildClient(settings, log, policy);
  const region = await client.config.region();
  // Link targets in other regions: one client per region, built on first use, as the store's in all else.
  const others = new Map<string, SecretsManagerClient>();
  // --regions: reads fail over along them (caller.ts), through the same per-region clients.
  const readRegions = settings.regions !== undefined && settings.regions.length > 1 ? settings.regions : undefined;
  if (readRegions) log.debug(`aws reads: regions ${readRegions.join(', ')} in order (${settings.regionSource}); writes: ${region}`);
  const clientFor = (r: string): SecretsManagerClient => {
    if (r === region) return client;
    let c = others.get(r);
    const why = readRegions?.includes(r) ? 'a replica region of --regions' : undefined;
    // A replica region has its own quotas: its own rate limiter, so the primary's throttling does not slow it.
    const own = why !== undefined && policy.limiter !== undefined ? { ...policy, limiter: adaptiveLimiter() } : policy;
    if (c === undefined) others.set(r, (c = regionClient(settings, r, log, own, client, why)));
    return c;
  };
  return new AwsStore(client, log, { target: settings.endpoint ?? settings.region, region, policy, regionClient: clientFor, readRegions });
}

/**
 * What the local store reads a link's target with: an AWS store on the AWS settings (profile, endpoint,
 * role, timeouts), the region taken from each ARN, so no region needs to be configured. Reads only.
 */
export async function createArnReader(config: Config, env: Record<string, string | undefined>, log: StoreLog, region: string): Promise<AwsStore> {
  const settings = awsSettings(config, env);
  return storeFor(settings.region === undefined ? { ...settings, region, regionSource: "the linked secret's ARN" } : settings, log);
}

/** The Secrets Manager backend: SDK v3 command objects, each sent through `AwsCaller.call`. */
export class AwsStore extends AwsCaller implements SecretStore {
  readonly backend = 'aws';

  renewTimeLimit(): Promise<void> {
    this.deadline.renew();
    return Promise.resolve();
  }

  async create(input: CreateInput): Promise<{ versionId: string }> {
    this.checkCreate(input);
    const command = new CreateSecretCommand({
      Name: input.name,
      ...valueFields(input.value),
      Description: input.description,
      Tags: toTagList(input.tags),
      KmsKeyId: input.kmsKeyId,
      AddReplicaRegions: input.replicaRegions?.map((Region) => ({ Region })),
    });
    const out = await this.callOn(
      'CreateSecret',
      input.name,
      (c, o) => c.send(command, o),
      () => '1 secret',
    );
    return { versionId: out.VersionId ?? '' };
  }

  /** Everything AWS would refuse about a create, refused first (exit 2, naming the flag). */
  private checkCreate(input: CreateInput): void {
    checkValue(input.value);
    if (input.description !== undefined) checkDescription(input.description);
    if (input.kmsKeyId !== undefined) checkKmsKeyId(input.kmsKeyId);
    if (input.replicaRegions !== undefined) checkReplicaRegions(input.replicaRegions, this.options.region);
  }

  async putValue(name: string, value: SecretValue): Promise<{ versionId: string }> {
    checkValue(value);
    const command = new PutSecretValueCommand({ SecretId: name, ...valueFields(value) });
    const out = await this.callOn(
      'PutSecretValue',
      name,
      (c, o) => c.send(command, o),
      () => '1 version',
    );
    return { versionId: out.VersionId ?? '' };
  }

  async updateDescription(name: string, description: string): Promise<void> {
    checkDescription(description);
    const command = new UpdateSecretCommand({ SecretId: name, Description: description });
    await this.callOn(
      'UpdateSecret',
      name,
      (c, o) => c.send(command, o),
      () => '1 secret',
    );
  }

  async describe(name: string): Promise<SecretDetails> {
    const command = new DescribeSecretCommand({ SecretId: name });
    const out = await this.call(
      { op: 'DescribeSecret', name },
      (c, o) => c.send(command, o),
      () => '1 secret',
    );
    const details = detailsOf(out, name);
    this.noteLink(name, details.tags);
    // Described in a region that holds a replica: read-only here, and its replicas are not this copy's to manage.
    const region = this.options.region;
    if (out.PrimaryRegion && region !== undefined && out.PrimaryRegion !== region) return { ...details, replicas: [], replicaOf: out.PrimaryRegion };
    return details;
  }

  async getValue(name: string, selector: ReadSelector = {}): Promise<ReadResult> {
    const command = new GetSecretValueCommand({ SecretId: name, VersionId: selector.versionId, VersionStage: selector.versionStage });
    const out = await this.callOn(
      'GetSecretValue',
      name,
      (c, o) => c.send(command, o),
      () => '1 value',
    ).catch((err: unknown) => this.missingVersion(err, name, selector));
    const value = valueOf(out);
    if (value === undefined || out.VersionId === undefined) throw noCurrentValue(name);
    return this.withLink({ name, value, versionId: out.VersionId, stages: out.VersionStages ?? [] });
  }

  /** Per name, whether its tags (from ListSecrets or DescribeSecret) mark it a link. */
  private readonly links = new Map<string, boolean>();

  private noteLink(name: string, tags: Record<string, string>): void {
    this.links.set(name, tags[TAG_LINK] !== undefined);
  }

  /**
   * A read marked as a link when the tags this store has seen say so. A name not yet listed or described
   * costs a DescribeSecret only when its value looks like a link record: the tag decides, never the value.
   */
  private async withLink(read: ReadResult): Promise<ReadResult> {
    if (!this.links.has(read.name) && looksLikeLinkRecord(read.value)) await this.describe(read.name);
    return this.links.get(read.name) === true ? { ...read, link: decodeLink(read.name, read.value) } : read;
  }

  /**
   * Not found: the secret may exist without that version, or without any current one (made by another tool
   * with no value); DescribeSecret tells.
   */
  private async missingVersion(err: unknown, name: string, selector: ReadSelector): Promise<never> {
    if (!(err instanceof NotFoundError)) throw err;
    await this.describe(name);
    if (selector.versionId === undefined && selector.versionStage === undefined) throw noCurrentValue(name, err);
    const what = selector.versionId !== undefined ? `version ${selector.versionId}` : `stage ${selector.versionStage}`;
    throw new NotFoundError(`secret ${name} has no ${what}`, undefined, { subject: 'version', cause: err });
  }

  async getValues(names: readonly string[]): Promise<BatchReadResult> {
    const batch = await this.readValues(names);
    for (const [name, read] of batch.values) {
      try {
        batch.values.set(name, await this.withLink(read));
      } catch (err) {
        batch.values.delete(name);
        batch.errors.set(name, err as Error);
      }
    }
    return batch;
  }

  private async readValues(names: readonly string[]): Promise<BatchReadResult> {
    return readMany(
      {
        deadline: this.deadline,
        policy: this.policy,
        // A throttled batch is not retried: readMany reads its ids per key instead, on the larger quota.
        send: (ids, token) =>
          this.call(
            { op: 'BatchGetSecretValue' },
            (c, o) => c.send(withoutThrottleRetry(new BatchGetSecretValueCommand({ SecretIdList: ids, NextToken: token })), o),
            (out) => `${ids.length} ids: ${out.SecretValues?.length ?? 0} values, ${out.Errors?.length ?? 0} errors`,
          ),
        readOne: (name) => this.getValue(name),
        onThrottle: () => recordThrottle(this.policy),
        note: (line) => this.log.debug(line),
        target: this.target,
      },
      names,
    );
  }

  /** ListSecrets returns names and metadata together: the same calls as `list`. */
  async listNames(prefixes: readonly string[]): Promise<string[]> {
    return (await this.list(prefixes)).map((s) => s.name);
  }

  async list(prefixes: readonly string[], options: { includeDeleted?: boolean } = {}): Promise<SecretSummary[]> {
    const includeDeleted = options.includeDeleted === true;
    const seen = new Map<string, SecretSummary>();
    // One ListSecrets chain per 10 prefixes (values of one filter are OR-ed; a deployment has at most 4).
    for (const group of chunks([...new Set(prefixes)], FILTER_VALUES)) {
      const filter = { Filters: [{ Key: 'name' as const, Values: group }], MaxResults: PAGE_SIZE, IncludePlannedDeletion: includeDeleted || undefined };
      await eachPage(
        (token) =>
          this.call(
            { op: 'ListSecrets' },
            (c, o) => c.send(new ListSecretsCommand({ ...filter, NextToken: token }), o),
            (o) => `${group.length} prefixes: ${o.SecretList?.length ?? 0} secrets${o.NextToken ? ', more' : ''}`,
          ),
        (out) => {
          for (const entry of out.SecretList ?? []) {
            const name = entry.Name;
            // The server matches by prefix too; checking again costs nothing and guards against lax servers.
            if (name === undefined || !group.some((p) => name.startsWith(p))) continue;
            if (entry.DeletedDate !== undefined && !includeDeleted) continue;
            const summary = summaryOf(entry, name);
            this.noteLink(name, summary.tags);
            seen.set(name, summary);
          }
        },
      );
    }
    return [...seen.values()];
  }

  async listVersions(name: string): Promise<VersionInfo[]> {
    const versions: VersionInfo[] = [];
    await eachPage(
      (token) =>
        this.call(
          { op: 'ListSecretVersionIds', name },
          (c, o) => c.send(new ListSecretVersionIdsCommand({ SecretId: name, MaxResults: PAGE_SIZE, NextToken: token, IncludeDeprecated: true }), o),
          (o) => `${o.Versions?.length ?? 0} versions`,
        ),
      (out) => {
        // Deprecated versions (no stage) too: still readable by id (a pin's), as the local store keeps them.
        for (const v of out.Versions ?? []) {
          if (v.VersionId !== undefined) versions.push({ versionId: v.VersionId, stages: v.VersionStages ?? [], createdAt: v.CreatedDate });
        }
      },
    );
    // Newest first, as the local store lists them. Secrets Manager promises no order; servers list in the
    // order the versions were made, so on equal dates (moto answers every version with the time of the
    // listing) the later one in the answer is the newer.
    return versions
      .map((v, i) => ({ v, i }))
      .sort((a, b) => (b.v.createdAt?.getTime() ?? 0) - (a.v.createdAt?.getTime() ?? 0) || b.i - a.i)
      .map(({ v }) => v);
  }

  async delete(name: string, mode: DeleteMode): Promise<{ deletionDate?: Date | undefined }> {
    if (!mode.force) checkRecoveryDays(mode.recoveryDays);
    // AWS accepts a forced delete of a name that does not exist; check first, so a typo is "not found".
    const described = mode.force || mode.removeReplicas ? await this.describe(name) : undefined;
    if (described?.replicaOf !== undefined) throw readOnlyReplica(name, described.replicaOf, this.options.region);
    const replicas = described?.replicas ?? [];
    if (replicas.length > 0) {
      if (!mode.removeReplicas) throw hasReplicas(name, replicas);
      await this.removeReplicas(name, replicas);
    }
    const command = new DeleteSecretCommand(mode.force ? { SecretId: name, ForceDeleteWithoutRecovery: true } : { SecretId: name, RecoveryWindowInDays: mode.recoveryDays });
    const out = await this.call(
      { op: 'DeleteSecret', name },
      (c, o) => c.send(command, o),
      () => '1 secret',
    ).catch((err: unknown) => this.deleteRefused(err, name));
    return { deletionDate: out.DeletionDate };
  }

  /** A refused delete: replicas (servers differ in the code they use for it), or the usual state check. */
  private async deleteRefused(err: unknown, name: string): Promise<never> {
    if (!(err instanceof ConflictError) && !(err instanceof UsageError)) throw err;
    const described = await this.describe(name).catch(() => undefined);
    if (described?.replicaOf !== undefined) throw readOnlyReplica(name, described.replicaOf, this.options.region, err);
    const replicas = described?.replicas ?? [];
    if (replicas.length > 0) throw hasReplicas(name, replicas, err);
    return this.refine(err, name, 'DeleteSecret');
  }

  private async removeReplicas(name: string, replicas: ReplicaInfo[]): Promise<void> {
    const command = new RemoveRegionsFromReplicationCommand({ SecretId: name, RemoveReplicaRegions: replicas.map((r) => r.region) });
    await this.callOn(
      'RemoveRegionsFromReplication',
      name,
      (c, o) => c.send(command, o),
      () => `${replicas.length} regions`,
    );
  }

  async restore(name: string): Promise<void> {
    const command = new RestoreSecretCommand({ SecretId: name });
    await this.callOn(
      'RestoreSecret',
      name,
      (c, o) => c.send(command, o),
      () => '1 secret',
    );
  }

  /**
   * UpdateSecretVersionStage, after the same checks the local store makes (on the kept versions, deprecated
   * ones too): an unknown version, a label not where it is said to be, or a version already carrying 20
   * labels is refused in our words before anything is sent (some servers, moto among them, do not check).
   */
  async updateStage(name: string, stage: string, move: StageMove): Promise<void> {
    checkStage(stage);
    const versions = (await this.listVersions(name)).map((v) => ({ id: v.versionId, stages: [...v.stages] }));
    // Already there: nothing is sent (some servers would add the label a second time).
    if (!moveStage(name, versions, stage, move)) return;
    const command = new UpdateSecretVersionStageCommand({ SecretId: name, VersionStage: stage, MoveToVersionId: move.to, RemoveFromVersionId: move.from });
    await this.callOn(
      'UpdateSecretVersionStage',
      name,
      (c, o) => c.send(command, o),
      () => `1 label ${move.to !== undefined ? 'moved' : 'removed'}`,
    );
  }

  /** A link's target by ARN, through the client of the ARN's region. Only reads: GetSecretValue, DescribeSecret. */
  async readArn(arn: string, selector: ReadSelector = {}): Promise<ReadResult> {
    const client = this.clientFor(arn);
    const command = new GetSecretValueCommand({ SecretId: arn, VersionId: selector.versionId, VersionStage: selector.versionStage });
    const out = await this.call(
      { op: 'GetSecretValue', name: arn },
      (_c, o) => client.send(command, o),
      () => '1 value of a linked secret',
    ).catch((err: unknown) => this.targetRefused(err, arn, selector));
    const value = valueOf(out);
    if (value === undefined || out.VersionId === undefined) throw noCurrentValue(arn);
    return { name: arn, value, versionId: out.VersionId, stages: out.VersionStages ?? [] };
  }

  async describeArn(arn: string): Promise<SecretDetails> {
    const client = this.clientFor(arn);
    const command = new DescribeSecretCommand({ SecretId: arn });
    const out = await this.call(
      { op: 'DescribeSecret', name: arn },
      (_c, o) => client.send(command, o),
      () => '1 linked secret',
    ).catch((err: unknown) => {
      throw targetError(err, arn);
    });
    return detailsOf(out, arn);
  }

  private clientFor(arn: string): SecretsManagerClient {
    const { region } = parseSecretArn(arn);
    return this.options.regionClient?.(region) ?? this.client;
  }

  /** Not found: the secret gone, or only the version asked for; a state refusal: scheduled for deletion. DescribeSecret tells. */
  private async targetRefused(err: unknown, arn: string, selector: ReadSelector): Promise<never> {
    const asked = selector.versionId !== undefined || selector.versionStage !== undefined;
    if ((err instanceof NotFoundError && asked) || err instanceof ConflictError || err instanceof UsageError) {
      const d = await this.describeArn(arn);
      if (d.deletedAt !== undefined) {
        // `changed`, not `scheduled-for-deletion`: that reason's hint (restore) is about the link's own secret.
        throw new ConflictError('changed', `linked secret ${arn} is scheduled for deletion`, `restore it in its own account, or ${LINK_HINT}`, { cause: err });
      }
      if (err instanceof NotFoundError) {
        const what = selector.versionId !== undefined ? `version ${selector.versionId}` : `stage ${selector.versionStage}`;
        throw new NotFoundError(`linked secret ${arn} has no ${what}`, undefined, { subject: 'version', cause: err, arn });
      }
    }
    throw targetError(err, arn);
  }

  /** GetRandomPassword with every option sent, so AWS's defaults never differ from the local store's. */
  async randomPassword(rules: PasswordRules): Promise<string> {
    const command = new GetRandomPasswordCommand({
      PasswordLength: rules.length,
      ExcludeCharacters: rules.excludeChars === '' ? undefined : rules.excludeChars,
      ExcludePunctuation: rules.excludePunctuation,
      ExcludeNumbers: false,
      ExcludeUppercase: false,
      ExcludeLowercase: false,
      IncludeSpace: false,
      RequireEachIncludedType: rules.requireEachType,
    });
    const out = await this.call(
      { op: 'GetRandomPassword' },
      (c, o) => c.send(command, o),
      () => `${rules.length} characters`,
    );
    const value = out.RandomPassword ?? '';
    const alphabet = new Set(passwordAlphabet(rules));
    // Checked, never shown: a value outside the rules would be stored as if it met them.
    if ([...value].length !== rules.length || ![...value].every((c) => alphabet.has(c))) {
      throw new UnavailableError(`the endpoint ${this.target ?? ''} answered GetRandomPassword with a value outside the rules asked for`.replace('  ', ' '), ENDPOINT_HINT);
    }
    return value;
  }

  async writeMany(ops: readonly WriteOp[]): Promise<WriteManyResult> {
    for (const op of ops) {
      if (op.kind === 'create') this.checkCreate(op.input);
      else checkValue(op.value);
    }
    return writeAll({ deadline: this.deadline, create: (input) => this.create(input), putValue: (name, value) => this.putValue(name, value) }, ops);
  }
}

const LINK_HINT = 'retarget the link with `scoped link secret KEY --arn ARN`, or unlink it with `scoped delete secret KEY` (which leaves the target alone)';
const ENDPOINT_HINT = 'check --endpoint-url / AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL';

/** A link target's failure, naming its ARN: gone (exit 3), or not readable by this identity (exit 5). */
function targetError(err: unknown, arn: string): unknown {
  if (err instanceof NotFoundError && err.subject === 'secret') {
    return new NotFoundError(`linked secret ${arn} does not exist (deleted, or the ARN is wrong)`, LINK_HINT, { subject: 'target', cause: err, arn });
  }
  // Denied on this secret (its answer names it), not a credentials failure, which keeps its own words.
  if (err instanceof AccessDeniedError && err.message.includes(arn)) {
    return err.withMessage(
      `access denied to linked secret ${arn}`,
      "your identity needs secretsmanager:GetSecretValue and DescribeSecret on it; a secret in another account also needs its resource policy (and its KMS key's policy) to allow your role",
    );
  }
  return err;
}

/** Secrets Manager deletes a secret only without replicas: say which, so the caller can offer to remove them. */
function hasReplicas(name: string, replicas: ReplicaInfo[], cause?: unknown): ConflictError {
  const regions = replicas.map((r) => r.region).join(', ');
  return new ConflictError(
    'has-replicas',
    `secret ${name} has replicas in ${regions}, and Secrets Manager deletes a secret only without them`,
    'remove the replicas first (the delete can do it), then delete',
    { cause },
  );
}

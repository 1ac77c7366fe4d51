import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  UpdateSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { Config } from '../../config.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import type { StoreLog } from '../factory.js';
import { checkDescription, checkRecoveryDays, checkValue } from '../limits.js';
import type {
  BatchReadResult,
  CreateInput,
  DeleteMode,
  ReadResult,
  ReadSelector,
  SecretDetails,
  SecretStore,
  SecretSummary,
  SecretValue,
  VersionInfo,
  WriteManyResult,
  WriteOp,
} from '../types.js';
import { awsSettings, buildClient } from './client.js';
import { chunks, detailsOf, eachPage, mapLimit, summaryOf, toTagList, valueFields, valueOf } from './convert.js';
import { mapAwsError, mapErrorCode, type AwsCallContext } from './errors.js';

/** AWS limits: ids per BatchGetSecretValue, entries per ListSecrets page, values per filter. */
export const BATCH_SIZE = 20;
export const PAGE_SIZE = 100;
const FILTER_VALUES = 10;
/** Batches in flight at once: quick for 100 keys, gentle on the 100 calls/s quota. */
const BATCH_CONCURRENCY = 4;

export async function createAwsStore(config: Config, env: Record<string, string | undefined>, log: StoreLog): Promise<SecretStore> {
  const settings = awsSettings(config, env);
  const client = await buildClient(settings, log);
  return new AwsStore(client, log, settings.endpoint ?? settings.region);
}

/**
 * The Secrets Manager backend. Every call goes through `call`, which logs it (operation, items, time;
 * never values) and translates AWS errors into ours.
 */
export class AwsStore implements SecretStore {
  readonly backend = 'aws';

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly log: StoreLog,
    /** Where requests go, for "cannot reach" messages. */
    private readonly target?: string | undefined,
  ) {}

  private async call<T extends { $metadata: { attempts?: number | undefined } }>(
    ctx: Omit<AwsCallContext, 'target'>,
    send: (client: SecretsManagerClient) => Promise<T>,
    items: (out: T) => string,
  ): Promise<T> {
    const started = Date.now();
    try {
      const out = await send(this.client);
      const attempts = out.$metadata?.attempts ?? 1;
      this.log.debug(`aws ${ctx.op} ${items(out)} in ${Date.now() - started} ms${attempts > 1 ? ` (${attempts} attempts)` : ''}`);
      return out;
    } catch (err) {
      const attempts = (err as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
      this.log.debug(`aws ${ctx.op} failed: ${(err as Error).name} after ${Date.now() - started} ms${attempts > 1 ? ` (${attempts} attempts)` : ''}`);
      throw mapAwsError(err, { ...ctx, target: this.target });
    }
  }

  /**
   * A state refusal (InvalidRequestException, or ResourceExistsException on create) means "scheduled for
   * deletion" only if DescribeSecret says so: servers differ in which code they use, and messages are not
   * to be parsed.
   */
  private async refine(err: unknown, name: string, op: string): Promise<never> {
    if (!(err instanceof ConflictError)) throw err;
    let deleted: boolean;
    try {
      deleted = (await this.describe(name)).deletedAt !== undefined;
    } catch {
      throw err;
    }
    if (deleted) {
      throw new ConflictError('scheduled-for-deletion', `secret ${name} is scheduled for deletion`, 'restore it with `scoped restore secret`', { cause: err });
    }
    if (err.reason === 'exists') throw err;
    throw new ConflictError('changed', `secret ${name} is not in a state that allows ${op}`, 'check it with `scoped get secret`', { cause: err });
  }

  /** One call on one named secret, with state refusals checked against DescribeSecret. */
  private async callOn<T extends { $metadata: { attempts?: number | undefined } }>(
    op: string,
    name: string,
    send: (client: SecretsManagerClient) => Promise<T>,
    items: (out: T) => string,
  ): Promise<T> {
    try {
      return await this.call({ op, name }, send, items);
    } catch (err) {
      return this.refine(err, name, op);
    }
  }

  async create(input: CreateInput): Promise<{ versionId: string }> {
    checkValue(input.value);
    if (input.description !== undefined) checkDescription(input.description);
    const command = new CreateSecretCommand({
      Name: input.name,
      ...valueFields(input.value),
      Description: input.description,
      Tags: toTagList(input.tags),
      KmsKeyId: input.kmsKeyId,
      AddReplicaRegions: input.replicaRegions?.map((Region) => ({ Region })),
    });
    const out = await this.callOn('CreateSecret', input.name, (c) => c.send(command), () => '1 secret');
    return { versionId: out.VersionId ?? '' };
  }

  async putValue(name: string, value: SecretValue): Promise<{ versionId: string }> {
    checkValue(value);
    const command = new PutSecretValueCommand({ SecretId: name, ...valueFields(value) });
    const out = await this.callOn('PutSecretValue', name, (c) => c.send(command), () => '1 version');
    return { versionId: out.VersionId ?? '' };
  }

  async updateDescription(name: string, description: string): Promise<void> {
    checkDescription(description);
    const command = new UpdateSecretCommand({ SecretId: name, Description: description });
    await this.callOn('UpdateSecret', name, (c) => c.send(command), () => '1 secret');
  }

  async describe(name: string): Promise<SecretDetails> {
    const command = new DescribeSecretCommand({ SecretId: name });
    const out = await this.call({ op: 'DescribeSecret', name }, (c) => c.send(command), () => '1 secret');
    return detailsOf(out, name);
  }

  async getValue(name: string, selector: ReadSelector = {}): Promise<ReadResult> {
    const command = new GetSecretValueCommand({ SecretId: name, VersionId: selector.versionId, VersionStage: selector.versionStage });
    const out = await this.callOn('GetSecretValue', name, (c) => c.send(command), () => '1 value').catch((err: unknown) =>
      this.missingVersion(err, name, selector),
    );
    const value = valueOf(out);
    if (value === undefined || out.VersionId === undefined) throw new NotFoundError(`secret ${name} has no value`);
    return { name, value, versionId: out.VersionId, stages: out.VersionStages ?? [] };
  }

  /** Not found with a version id or stage: the secret may exist without that version; DescribeSecret tells. */
  private async missingVersion(err: unknown, name: string, selector: ReadSelector): Promise<never> {
    if (!(err instanceof NotFoundError) || (selector.versionId === undefined && selector.versionStage === undefined)) throw err;
    await this.describe(name);
    const what = selector.versionId !== undefined ? `version ${selector.versionId}` : `stage ${selector.versionStage}`;
    throw new NotFoundError(`secret ${name} has no ${what}`, undefined, { subject: 'version', cause: err });
  }

  async getValues(names: readonly string[]): Promise<BatchReadResult> {
    const result: BatchReadResult = { values: new Map(), errors: new Map() };
    const unique = [...new Set(names)];
    await mapLimit(chunks(unique, BATCH_SIZE), BATCH_CONCURRENCY, (ids) => this.batch(ids, result));
    for (const name of unique) {
      if (!result.values.has(name) && !result.errors.has(name)) {
        result.errors.set(name, new NotFoundError(`secret ${name}: no value returned`));
      }
    }
    return result;
  }

  /** One BatchGetSecretValue by id (following NextToken should the server page), results mapped back by name. */
  private async batch(ids: string[], result: BatchReadResult): Promise<void> {
    await eachPage(
      (token) =>
        this.call(
          { op: 'BatchGetSecretValue' },
          (c) => c.send(new BatchGetSecretValueCommand({ SecretIdList: ids, NextToken: token })),
          (o) => `${ids.length} ids: ${o.SecretValues?.length ?? 0} values, ${o.Errors?.length ?? 0} errors`,
        ),
      (out) => {
        for (const v of out.SecretValues ?? []) {
          const value = valueOf(v);
          if (v.Name === undefined || value === undefined || v.VersionId === undefined) continue;
          result.values.set(v.Name, { name: v.Name, value, versionId: v.VersionId, stages: v.VersionStages ?? [] });
        }
        for (const e of out.Errors ?? []) {
          const name = e.SecretId ?? '';
          const code = e.ErrorCode ?? 'UnknownError';
          const mapped = mapErrorCode(code, e.Message, { op: 'BatchGetSecretValue', name });
          result.errors.set(name, mapped ?? new Error(`cannot read secret ${name}: ${code}`));
        }
      },
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
            (c) => c.send(new ListSecretsCommand({ ...filter, NextToken: token })),
            (o) => `${group.length} prefixes: ${o.SecretList?.length ?? 0} secrets${o.NextToken ? ', more' : ''}`,
          ),
        (out) => {
          for (const entry of out.SecretList ?? []) {
            const name = entry.Name;
            // The server matches by prefix too; checking again costs nothing and guards against lax servers.
            if (name === undefined || !group.some((p) => name.startsWith(p))) continue;
            if (entry.DeletedDate !== undefined && !includeDeleted) continue;
            seen.set(name, summaryOf(entry, name));
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
          (c) => c.send(new ListSecretVersionIdsCommand({ SecretId: name, MaxResults: PAGE_SIZE, NextToken: token })),
          (o) => `${o.Versions?.length ?? 0} versions`,
        ),
      (out) => {
        for (const v of out.Versions ?? []) {
          const stages = v.VersionStages ?? [];
          if (v.VersionId !== undefined && stages.length > 0) versions.push({ versionId: v.VersionId, stages, createdAt: v.CreatedDate });
        }
      },
    );
    return versions;
  }

  async delete(name: string, mode: DeleteMode): Promise<{ deletionDate?: Date | undefined }> {
    if (!mode.force) checkRecoveryDays(mode.recoveryDays);
    // AWS accepts a forced delete of a name that does not exist; check first, so a typo is "not found".
    if (mode.force) await this.describe(name);
    const command = new DeleteSecretCommand(
      mode.force ? { SecretId: name, ForceDeleteWithoutRecovery: true } : { SecretId: name, RecoveryWindowInDays: mode.recoveryDays },
    );
    const out = await this.callOn('DeleteSecret', name, (c) => c.send(command), () => '1 secret');
    return { deletionDate: out.DeletionDate };
  }

  async restore(name: string): Promise<void> {
    const command = new RestoreSecretCommand({ SecretId: name });
    await this.callOn('RestoreSecret', name, (c) => c.send(command), () => '1 secret');
  }

  async writeMany(ops: readonly WriteOp[]): Promise<WriteManyResult> {
    for (const op of ops) checkValue(op.kind === 'create' ? op.input.value : op.value);
    const result: WriteManyResult = { written: new Map(), errors: new Map() };
    for (const op of ops) {
      const name = op.kind === 'create' ? op.input.name : op.name;
      try {
        const { versionId } = op.kind === 'create' ? await this.create(op.input) : await this.putValue(op.name, op.value);
        result.written.set(name, versionId);
      } catch (err) {
        result.errors.set(name, err as Error);
      }
    }
    return result;
  }
}

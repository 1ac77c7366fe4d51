import { randomInt, randomUUID } from 'node:crypto';
import { decodeLink, parseSecretArn, TAG_LINK } from '../../core/link.js';
import { generatePassword, type PasswordRules } from '../../core/password.js';
import { AccessDeniedError, NotFoundError, ScopedError, StoreCorruptError, UsageError } from '../../errors.js';
import {
  STAGE_CURRENT,
  type BatchReadResult,
  type CreateInput,
  type DeleteMode,
  type ReadResult,
  type ReadSelector,
  type SecretDetails,
  type SecretStore,
  type SecretSummary,
  type SecretValue,
  type StageMove,
  type VersionInfo,
  type WriteManyResult,
  type WriteOp,
} from '../types.js';
import { checkDescription, checkRecoveryDays, checkStage, checkValue } from '../limits.js';
import type { StoreLog } from '../log.js';
import { keyCheck, open, seal } from './crypto.js';
import { storeFsError } from './fs-errors.js';
import { ensureKeyCheck, loadKey, readKeyCheck } from './key.js';
import { scopeOf } from './layout.js';
import { DEFAULT_LOCK_TIMEOUT_MS, ScopeFiles } from './scope-files.js';
import { applyCreate, applyPut, applyUpdateStage, live, lookup, notFound, pickVersion, scheduled, summary } from './secret-ops.js';
import { withDeprecated, type Secrets, type StoredVersion } from './shard-file.js';
import { localWriter } from './writer.js';

const DAY_MS = 86_400_000;

/** What the local store asks of AWS for a link: reads of secrets by ARN, never a write. */
export type ArnReader = Pick<SecretStore, 'readArn' | 'describeArn'>;

export interface LocalStoreOptions {
  home: string;
  /** --debug lines: what was read or written and how long it took (never values). */
  log?: StoreLog | undefined;
  /** Base64 key from SCOPED_LOCAL_KEY; the key file under `home` otherwise. */
  envKey?: string | undefined;
  now?: () => Date;
  /** How long a write waits for a scope locked by a live process (default 120 s). */
  lockTimeoutMs?: number | undefined;
  /**
   * Reads link targets (secrets named by ARN, on AWS), built on first use with the AWS settings; without
   * it, a link's read says why it cannot be read.
   */
  arnReader?: ((region: string) => Promise<ArnReader>) | undefined;
  /** Who writes, recorded with each new version (`user@host`); the OS user and host name when not given. */
  writer?: string | undefined;
}

function aad(name: string, versionId: string, binary: boolean): string {
  return `scoped-local/1\0${name}\0${versionId}\0${binary ? 'binary' : 'string'}`;
}

const opName = (op: WriteOp) => (op.kind === 'create' ? op.input.name : op.name);

/** Limits and local refusals of a create, checked before anything is sealed or written. */
function checkCreate(input: CreateInput): void {
  checkValue(input.value);
  if (input.description !== undefined) checkDescription(input.description);
  if (input.replicaRegions && input.replicaRegions.length > 0) {
    throw new UsageError('--replica-region needs the aws backend', 'drop it, or use --backend aws');
  }
}

/** Ops grouped by scope, each group in the order given. */
function byScope<T>(items: readonly T[], name: (item: T) => string): Map<string | undefined, T[]> {
  const groups = new Map<string | undefined, T[]>();
  for (const item of items) {
    const scope = scopeOf(name(item));
    const group = groups.get(scope);
    if (group) group.push(item);
    else groups.set(scope, [item]);
  }
  return groups;
}

/**
 * The local encrypted store: one file of metadata and AES-256-GCM sealed values per scope under `home`
 * (see scope-files.ts), with Secrets Manager's semantics (stages, recovery window, restore, limits).
 * File system failures leave here as our errors, in words (fs-errors.ts).
 */
export class LocalStore implements SecretStore {
  readonly backend = 'local';
  private key: Buffer | undefined;
  private readonly now: () => Date;
  private readonly files: ScopeFiles;
  private writer: { by: string | undefined } | undefined;

  constructor(private readonly options: LocalStoreOptions) {
    this.now = options.now ?? (() => new Date());
    this.files = new ScopeFiles(options.home, options.log, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
  }

  /**
   * Every public method runs through here: the folder is checked and an old store.json migrated before
   * anything else (before the key is read: the key check may be in store.json), and file system errors
   * become ours.
   */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      await this.files.prepare(false);
      return await work();
    } catch (err) {
      throw storeFsError(err, this.options.home);
    }
  }

  private getKey(): Buffer {
    if (this.key) return this.key;
    this.files.checkFolder(true);
    this.key = loadKey(this.options.home, this.options.envKey, readKeyCheck(this.options.home));
    return this.key;
  }

  /**
   * Before any change: the key is this store's (the first write makes it so). Every write proves the key,
   * so a wrong SCOPED_LOCAL_KEY or a lost key file changes nothing; only listings work without it.
   */
  private readonly claimKey = (): void => {
    ensureKeyCheck(this.options.home, keyCheck(this.getKey()), this.options.envKey);
  };

  private sealVersion(name: string, value: SecretValue): StoredVersion {
    const id = randomUUID();
    const binary = typeof value !== 'string';
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    this.writer ??= { by: this.options.writer ?? localWriter() };
    const by = this.writer.by;
    return { id, createdAt: this.now().toISOString(), stages: [STAGE_CURRENT], binary, ...(by !== undefined ? { by } : {}), ...seal(this.getKey(), bytes, aad(name, id, binary)) };
  }

  private openVersion(name: string, version: StoredVersion): SecretValue {
    const key = this.getKey();
    let bytes: Buffer;
    try {
      bytes = open(key, version, aad(name, version.id, version.binary));
    } catch {
      throw new StoreCorruptError(
        `cannot decrypt ${name} (version ${version.id}) in ${this.files.pathOf(name)}: the key does not match or the file was altered`,
        'check SCOPED_LOCAL_KEY / the key file, or restore the store from a backup',
      );
    }
    return version.binary ? new Uint8Array(bytes) : bytes.toString('utf8');
  }

  /** One scope's change under its lock, the key proven first. */
  private change<T>(name: string, change: (secrets: Secrets) => T): Promise<T> {
    return this.files.write(scopeOf(name), this.claimKey, change);
  }

  async create(input: CreateInput): Promise<{ versionId: string }> {
    return this.guard(async () => {
      checkCreate(input);
      const version = this.sealVersion(input.name, input.value);
      await this.change(input.name, (secrets) => applyCreate(secrets, input, version, this.now()));
      return { versionId: version.id };
    });
  }

  /** Many creates (tests, benchmarks): written as `writeMany`; the first failure is thrown after the rest are written. */
  async createMany(inputs: readonly CreateInput[]): Promise<{ versionId: string }[]> {
    const result = await this.writeMany(inputs.map((input) => ({ kind: 'create', input })));
    const failed = result.errors.values().next();
    if (!failed.done) throw failed.value;
    return inputs.map((input) => ({ versionId: result.written.get(input.name) as string }));
  }

  async putValue(name: string, value: SecretValue): Promise<{ versionId: string }> {
    return this.guard(async () => {
      checkValue(value);
      const version = this.sealVersion(name, value);
      await this.change(name, (secrets) => applyPut(secrets, name, version, this.now()));
      return { versionId: version.id };
    });
  }

  async updateDescription(name: string, description: string): Promise<void> {
    await this.guard(async () => {
      checkDescription(description);
      await this.change(name, (secrets) => {
        const secret = live(secrets, name, this.now());
        secret.description = description;
        secret.lastChangedAt = this.now().toISOString();
      });
    });
  }

  async describe(name: string): Promise<SecretDetails> {
    return this.guard(async () => {
      this.getKey();
      const secret = lookup(await this.files.read(scopeOf(name)), name, this.now());
      if (!secret) throw notFound(name);
      return {
        ...summary(name, secret),
        kmsKeyId: secret.kmsKeyId,
        versions: Object.fromEntries(secret.versions.map((v) => [v.id, [...v.stages]])),
      };
    });
  }

  private read(secrets: Secrets, name: string, selector: ReadSelector = {}): ReadResult {
    const secret = live(secrets, name, this.now());
    const version = pickVersion(name, secret, selector);
    const value = this.openVersion(name, version);
    // A link is marked by its entry's tags, never by its value (core/link.ts).
    const link = secret.tags[TAG_LINK] !== undefined ? decodeLink(name, value) : undefined;
    return { name, value, versionId: version.id, stages: [...version.stages], ...(link ? { link } : {}) };
  }

  async getValue(name: string, selector?: ReadSelector): Promise<ReadResult> {
    return this.guard(async () => {
      const scope = scopeOf(name);
      try {
        return this.read(await this.files.read(scope), name, selector);
      } catch (err) {
        // A version asked for by id and not among the labelled ones may be a deprecated one (a pin's):
        // only then are the deprecated versions read.
        if (selector?.versionId === undefined || !(err instanceof NotFoundError) || err.subject !== 'version') throw err;
        return this.read(await this.files.read(scope, { deprecated: true }), name, selector);
      }
    });
  }

  /** Each scope's shard read once, whatever the number of names in it. */
  async getValues(names: readonly string[]): Promise<BatchReadResult> {
    return this.guard(async () => {
      const result: BatchReadResult = { values: new Map(), errors: new Map() };
      for (const [scope, group] of byScope(names, (n) => n)) {
        const secrets = await this.files.read(scope);
        for (const name of group) {
          try {
            result.values.set(name, this.read(secrets, name));
          } catch (err) {
            if (err instanceof StoreCorruptError || err instanceof AccessDeniedError) throw err;
            result.errors.set(name, err as Error);
          }
        }
      }
      return result;
    });
  }

  async list(prefixes: readonly string[], options: { includeDeleted?: boolean } = {}): Promise<SecretSummary[]> {
    return this.guard(async () => {
      const out: SecretSummary[] = [];
      for (const secrets of await this.files.readAll(prefixes)) {
        for (const name of Object.keys(secrets)) {
          if (!prefixes.some((p) => name.startsWith(p))) continue;
          const secret = lookup(secrets, name, this.now());
          if (!secret || (secret.deletedAt !== undefined && !options.includeDeleted)) continue;
          out.push(summary(name, secret));
        }
      }
      return out;
    });
  }

  /** Line 1 of the prefixes' shards alone: a deployment's names cost its four scopes, not the store. */
  async listNames(prefixes: readonly string[]): Promise<string[]> {
    return this.guard(async () => {
      const out: string[] = [];
      for (const index of await this.files.readIndexes(prefixes)) {
        for (const [name, purgeAt] of Object.entries(index)) {
          // 0 marks a live secret; others carry their purge time and are not listed.
          if (purgeAt === 0 && prefixes.some((p) => name.startsWith(p))) out.push(name);
        }
      }
      return out;
    });
  }

  /** Every kept version, newest first, deprecated ones (no stage) included. */
  async listVersions(name: string): Promise<VersionInfo[]> {
    return this.guard(async () => {
      const secret = lookup(await this.files.read(scopeOf(name), { deprecated: true }), name, this.now());
      if (!secret) throw notFound(name);
      return withDeprecated(secret).versions.map((v) => ({ versionId: v.id, stages: [...v.stages], createdAt: new Date(v.createdAt), createdBy: v.by }));
    });
  }

  async delete(name: string, mode: DeleteMode): Promise<{ deletionDate?: Date | undefined }> {
    return this.guard(async () => {
      if (!mode.force) checkRecoveryDays(mode.recoveryDays);
      return this.change(name, (secrets) => {
        const secret = lookup(secrets, name, this.now());
        if (!secret) throw notFound(name);
        const now = this.now();
        if (mode.force) {
          delete secrets[name];
          return { deletionDate: now };
        }
        if (secret.deletedAt !== undefined) throw scheduled(name);
        const purgeAt = new Date(now.getTime() + mode.recoveryDays * DAY_MS);
        secret.deletedAt = now.toISOString();
        secret.purgeAt = purgeAt.toISOString();
        return { deletionDate: purgeAt };
      });
    });
  }

  /** A label's move under the scope's lock: no value is sealed or written, so no writer is recorded. */
  async updateStage(name: string, stage: string, move: StageMove): Promise<void> {
    await this.guard(async () => {
      checkStage(stage);
      await this.change(name, (secrets) => applyUpdateStage(secrets, name, stage, move, this.now()));
    });
  }

  private arns: Promise<ArnReader> | undefined;

  /** A link's target is on AWS: read with the AWS settings (the region from the ARN), never written. */
  private arnReaderFor(arn: string): Promise<ArnReader> {
    const build = this.options.arnReader;
    if (build === undefined) {
      return Promise.reject(new UsageError(`the local store cannot read ${arn}: it reads a link's target from AWS, and this store has no AWS settings`));
    }
    this.arns ??= build(parseSecretArn(arn).region);
    return this.arns;
  }

  async readArn(arn: string, selector?: ReadSelector): Promise<ReadResult> {
    return this.fromAws(arn, async (r) => r.readArn(arn, selector));
  }

  async describeArn(arn: string): Promise<SecretDetails> {
    return this.fromAws(arn, async (r) => r.describeArn(arn));
  }

  /** A failure that does not name the ARN (no credentials, no network) says which read it stopped, and why AWS. */
  private async fromAws<T>(arn: string, read: (reader: ArnReader) => Promise<T>): Promise<T> {
    try {
      return await read(await this.arnReaderFor(arn));
    } catch (err) {
      if (!(err instanceof ScopedError) || err.message.includes(arn)) throw err;
      throw err.withMessage(`cannot read linked secret ${arn} from AWS (the local store reads link targets with the AWS settings): ${err.message}`);
    }
  }

  /** node:crypto's randomInt draws without modulo bias (it rejects out-of-range draws). */
  async randomPassword(rules: PasswordRules): Promise<string> {
    return generatePassword(rules, (n) => randomInt(n));
  }

  async restore(name: string): Promise<void> {
    await this.guard(async () => {
      await this.change(name, (secrets) => {
        const secret = lookup(secrets, name, this.now());
        if (!secret) throw notFound(name);
        secret.deletedAt = undefined;
        secret.purgeAt = undefined;
      });
    });
  }

  /**
   * One lock and one commit per scope touched. Every op's limits are checked before the first write; an
   * op that fails (conflict, not found) is reported by name and writes nothing, the others go on. A scope
   * that cannot be written (locked past the timeout, damaged) fails its own ops only.
   */
  async writeMany(ops: readonly WriteOp[]): Promise<WriteManyResult> {
    return this.guard(async () => {
      for (const op of ops) {
        if (op.kind === 'create') checkCreate(op.input);
        else checkValue(op.value);
      }
      const result: WriteManyResult = { written: new Map(), errors: new Map() };
      if (ops.length === 0) return result;
      this.claimKey();
      for (const [scope, group] of byScope(ops, opName)) {
        const sealed = group.map((op) => ({ op, version: this.sealVersion(opName(op), op.kind === 'create' ? op.input.value : op.value) }));
        try {
          await this.files.write(scope, this.claimKey, (secrets) => {
            for (const { op, version } of sealed) {
              try {
                if (op.kind === 'create') applyCreate(secrets, op.input, version, this.now());
                else applyPut(secrets, op.name, version, this.now());
                result.written.set(opName(op), version.id);
              } catch (err) {
                if (err instanceof StoreCorruptError) throw err;
                result.errors.set(opName(op), err as Error);
              }
            }
          });
        } catch (err) {
          const mapped = storeFsError(err);
          if (mapped instanceof AccessDeniedError || !(mapped instanceof Error)) throw mapped;
          for (const { op } of sealed) {
            result.written.delete(opName(op));
            result.errors.set(opName(op), mapped);
          }
        }
      }
      return result;
    });
  }
}

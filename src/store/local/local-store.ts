import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AccessDeniedError, ConflictError, NotFoundError, StoreCorruptError, UsageError } from '../../errors.js';
import {
  STAGE_CURRENT,
  STAGE_PREVIOUS,
  type BatchReadResult,
  type CreateInput,
  type DeleteMode,
  type ReadResult,
  type ReadSelector,
  type SecretDetails,
  type SecretStore,
  type SecretSummary,
  type SecretValue,
  type VersionInfo,
  type WriteManyResult,
  type WriteOp,
} from '../types.js';
import { checkDescription, checkValue, checkRecoveryDays } from '../limits.js';
import type { StoreLog } from '../factory.js';
import { keyCheck, open, seal } from './crypto.js';
import { loadKey } from './key.js';
import { STORE_FILE, ensureHome, mutateStore, readHeader, readStore, type StoreData, type StoredSecret, type StoredVersion } from './store-file.js';

const DAY_MS = 86_400_000;

export interface LocalStoreOptions {
  home: string;
  /** --debug lines: what was read or written and how long it took (never values). */
  log?: StoreLog | undefined;
  /** Base64 key from SCOPED_LOCAL_KEY; the key file under `home` otherwise. */
  envKey?: string | undefined;
  now?: () => Date;
}

function aad(name: string, versionId: string, binary: boolean): string {
  return `scoped-local/1\0${name}\0${versionId}\0${binary ? 'binary' : 'string'}`;
}

function notFound(name: string): NotFoundError {
  return new NotFoundError(`secret ${name} not found`);
}

function scheduled(name: string): ConflictError {
  return new ConflictError('scheduled-for-deletion', `secret ${name} is scheduled for deletion`);
}

/**
 * The local encrypted store: one JSON file of metadata and AES-256-GCM sealed values under `home`,
 * with Secrets Manager's semantics (stages, recovery window, restore, limits).
 */
export class LocalStore implements SecretStore {
  readonly backend = 'local';
  private key: Buffer | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: LocalStoreOptions) {
    this.now = options.now ?? (() => new Date());
  }

  private timed<T>(what: string, work: () => T): T {
    const started = Date.now();
    const result = work();
    this.options.log?.debug(`local ${what} of ${join(this.home, STORE_FILE)} in ${Date.now() - started} ms`);
    return result;
  }

  private load(): StoreData {
    return this.timed('read', () => readStore(this.home));
  }

  private async write<T>(change: (data: StoreData) => T): Promise<T> {
    const started = Date.now();
    const result = await mutateStore(this.home, change);
    this.options.log?.debug(`local locked write of ${join(this.home, STORE_FILE)} in ${Date.now() - started} ms`);
    return result;
  }

  private get home(): string {
    return this.options.home;
  }

  private getKey(): Buffer {
    if (!this.key) {
      ensureHome(this.home);
      this.key = loadKey(this.home, this.options.envKey, readHeader(this.home));
    }
    return this.key;
  }

  /**
   * Under the lock, before any change: the key is this store's (another process may have set it since).
   * Every write proves the key, so a wrong SCOPED_LOCAL_KEY or a lost key file changes nothing; only
   * listings (names and metadata, for completion and resolve) work without it.
   */
  private claimKey(data: StoreData): void {
    const check = keyCheck(this.getKey());
    if (data.keyCheck === undefined) data.keyCheck = check;
    else if (data.keyCheck !== check) {
      throw new AccessDeniedError(`this key is not the key of local store ${join(this.home, STORE_FILE)}`, 'nothing was changed');
    }
  }

  /** Live secrets and those in their recovery window; purged ones are gone. */
  private lookup(data: StoreData, name: string): StoredSecret | undefined {
    const secret = data.secrets[name];
    if (!secret) return undefined;
    if (secret.purgeAt !== undefined && Date.parse(secret.purgeAt) <= this.now().getTime()) {
      delete data.secrets[name];
      return undefined;
    }
    return secret;
  }

  private live(data: StoreData, name: string): StoredSecret {
    const secret = this.lookup(data, name);
    if (!secret) throw notFound(name);
    if (secret.deletedAt !== undefined) throw scheduled(name);
    return secret;
  }

  private sealVersion(name: string, value: SecretValue, stages: string[]): StoredVersion {
    const id = randomUUID();
    const binary = typeof value !== 'string';
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    return { id, createdAt: this.now().toISOString(), stages, binary, ...seal(this.getKey(), bytes, aad(name, id, binary)) };
  }

  private openVersion(name: string, version: StoredVersion): SecretValue {
    const key = this.getKey();
    let bytes: Buffer;
    try {
      bytes = open(key, version, aad(name, version.id, version.binary));
    } catch {
      throw new StoreCorruptError(
        `cannot decrypt ${name} (version ${version.id}) in ${join(this.home, STORE_FILE)}: the key does not match or the file was altered`,
        'check SCOPED_LOCAL_KEY / the key file, or restore the store from a backup',
      );
    }
    return version.binary ? new Uint8Array(bytes) : bytes.toString('utf8');
  }

  async create(input: CreateInput): Promise<{ versionId: string }> {
    const [created] = await this.createMany([input]);
    return created as { versionId: string };
  }

  /** Several creates in one locked write: all of them or, on the first conflict, none. */
  async createMany(inputs: readonly CreateInput[]): Promise<{ versionId: string }[]> {
    const sealed = inputs.map((input) => {
      checkValue(input.value);
      if (input.description !== undefined) checkDescription(input.description);
      if (input.replicaRegions && input.replicaRegions.length > 0) {
        throw new UsageError('--replica-region needs the aws backend', 'drop it, or use --backend aws');
      }
      return { input, version: this.sealVersion(input.name, input.value, [STAGE_CURRENT]) };
    });
    return this.write((data) => {
      this.claimKey(data);
      const at = this.now().toISOString();
      const seen = new Set<string>();
      for (const { input } of sealed) {
        if (seen.has(input.name)) throw new ConflictError('exists', `secret ${input.name} is given twice`);
        seen.add(input.name);
        const existing = this.lookup(data, input.name);
        if (existing?.deletedAt !== undefined) throw scheduled(input.name);
        if (existing) throw new ConflictError('exists', `secret ${input.name} already exists`);
      }
      return sealed.map(({ input, version }) => {
        data.secrets[input.name] = {
          description: input.description,
          tags: { ...input.tags },
          kmsKeyId: input.kmsKeyId,
          createdAt: at,
          lastChangedAt: at,
          versions: [version],
        };
        return { versionId: version.id };
      });
    });
  }

  async putValue(name: string, value: SecretValue): Promise<{ versionId: string }> {
    checkValue(value);
    const version = this.sealVersion(name, value, [STAGE_CURRENT]);
    return this.write((data) => {
      this.claimKey(data);
      const secret = this.live(data, name);
      // Like PutSecretValue: current becomes previous; versions left without a label are dropped.
      for (const v of secret.versions) {
        v.stages = v.stages.includes(STAGE_CURRENT) ? [STAGE_PREVIOUS] : v.stages.filter((s) => s !== STAGE_PREVIOUS);
      }
      secret.versions = [version, ...secret.versions.filter((v) => v.stages.length > 0)];
      secret.lastChangedAt = version.createdAt;
      return { versionId: version.id };
    });
  }

  async updateDescription(name: string, description: string): Promise<void> {
    checkDescription(description);
    await this.write((data) => {
      this.claimKey(data);
      const secret = this.live(data, name);
      secret.description = description;
      secret.lastChangedAt = this.now().toISOString();
    });
  }

  private summary(name: string, s: StoredSecret): SecretSummary {
    return {
      name,
      description: s.description,
      tags: { ...s.tags },
      createdAt: new Date(s.createdAt),
      lastChangedAt: new Date(s.lastChangedAt),
      deletedAt: s.deletedAt === undefined ? undefined : new Date(s.deletedAt),
    };
  }

  async describe(name: string): Promise<SecretDetails> {
    this.getKey();
    const secret = this.lookup(this.load(), name);
    if (!secret) throw notFound(name);
    return {
      ...this.summary(name, secret),
      kmsKeyId: secret.kmsKeyId,
      versions: Object.fromEntries(secret.versions.map((v) => [v.id, [...v.stages]])),
    };
  }

  private read(data: StoreData, name: string, selector: ReadSelector = {}): ReadResult {
    const secret = this.live(data, name);
    const { versionId, versionStage } = selector;
    const version = secret.versions.find(
      (v) =>
        (versionId === undefined || v.id === versionId) &&
        (versionStage === undefined ? versionId !== undefined || v.stages.includes(STAGE_CURRENT) : v.stages.includes(versionStage)),
    );
    if (!version) {
      const what = versionId !== undefined ? `version ${versionId}` : `stage ${versionStage ?? STAGE_CURRENT}`;
      throw new NotFoundError(`secret ${name} has no ${what}`, undefined, { subject: 'version' });
    }
    return { name, value: this.openVersion(name, version), versionId: version.id, stages: [...version.stages] };
  }

  async getValue(name: string, selector?: ReadSelector): Promise<ReadResult> {
    return this.read(this.load(), name, selector);
  }

  async getValues(names: readonly string[]): Promise<BatchReadResult> {
    const data = this.load();
    const result: BatchReadResult = { values: new Map(), errors: new Map() };
    for (const name of names) {
      try {
        result.values.set(name, this.read(data, name));
      } catch (err) {
        if (err instanceof StoreCorruptError) throw err;
        result.errors.set(name, err as Error);
      }
    }
    return result;
  }

  async list(prefixes: readonly string[], options: { includeDeleted?: boolean } = {}): Promise<SecretSummary[]> {
    const data = this.load();
    const out: SecretSummary[] = [];
    for (const name of Object.keys(data.secrets)) {
      if (!prefixes.some((p) => name.startsWith(p))) continue;
      const secret = this.lookup(data, name);
      if (!secret || (secret.deletedAt !== undefined && !options.includeDeleted)) continue;
      out.push(this.summary(name, secret));
    }
    return out;
  }

  async listNames(prefixes: readonly string[]): Promise<string[]> {
    // 0 marks a live secret; others carry their purge time and are not listed.
    return Object.entries(this.timed('read the index', () => readHeader(this.home).names))
      .filter(([name, purgeAt]) => purgeAt === 0 && prefixes.some((p) => name.startsWith(p)))
      .map(([name]) => name);
  }

  async listVersions(name: string): Promise<VersionInfo[]> {
    const secret = this.lookup(this.load(), name);
    if (!secret) throw notFound(name);
    return secret.versions.map((v) => ({ versionId: v.id, stages: [...v.stages], createdAt: new Date(v.createdAt) }));
  }

  async delete(name: string, mode: DeleteMode): Promise<{ deletionDate?: Date | undefined }> {
    if (!mode.force) checkRecoveryDays(mode.recoveryDays);
    return this.write((data) => {
      this.claimKey(data);
      const secret = this.lookup(data, name);
      if (!secret) throw notFound(name);
      const now = this.now();
      if (mode.force) {
        delete data.secrets[name];
        return { deletionDate: now };
      }
      if (secret.deletedAt !== undefined) throw scheduled(name);
      const purgeAt = new Date(now.getTime() + mode.recoveryDays * DAY_MS);
      secret.deletedAt = now.toISOString();
      secret.purgeAt = purgeAt.toISOString();
      return { deletionDate: purgeAt };
    });
  }

  async restore(name: string): Promise<void> {
    await this.write((data) => {
      this.claimKey(data);
      const secret = this.lookup(data, name);
      if (!secret) throw notFound(name);
      secret.deletedAt = undefined;
      secret.purgeAt = undefined;
    });
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
        if (err instanceof StoreCorruptError || err instanceof AccessDeniedError) throw err;
        result.errors.set(name, err as Error);
      }
    }
    return result;
  }
}

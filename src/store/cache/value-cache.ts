import { readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import type { StoreLog } from '../log.js';
import { ForwardingStore } from '../forwarding-store.js';
import type { BatchReadResult, ReadResult, ReadSelector, SecretStore } from '../types.js';
import { fileId, loadValue, privateDir, readSealed, storeValue, writeSealed, type StoredValue } from './files.js';

/** The bound when none is given (the setting's default is config/value-rules.ts's, the same). */
const DEFAULT_CACHE_MAX_BYTES = 16 * 1024 * 1024;

/**
 * Values read by version id. A version id never changes value, so an entry is never stale; entries are
 * sealed with the local store's key and bound (AAD) to their backend, name and version id. Past
 * `maxBytes` the least recently used files go (a hit makes a file recent again).
 */
export class ValueCache {
  constructor(
    readonly dir: string,
    private readonly key: Buffer,
    /** Who the backend is (region and endpoint, or the store folder): the same name elsewhere is another secret. */
    private readonly identity: string,
    private readonly maxBytes = DEFAULT_CACHE_MAX_BYTES,
    private readonly log?: StoreLog,
  ) {}

  /**
   * A secret's entry is [identity, name, version]; a link target's, read by ARN, is [identity, "arn", ARN,
   * version]: four parts, so never the file or the AAD of any name's (and an ARN names its region and account).
   */
  private where(name: string, versionId: string, byArn = false): { path: string; aad: string } {
    const parts = byArn ? [this.identity, 'arn', name, versionId] : [this.identity, name, versionId];
    return { path: join(this.dir, `${fileId(parts)}.json`), aad: JSON.stringify(parts) };
  }

  get(name: string, versionId: string, byArn = false): ReadResult | undefined {
    const { path, aad } = this.where(name, versionId, byArn);
    const record = readSealed(path, this.key, aad) as { value: StoredValue } | undefined;
    if (record === undefined) return undefined;
    try {
      const now = new Date();
      utimesSync(path, now, now);
    } catch {
      // Only the eviction order suffers.
    }
    return { name, versionId, value: loadValue(record.value), stages: [] };
  }

  /** Keeps a value; a cache that cannot be written changes nothing but the next run's speed. */
  put(r: ReadResult, byArn = false): void {
    const { path, aad } = this.where(r.name, r.versionId, byArn);
    try {
      privateDir(this.dir);
      writeSealed(path, this.key, aad, { value: storeValue(r.value) });
      this.evict();
    } catch (err) {
      this.log?.debug(`value cache not written (${(err as NodeJS.ErrnoException).code ?? (err as Error).name})`);
    }
  }

  /** Least recently used files first, until the folder is within its bound. */
  evict(): number {
    const files = readdirSync(this.dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => {
        const st = statSync(join(this.dir, f));
        return { f, size: st.size, used: st.mtimeMs };
      })
      .sort((a, b) => a.used - b.used);
    let total = files.reduce((n, e) => n + e.size, 0);
    let evicted = 0;
    for (const e of files) {
      if (total <= this.maxBytes) break;
      rmSync(join(this.dir, e.f), { force: true });
      total -= e.size;
      evicted++;
    }
    if (evicted > 0) this.log?.debug(`value cache: ${evicted} least recently used value(s) evicted`);
    return evicted;
  }
}

/**
 * A store whose reads by version id go through the cache: a hit sends no request and, since the backend
 * is made only when first needed, loads none of its code. Everything else goes to the backend.
 */
export class CachingStore extends ForwardingStore {
  private inner: Promise<SecretStore> | undefined;

  constructor(
    readonly backend: string,
    private readonly cache: ValueCache,
    private readonly make: () => Promise<SecretStore>,
    readonly log?: StoreLog,
  ) {
    super();
  }

  protected target(): Promise<SecretStore> {
    this.inner ??= this.make();
    return this.inner;
  }

  /** Only a backend already made has a limit running (one made later starts its own). */
  override async renewTimeLimit(): Promise<void> {
    if (this.inner !== undefined) await (await this.inner).renewTimeLimit?.();
  }

  override async getValue(name: string, selector?: ReadSelector): Promise<ReadResult> {
    const versionId = selector?.versionId;
    if (versionId === undefined || selector?.versionStage !== undefined) return (await this.target()).getValue(name, selector);
    const hit = this.cache.get(name, versionId);
    if (hit !== undefined) {
      this.log?.debug(`${name} version ${versionId}: from the value cache`);
      return hit;
    }
    const r = await (await this.target()).getValue(name, selector);
    // A link's record is resolved at each read (its target moves); only plain values are kept.
    if (r.link === undefined && r.versionId === versionId) this.cache.put(r);
    return r;
  }

  /** A link target's version by its ARN (a pinned read of a link): kept by ARN and version id, as a name's by name. */
  override async readArn(arn: string, selector?: ReadSelector): Promise<ReadResult> {
    const versionId = selector?.versionId;
    if (versionId === undefined || selector?.versionStage !== undefined) return (await this.target()).readArn(arn, selector);
    const hit = this.cache.get(arn, versionId, true);
    if (hit !== undefined) {
      this.log?.debug(`${arn} version ${versionId}: from the value cache`);
      return hit;
    }
    const r = await (await this.target()).readArn(arn, selector);
    if (r.versionId === versionId) this.cache.put({ ...r, name: arn }, true);
    return r;
  }

  /** Current values (not served from the cache), kept by the version ids they came with: a later pinned read of them is warm. */
  override async getValues(names: readonly string[]): Promise<BatchReadResult> {
    const batch = await (await this.target()).getValues(names);
    for (const r of batch.values.values()) if (r.link === undefined) this.cache.put(r);
    return batch;
  }
}

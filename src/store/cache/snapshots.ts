import { join } from 'node:path';
import type { StoreLog } from '../log.js';
import type { SecretValue } from '../types.js';
import { fileId, loadValue, privateDir, readSealed, storeValue, writeSealed, type StoredValue } from './files.js';

/**
 * Last-known-good snapshots of deployments' values (`--fallback`, `--offline`), one file per deployment
 * read (org, prefix, backend, project, domain, pin), sealed with the local store's key.
 */

interface SnapshotRecord {
  /** KEY -> value and when it was read (ms since the epoch). */
  values: Record<string, { v: StoredValue; at: number }>;
  /** The keys of the last read of every key (no key named, none left out), and when it was made. */
  full?: { keys: string[]; at: number } | undefined;
}

/** What a snapshot gives: the values asked for, and when the oldest of them was read. */
export interface SnapshotValues {
  values: Map<string, SecretValue>;
  savedAt: number;
}

export class SnapshotStore {
  constructor(
    readonly dir: string,
    private readonly key: Buffer,
    private readonly log?: StoreLog,
    private readonly now: () => number = Date.now,
  ) {}

  private where(id: readonly string[]): { path: string; aad: string } {
    return { path: join(this.dir, `${fileId(['snapshot', ...id])}.json`), aad: JSON.stringify(['snapshot', ...id]) };
  }

  private read(id: readonly string[]): SnapshotRecord | undefined {
    const { path, aad } = this.where(id);
    return readSealed(path, this.key, aad) as SnapshotRecord | undefined;
  }

  /**
   * Keeps the values of a successful read. `full`: every key the deployment sees was read, so the
   * snapshot stands for the whole deployment (keys it no longer has are dropped); else the keys read
   * are added to what it held.
   */
  save(id: readonly string[], values: ReadonlyMap<string, SecretValue>, full: boolean): void {
    const at = this.now();
    const before = full ? undefined : this.read(id);
    const record: SnapshotRecord = { values: { ...(before?.values ?? {}) }, full: full ? { keys: [...values.keys()], at } : before?.full };
    for (const [k, v] of values) record.values[k] = { v: storeValue(v), at };
    const { path, aad } = this.where(id);
    try {
      privateDir(this.dir);
      writeSealed(path, this.key, aad, record);
    } catch (err) {
      this.log?.debug(`last-known-good snapshot not written (${(err as NodeJS.ErrnoException).code ?? (err as Error).name})`);
    }
  }

  /**
   * What the snapshot holds, without its values: every key it has a value of, and the keys of its last
   * full read (undefined: none); undefined when there is no snapshot. Says why `load` found nothing.
   */
  held(id: readonly string[]): { keys: string[]; full: string[] | undefined } | undefined {
    const record = this.read(id);
    if (record === undefined) return undefined;
    return { keys: Object.keys(record.values), full: record.full?.keys };
  }

  /**
   * The snapshot's values for `keys` (undefined: every key of its last full read), or undefined when it
   * has no such values (no snapshot, no full read, or a key it never read).
   */
  load(id: readonly string[], keys: readonly string[] | undefined): SnapshotValues | undefined {
    const record = this.read(id);
    if (record === undefined) return undefined;
    const wanted = keys ?? record.full?.keys;
    if (wanted === undefined) return undefined;
    const values = new Map<string, SecretValue>();
    let savedAt = keys === undefined ? (record.full as { at: number }).at : this.now();
    for (const k of wanted) {
      const e = record.values[k];
      if (e === undefined) return undefined;
      values.set(k, loadValue(e.v));
      savedAt = Math.min(savedAt, e.at);
    }
    return { values, savedAt };
  }
}

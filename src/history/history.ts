import type { SecretStore, VersionInfo } from '../store/types.js';
import { whoWrote, type WhoOptions } from './who.js';

/**
 * `history secret KEY`: every kept version of one secret, newest first, deprecated ones (no stage)
 * included, with who wrote it where that is known. Never a value: versions are listed, not read.
 */

export interface HistoryRow {
  versionId: string;
  stages: string[];
  createdAt?: Date | undefined;
  /** local: `user@host` recorded at the write; aws with --who: CloudTrail's user. */
  createdBy?: string | undefined;
  /** aws with --who: who last moved AWSCURRENT onto this version (a rollback), when known. */
  currentBy?: string | undefined;
}

export interface History {
  name: string;
  rows: HistoryRow[];
  /** What --who could not say, one line each. */
  notes: string[];
}

/** Newest first; a version without a date last (servers answer in no promised order). */
export function newestFirst(versions: readonly VersionInfo[]): VersionInfo[] {
  return [...versions].sort((a, b) => (b.createdAt?.getTime() ?? -Infinity) - (a.createdAt?.getTime() ?? -Infinity));
}

export interface HistoryOptions {
  /** AWS --who: CloudTrail look-ups for the secret's ARN (from `describe`). */
  who?: Omit<WhoOptions, 'arn'> | undefined;
}

export async function secretHistory(store: SecretStore, name: string, options: HistoryOptions = {}): Promise<History> {
  const versions = newestFirst(await store.listVersions(name));
  const rows: HistoryRow[] = versions.map((v) => ({ versionId: v.versionId, stages: [...v.stages], createdAt: v.createdAt, createdBy: v.createdBy }));
  if (options.who === undefined) return { name, rows, notes: [] };
  const arn = (await store.describe(name)).arn;
  if (arn === undefined) return { name, rows, notes: ['who is not known: the backend gave no ARN to look up in CloudTrail'] };
  const found = await whoWrote(versions, { ...options.who, arn });
  for (const row of rows) {
    row.createdBy ??= found.writers.get(row.versionId);
    row.currentBy = found.movers.get(row.versionId);
  }
  return { name, rows, notes: found.notes };
}

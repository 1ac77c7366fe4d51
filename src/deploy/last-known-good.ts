import { NotFoundError, UnavailableError } from '../errors.js';
import { describeScope, type Scope } from '../core/scope.js';
import { formatDuration } from '../core/duration.js';
import type { SecretValue } from '../store/types.js';
import type { Pin } from '../pin/pin-file.js';

/**
 * `--fallback` / `--offline`: a deployment's last-known-good values. After each successful read they are
 * kept (encrypted, store/cache/snapshots.ts); when the backend is unavailable (network, time limit,
 * throttled past retries, 5xx: UnavailableError) they are used with one warning naming their age. Never
 * on any other error: a revoked role (AccessDeniedError) reads nothing. Never older than `--max-age`.
 */

/** Where snapshots are kept (store/cache/snapshots.ts's SnapshotStore). */
export interface Snapshots {
  save(id: readonly string[], values: ReadonlyMap<string, SecretValue>, full: boolean): void;
  load(id: readonly string[], keys: readonly string[] | undefined): { values: Map<string, SecretValue>; savedAt: number } | undefined;
  /** The keys it holds and those of its last full read, without values; undefined: no snapshot. */
  held(id: readonly string[]): { keys: readonly string[]; full: readonly string[] | undefined } | undefined;
}

export interface LastKnownGood {
  snapshots: Snapshots;
  /** Read only the snapshot: no request. */
  offline: boolean;
  /** Oldest snapshot that may be used, in ms (undefined: no bound). */
  maxAgeMs: number | undefined;
  /** The org, prefix, backend and who the backend is (region and endpoint, or store folder). */
  settings: readonly string[];
  /** `aws` or `local`, for the warning. */
  backend: string;
  now?: () => number;
}

/** What is read: the deployment (or the pin, which names its own), and the selection. */
export interface SnapshotRead {
  deployment: Scope;
  pin?: Pin | undefined;
  only: readonly string[];
  require: readonly string[];
  exclude: readonly string[];
}

export interface LastKnownGoodResult {
  values: Map<string, SecretValue>;
  excluded: string[];
}

/** The snapshot's key: the settings, the deployment, and for a pin, exactly the versions it names. */
function snapshotId(lkg: LastKnownGood, read: SnapshotRead): string[] {
  const { org, project, domain } = read.deployment;
  const pinned = read.pin === undefined ? 'live' : JSON.stringify(read.pin.secrets.map((e) => [e.key, e.name, e.versionId]));
  return [...lkg.settings, org, project ?? '', domain ?? '', pinned];
}

const what = (read: SnapshotRead) => `${describeScope(read.deployment)}${read.pin === undefined ? '' : ' (pinned)'}`;
const backendName = (backend: string) => (backend === 'aws' ? 'Secrets Manager' : `the ${backend} store`);

/**
 * Why the snapshot cannot serve this selection: there is none (`none`), it lacks keys named or required
 * (`keys`), or nothing was named and it was never filled by a read of the whole deployment (`partial`:
 * the keys it holds were read with --only).
 */
type Miss = { miss: 'none' } | { miss: 'keys'; keys: string[] } | { miss: 'partial'; keys: string[] };

/** The snapshot's values for this selection, and their age; else why not. */
function fromSnapshot(lkg: LastKnownGood, read: SnapshotRead): { result: LastKnownGoodResult; ageMs: number } | Miss {
  const out = new Set(read.exclude);
  const named = read.only.length > 0 ? [...new Set(read.only)].filter((k) => !out.has(k)) : undefined;
  const id = snapshotId(lkg, read);
  const got = lkg.snapshots.load(id, named);
  if (got !== undefined) {
    const excluded = [...got.values.keys()].filter((k) => out.has(k));
    for (const k of excluded) got.values.delete(k);
    const lacking = read.require.filter((k) => !got.values.has(k) && !out.has(k));
    if (lacking.length > 0) return { miss: 'keys', keys: lacking };
    return { result: { values: got.values, excluded }, ageMs: Math.max(0, (lkg.now ?? Date.now)() - got.savedAt) };
  }
  const held = lkg.snapshots.held(id);
  if (held === undefined) return { miss: 'none' };
  if (named === undefined) return held.full === undefined ? { miss: 'partial', keys: [...held.keys] } : { miss: 'none' };
  const has = new Set(held.keys);
  const lacking = named.filter((k) => !has.has(k));
  return lacking.length > 0 ? { miss: 'keys', keys: lacking } : { miss: 'none' };
}

const MAX_NAMED = 5;

/** Keys as a list for a message: at most a few named, then how many more. */
function keyList(keys: readonly string[]): string {
  const shown = keys.slice(0, MAX_NAMED).join(', ');
  return keys.length > MAX_NAMED ? `${shown} and ${keys.length - MAX_NAMED} more` : shown;
}

/**
 * What the snapshot lacks and how to get it kept, as [what is wrong, what to do]. None at all: snapshots are kept
 * per backend (for AWS its region and endpoint), org and prefix, so values read with other settings are not these.
 */
function missLines(lkg: LastKnownGood, read: SnapshotRead, miss: Miss): [string, string] {
  const reachable = `while ${backendName(lkg.backend)} is reachable`;
  if (miss.miss === 'none') {
    return [
      `no last-known-good values of ${what(read)} on this machine`,
      `read the deployment once with --fallback ${reachable}; they are kept for the settings they were read with (backend${lkg.backend === 'aws' ? ', region, endpoint' : ''}, org, prefix)`,
    ];
  }
  if (miss.miss === 'keys') {
    const them = miss.keys.length === 1 ? 'it' : 'them';
    return [`the last-known-good values of ${what(read)} on this machine have no ${keyList(miss.keys)}`, `read ${them} once with --fallback ${reachable} to have ${them} kept`];
  }
  return [
    `the last-known-good values of ${what(read)} on this machine hold only ${miss.keys.length === 0 ? 'no key' : keyList(miss.keys)}, read with --only, not the whole deployment`,
    `read the whole deployment (no --only) once with --fallback ${reachable}`,
  ];
}

/**
 * Reads with `read`, keeping what it returns as the last-known-good snapshot; when the backend is
 * unavailable, the snapshot instead (one warning). `--offline`: the snapshot only.
 */
export async function withLastKnownGood<R extends LastKnownGoodResult>(
  lkg: LastKnownGood,
  read: SnapshotRead,
  readValues: () => Promise<R>,
  warn: (line: string) => void,
): Promise<R | LastKnownGoodResult> {
  const maxAge = lkg.maxAgeMs;
  if (lkg.offline) {
    const snap = fromSnapshot(lkg, read);
    if ('miss' in snap) {
      const [line, hint] = missLines(lkg, read, snap);
      throw new NotFoundError(`${line} (--offline)`, hint);
    }
    if (maxAge !== undefined && snap.ageMs > maxAge) {
      throw new NotFoundError(
        `the last-known-good values of ${what(read)} are ${formatDuration(snap.ageMs)} old, older than --max-age ${formatDuration(maxAge)} (--offline)`,
        'read the deployment again with --fallback while the backend is reachable',
      );
    }
    return snap.result;
  }
  let got: R;
  try {
    got = await readValues();
  } catch (err) {
    if (!(err instanceof UnavailableError)) throw err;
    const snap = fromSnapshot(lkg, read);
    if ('miss' in snap) {
      const [line, hint] = missLines(lkg, read, snap);
      const why = `${line}, so ${snap.miss === 'none' ? 'none could be' : 'they were not'} used (${hint})`;
      throw err.withMessage(err.message, err.hint === undefined ? why : `${err.hint}; ${why}`);
    }
    if (maxAge !== undefined && snap.ageMs > maxAge) {
      const old = `the last-known-good values are ${formatDuration(snap.ageMs)} old, older than --max-age ${formatDuration(maxAge)}, so they were not used`;
      throw err.withMessage(err.message, err.hint === undefined ? old : `${err.hint}; ${old}`);
    }
    warn(
      `${backendName(lkg.backend)} is unavailable: using the last-known-good values of ${what(read)}, read ${formatDuration(Math.round(snap.ageMs / 1000) * 1000)} ago (${err.message})`,
    );
    return snap.result;
  }
  const full = read.only.length === 0 && read.exclude.length === 0;
  lkg.snapshots.save(snapshotId(lkg, read), got.values, full);
  return got;
}

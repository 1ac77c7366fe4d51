import { ConflictError, NotFoundError, ScopedError, UnavailableError, UsageError } from '../errors.js';
import { describeScope, scopeFlags, type Scope, type ScopeFlags } from '../core/scope.js';
import { readInput, type InputLimit, type InputSource } from '../support/read-input.js';
import { mapLimit } from '../support/map-limit.js';
import type { SecretStore, SecretValue } from '../store/types.js';
import { failure, type Failures } from '../service/deployment.js';
import { fewNames } from '../support/few-names.js';
import { linkedValue } from '../core/link.js';
import { parsePin, PIN_FILE_LIMIT, type Pin, type PinEntry } from './pin-file.js';

/**
 * `--pinned FILE`: exactly the versions a pin names, one GetSecretValue by name and version id per key (on
 * AWS the 10,000/s quota, not ListSecrets' or BatchGetSecretValue's 100/s), and no listing. A link entry
 * that records its target is one GetSecretValue too, on the target's ARN at the pinned version: the link
 * itself is not read, so a link retargeted since the pin still gives the pinned bytes. An entry of a pin
 * written before targets were recorded is read through the link, as then (its record, then the target).
 */

/** Reads in flight at once: quick for a hundred keys, and a fleet of jobs stays far under the read quota. */
export const PINNED_CONCURRENCY = 8;

const PIN_LIMIT: InputLimit = {
  read: PIN_FILE_LIMIT,
  stated: PIN_FILE_LIMIT,
  what: 'pin file',
  hint: 'a pin file is a few KiB per hundred keys; check that --pinned names a pin written by scoped pin',
  interrupted: 'nothing was read',
  named: (source) => `pin file ${source}`,
};

/** The pin in FILE (`-`: stdin), read bounded and interruptibly, checked in full before any read. */
export async function loadPin(from: InputSource, file: string): Promise<Pin> {
  const bytes = await readInput(from, file, file === '-' ? 'stdin' : file, PIN_LIMIT);
  return parsePin(file, bytes.toString('utf8'));
}

const describeDeployment = (s: Scope) => (s.project === undefined && s.domain === undefined ? 'the org alone' : `${s.project ?? '_'}/${s.domain ?? '_'}`);

/** The settings a pin was written under, and that it is read under. */
export interface PinSettings {
  org: string;
  prefix: string;
  backend: string;
}

/**
 * A pin is read only with the settings it was written under (another org, prefix or backend would read
 * other secrets, or none), and only for its own deployment: `-p/-d` that say otherwise are refused.
 */
export function checkPin(pin: Pin, file: string, current: PinSettings, flags: ScopeFlags): void {
  const settings: [string, string, string][] = [
    ['org', pin.org, current.org],
    ['prefix', pin.prefix, current.prefix],
    ['backend', pin.backend, current.backend],
  ];
  for (const [what, pinned, current] of settings) {
    if (pinned !== current) {
      throw new UsageError(`pin file ${file} is for ${what} ${JSON.stringify(pinned)}, but the current ${what} is ${JSON.stringify(current)}`, `run it with --${what} ${pinned}`);
    }
  }
  const { project, domain } = pin.deployment;
  if ((flags.project !== undefined && flags.project !== project) || (flags.domain !== undefined && flags.domain !== domain)) {
    const asked = { org: pin.org, project: flags.project ?? project, domain: flags.domain ?? domain };
    throw new UsageError(
      `pin file ${file} is for deployment ${describeDeployment(pin.deployment)}, not ${describeDeployment(asked)}`,
      'leave out -p/-d (the pin names its deployment), or give the pin of that deployment',
    );
  }
}

/** The pinned entries to read: all, or the keys asked for (in that order); a key the pin lacks is named. */
export function selectPinned(pin: Pin, file: string, keys: readonly string[]): PinEntry[] {
  if (keys.length === 0) return pin.secrets;
  const byKey = new Map(pin.secrets.map((e) => [e.key, e]));
  const missing = keys.filter((k) => !byKey.has(k));
  if (missing.length > 0) {
    throw new NotFoundError(`${missing.length === 1 ? 'key' : 'keys'} ${fewNames(missing)} not in pin file ${file}`, 'see its keys with: jq -r ".secrets[].key" ' + file);
  }
  return [...new Set(keys)].map((k) => byKey.get(k) as PinEntry);
}

/** A pinned read that failed, in words naming the key, the version and the pin file, with what helps. */
function explainPinned(err: Error, e: PinEntry, file: string): Error {
  if (!(err instanceof ScopedError)) return err;
  const at = `${e.key} at ${describeScope(e.scope)}`;
  if (e.target !== undefined) {
    // The store's message names the target's ARN (gone, no such version, no such field, scheduled for deletion).
    const hint = err instanceof NotFoundError ? 'pin the deployment again with: scoped pin, or deploy another pin' : undefined;
    return err.withMessage(`${at} (a link): ${err.message} (pin file ${file})`, hint);
  }
  if (err instanceof NotFoundError && err.arn !== undefined) {
    // A link pinned before targets were recorded, read through the target it points at now: the store's words
    // name that ARN; a version it lacks most likely means the link was retargeted since the pin.
    const since = err.subject === 'version' ? '; the link was retargeted since the pin, or the version aged out' : '';
    return err.withMessage(
      `${at} (a link, read through its current target): ${err.message}${since} (pin file ${file})`,
      'pin the deployment again with: scoped pin, or deploy another pin',
    );
  }
  if (err instanceof NotFoundError) {
    const what = err.subject === 'version' ? `pinned version ${e.versionId} no longer exists (deleted, or aged out of the secret's versions)` : 'the secret no longer exists';
    return err.withMessage(`${at}: ${what} (pin file ${file})`, 'pin the deployment again with: scoped pin, or deploy another pin');
  }
  if (err instanceof ConflictError && err.reason === 'scheduled-for-deletion') {
    const flags = scopeFlags(e.scope);
    return err.withMessage(`${at}: scheduled for deletion (pin file ${file})`, `undo that with: scoped restore secret ${e.key}${flags ? ` ${flags}` : ''}`);
  }
  return err.withMessage(`${at}: ${err.message} (pin file ${file})`);
}

/** One entry's pinned value: a recorded link target by its ARN (its field taken out here), else by name. */
export async function readEntry(store: SecretStore, e: PinEntry): Promise<{ value: SecretValue }> {
  const t = e.target;
  if (t === undefined) return store.getValue(e.name, { versionId: e.versionId });
  const read = await store.readArn(t.arn, { versionId: e.versionId });
  return { value: linkedValue(t, read.value) };
}

/** Reads every entry's pinned version; all failures in one error (the first decides the exit code). */
export async function readPinned(store: SecretStore, entries: readonly PinEntry[], file: string): Promise<Map<string, SecretValue>> {
  // Once a read fails for want of the endpoint (network, time limit, throttled to the end), the others
  // would wait for the same answer: none is started after it, so a dead endpoint stops a pinned read as
  // early as a plain one, and the cause is stated once for every key it stopped.
  let stopped: UnavailableError | undefined;
  const got = await mapLimit(entries, PINNED_CONCURRENCY, async (e) => {
    if (stopped !== undefined) return { error: explainPinned(stopped, e, file), cause: stopped };
    return readEntry(store, e).then(
      (r) => ({ value: r.value }),
      (err: unknown) => {
        if (err instanceof UnavailableError) stopped ??= err;
        return { error: explainPinned(err as Error, e, file), cause: err as Error };
      },
    );
  });
  const failures: Failures = [];
  const values = new Map<string, SecretValue>();
  entries.forEach((e, i) => {
    const r = got[i] as { value: SecretValue } | { error: Error; cause: Error };
    if ('value' in r) values.set(e.key, r.value);
    else {
      const at = `${e.key} at ${describeScope(e.scope)}`;
      const cause = r.cause instanceof ScopedError ? `${r.cause.message} (pin file ${file})` : undefined;
      failures.push({ what: r.error instanceof ScopedError ? r.error.message : `${at} (${r.error.name})`, error: r.error, at, cause });
    }
  });
  if (failures.length > 0) throw failure(failures);
  return values;
}

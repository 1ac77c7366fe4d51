import { UsageError } from '../errors.js';
import { describeScope, type Scope, type ScopeFlags } from '../core/scope.js';
import { fewNames } from '../support/few-names.js';
import type { InputSource } from '../support/read-input.js';
import { readWinners, resolveKeys, selectKeys } from '../service/deployment.js';
import type { SecretStore, SecretValue } from '../store/types.js';
import type { PinSettings } from '../pin/pinned-read.js';
import type { Pin } from '../pin/pin-file.js';
import { withLastKnownGood, type LastKnownGood } from './last-known-good.js';

/**
 * What reading a deployment's values needs, given by the command: each part is built when first asked
 * for (in the order the reads need them), so a pinned read never resolves the deployment from the flags.
 */
export interface DeploymentSource extends InputSource {
  /** `-p/-d` as given: a pin for another deployment is refused. */
  flags: ScopeFlags;
  /** The deployment the flags, SCOPED_PROJECT/SCOPED_DOMAIN and the config file name. */
  deployment(): Promise<Scope>;
  /** The org, prefix and backend in effect (names are made with the prefix; a pin is checked against all three). */
  settings(): Promise<PinSettings>;
  store(): Promise<SecretStore>;
  warn(line: string): void;
  /** `--fallback` / `--offline` in effect: where the deployment's last-known-good values are kept. */
  lastKnownGood?(): Promise<LastKnownGood | undefined>;
}

export interface DeploymentValues {
  deployment: Scope;
  /** KEY -> winning value, sorted by key (or in the order asked for). */
  values: Map<string, SecretValue>;
  /** Keys the deployment sees that `exclude` left out (never read). */
  excluded: string[];
}

export interface KeySelection {
  /** Only these keys (empty or absent: every visible key). */
  only?: readonly string[];
  /** Keys that must be visible, without narrowing the selection. */
  require?: readonly string[];
  /** `--pinned FILE`: exactly the versions the pin names, read by version id, no listing. */
  pinned?: string | undefined;
  /** Keys left out (`--exclude`): neither read nor returned. */
  exclude?: readonly string[];
}

/** The selected keys minus the excluded ones, and which of those the deployment saw. */
function leaveOut<T extends { key: string }>(selected: readonly T[], exclude: readonly string[] = []): [kept: T[], excluded: string[]] {
  const out = new Set(exclude);
  return [selected.filter((e) => !out.has(e.key)), selected.filter((e) => out.has(e.key)).map((e) => e.key)];
}

/**
 * The resolved values a deployment sees (precedence: project-domain > project > domain > org), on any
 * backend. A key asked for that the deployment cannot see fails before anything else happens, with one
 * error naming every such key.
 */
export async function deploymentValues(from: DeploymentSource, select: KeySelection = {}): Promise<DeploymentValues> {
  const lkg = await from.lastKnownGood?.();
  if (lkg === undefined) return readDeploymentValues(from, select);
  // --fallback / --offline: the pin is loaded once, here: its versions name the snapshot.
  let pin: Pin | undefined;
  if (select.pinned !== undefined) {
    const { checkPin, loadPin } = await import('../pin/pinned-read.js');
    pin = await loadPin(from, select.pinned);
    // Checked before the snapshot is looked for too: a pin for other settings is a usage error, also --offline.
    checkPin(pin, select.pinned, await from.settings(), from.flags);
  }
  const deployment = pin?.deployment ?? (await from.deployment());
  const read = { deployment, pin, only: select.only ?? [], require: select.require ?? [], exclude: select.exclude ?? [] };
  const got = await withLastKnownGood(
    lkg,
    read,
    () => readDeploymentValues(from, select, pin),
    (line) => from.warn(line),
  );
  return { deployment, values: got.values, excluded: got.excluded };
}

async function readDeploymentValues(from: DeploymentSource, select: KeySelection, pin?: Pin): Promise<DeploymentValues> {
  if (select.pinned !== undefined) return pinnedValues(from, select.pinned, select, pin);
  const deployment = await from.deployment();
  const { prefix } = await from.settings();
  const store = await from.store();
  const all = await resolveKeys(store, prefix, deployment);
  const only = select.only ?? [];
  selectKeys(all, [...only, ...(select.require ?? [])], deployment);
  const [resolved, excluded] = leaveOut(selectKeys(all, only, deployment), select.exclude);
  from.debug(`${resolved.length} key(s) resolved for ${describeScope(deployment)}${excluded.length > 0 ? `, ${excluded.length} excluded` : ''}`);
  return { deployment, values: await readWinners(store, resolved), excluded };
}

/** The values a pin names, for the same selection: the same shape, so every later step is the same. */
async function pinnedValues(from: DeploymentSource, file: string, select: KeySelection, loaded?: Pin): Promise<DeploymentValues> {
  // Loaded here: only --pinned reads pin files.
  const { checkPin, loadPin, readPinned, selectPinned } = await import('../pin/pinned-read.js');
  const pin = loaded ?? (await loadPin(from, file));
  checkPin(pin, file, await from.settings(), from.flags);
  const only = select.only ?? [];
  selectPinned(pin, file, [...only, ...(select.require ?? [])]);
  // An excluded key is left out before any read: its pinned version may be gone, or not readable here.
  const [entries, excluded] = leaveOut(selectPinned(pin, file, only), select.exclude);
  from.debug(`${entries.length} key(s) pinned in ${file} (created ${pin.created}); read by version id, no listing`);
  return { deployment: pin.deployment, values: await readPinned(await from.store(), entries, file), excluded };
}

/** Bytes (SecretBinary) or text holding a NUL: neither fits an environment variable or a text format. */
export function isBinary(value: SecretValue): boolean {
  return typeof value !== 'string' || value.includes('\0');
}

/**
 * The values as text, refusing binary ones with one error naming every such key (never a value).
 * `what` says where they were going, `hint` what to do instead.
 */
export function textValues(values: Map<string, SecretValue>, what: string, hint: string): Map<string, string> {
  refuseBinary(values, what, () => hint);
  return values as Map<string, string>;
}

/**
 * Refuses binary values among `entries` (KEY, value) with one error naming every such key (never a value).
 * `what` says where they were going; `hint` gets the first such key.
 */
export function refuseBinary(entries: Iterable<readonly [string, SecretValue]>, what: string, hint: (first: string) => string): void {
  const binary = [...entries].filter(([, v]) => isBinary(v)).map(([k]) => k);
  const first = binary[0];
  if (first !== undefined) {
    throw new UsageError(`${fewNames(binary)} ${binary.length === 1 ? 'holds' : 'hold'} binary data, which ${what} cannot carry`, hint(first));
  }
}

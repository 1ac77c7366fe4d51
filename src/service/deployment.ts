import { AccessDeniedError, NotFoundError, ScopedError, UnavailableError } from '../errors.js';
import { orgPrefix, parseSecretName, scopePrefix, TAG_KEY } from '../core/naming.js';
import { KEY_RULE } from '../core/scope.js';
import { resolveDeployment, type Candidate, type Resolution } from '../core/resolve.js';
import { deploymentScopes, describeScope, scopeFlags, type Scope } from '../core/scope.js';
import type { SecretStore, SecretSummary, SecretValue } from '../store/types.js';
import { fewNames } from '../support/few-names.js';

/** A stored secret that is ours: its parsed scope and key plus the store's metadata. */
export interface Entry extends Candidate {
  summary: SecretSummary;
}

/** A secret under the prefix that is not ours to read: its name breaks the layout. */
export interface Ignored {
  name: string;
  /** The key it seems to be for: its `scoped:key` tag, or the last part of its name. */
  key: string;
  why: string;
}

const LAYOUT = 'PREFIX/ORG/PROJECT|_/DOMAIN|_/KEY';

/** Why a listed name that does not parse is left out (names and tags only, never values). */
function ignoredName(prefix: string, name: string, tags?: Record<string, string>): Ignored {
  const tagged = tags?.[TAG_KEY];
  const rest = name.slice(prefix.length);
  const key = tagged ?? rest.split('/').pop() ?? rest;
  const why =
    tagged !== undefined
      ? `it carries scoped's tags (key ${tagged}) but its name does not follow scoped's layout ${LAYOUT}`
      : rest.split('/').length !== 4
        ? `its name does not follow scoped's layout ${LAYOUT}`
        : `its name's parts are not a valid org, project, domain and key (keys: ${KEY_RULE})`;
  return { name, key, why };
}

/** The names left out of a listing, by the result they were left out of (for selectKeys' hint). */
const ignoredIn = new WeakMap<object, Ignored[]>();

/** Each name left out, named on the debug log (never silently). */
function noteIgnored(store: SecretStore, ignored: readonly Ignored[]): void {
  for (const i of ignored) store.log?.debug(`ignored ${i.name}: ${i.why}`);
}

/** Keep only names that parse under the prefix: anything else is never ours (named on --debug). */
export function toEntries(prefix: string, summaries: SecretSummary[], store?: SecretStore): Entry[] {
  const entries: Entry[] = [];
  const ignored: Ignored[] = [];
  for (const summary of summaries) {
    const parsed = parseSecretName(prefix, summary.name);
    if (parsed) entries.push({ ...parsed, name: summary.name, summary });
    else if (summary.name.startsWith(prefix)) ignored.push(ignoredName(prefix, summary.name, summary.tags));
  }
  if (store !== undefined) noteIgnored(store, ignored);
  const sorted = entries.sort(byKeyThenScope);
  ignoredIn.set(sorted, ignored);
  return sorted;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Listing order: by key, then from the widest scope to the narrowest, then by project and domain. */
function byKeyThenScope(a: Entry, b: Entry): number {
  const width = (e: Entry) => (e.scope.project !== undefined ? 2 : 0) + (e.scope.domain !== undefined ? 1 : 0);
  return cmp(a.key, b.key) || width(a) - width(b) || cmp(a.scope.project ?? '', b.scope.project ?? '') || cmp(a.scope.domain ?? '', b.scope.domain ?? '');
}

/** The secrets at exactly one scope (like `flyte get secret`). */
export async function listScope(store: SecretStore, prefix: string, scope: Scope, includeDeleted = false): Promise<Entry[]> {
  return toEntries(prefix, await store.list([scopePrefix(prefix, scope)], { includeDeleted }), store);
}

/** Every scope of an org. */
export async function listOrg(store: SecretStore, prefix: string, org: string, includeDeleted = false): Promise<Entry[]> {
  return toEntries(prefix, await store.list([orgPrefix(prefix, org)], { includeDeleted }), store);
}

/** The deployment view: one listing of the names under the (up to) four scope prefixes, winners picked client-side. */
export async function resolveKeys(store: SecretStore, prefix: string, deployment: Scope): Promise<Resolution[]> {
  const prefixes = deploymentScopes(deployment).map((s) => scopePrefix(prefix, s));
  const candidates = await candidatesUnder(store, prefix, prefixes);
  return keepIgnored(resolveDeployment(deployment, candidates), candidates);
}

/** The resolution, remembering what its listing left out (for selectKeys' hint). */
function keepIgnored<R extends object>(resolved: R, from: object): R {
  const ignored = ignoredIn.get(from);
  if (ignored !== undefined) ignoredIn.set(resolved, ignored);
  return resolved;
}

/** The names under these prefixes that are ours, parsed (one `listNames`); the others named on --debug. */
async function candidatesUnder(store: SecretStore, prefix: string, prefixes: readonly string[]): Promise<Candidate[]> {
  const candidates: Candidate[] = [];
  const ignored: Ignored[] = [];
  for (const name of await store.listNames(prefixes)) {
    const parsed = parseSecretName(prefix, name);
    if (parsed) candidates.push({ ...parsed, name });
    else if (name.startsWith(prefix)) ignored.push(ignoredName(prefix, name));
  }
  noteIgnored(store, ignored);
  ignoredIn.set(candidates, ignored);
  return candidates;
}

/**
 * As resolveKeys, with each holder's store metadata (its ARN, where the backend lists one). The same
 * ListSecrets calls on AWS; the local store reads its file rather than only its index.
 */
export async function resolveEntries(store: SecretStore, prefix: string, deployment: Scope): Promise<Resolution<Entry>[]> {
  const prefixes = deploymentScopes(deployment).map((s) => scopePrefix(prefix, s));
  const entries = toEntries(prefix, await store.list(prefixes), store);
  return keepIgnored(resolveDeployment(deployment, entries), entries);
}

/** Keep the named keys, in the order asked; a key the deployment cannot see is an error naming all such keys. */
export function selectKeys<R extends { key: string }>(resolved: R[], keys: readonly string[], deployment: Scope): R[] {
  if (keys.length === 0) return resolved;
  const byKey = new Map(resolved.map((r) => [r.key, r]));
  const missing = keys.filter((k) => !byKey.has(k));
  if (missing.length > 0) {
    const alike = lookAlike(ignoredIn.get(resolved) ?? [], missing);
    throw new NotFoundError(
      `${missing.length === 1 ? 'key' : 'keys'} ${fewNames(missing)} not visible to ${describeScope(deployment)}`,
      alike !== undefined
        ? `secret ${alike.name} looks like ${alike.key === alike.asked ? 'it' : alike.asked} but is ignored: ${alike.why}`
        : `see what it sees with: scoped resolve${scopeFlags(deployment) ? ` ${scopeFlags(deployment)}` : ''} --explain`,
    );
  }
  return [...new Set(keys)].map((k) => byKey.get(k) as R);
}

/** An ignored secret that seems meant as one of the missing keys (its key, up to case and - for _). */
function lookAlike(ignored: readonly Ignored[], missing: readonly string[]): (Ignored & { asked: string }) | undefined {
  const norm = (k: string) => k.toUpperCase().replace(/-/g, '_');
  for (const asked of missing) {
    const found = ignored.find((i) => norm(i.key) === norm(asked));
    if (found !== undefined) return { ...found, asked };
  }
  return undefined;
}

/** One secret that could not be read: how to name it in the error, and why. */
export interface Failure {
  what: string;
  error: Error;
  /** The secret alone (`KEY at org acme`) and the cause alone, where the caller has them apart. */
  at?: string | undefined;
  cause?: string | undefined;
}
export type Failures = Failure[];

/** Secrets named in one line at most; the rest are counted. */
export const NAMED_FAILURES = 5;

/**
 * Every failed read in one error; the first failure's class (so its exit code) and hint are kept. When all
 * failed for one shared cause (no usable credentials, the time limit, an endpoint that cannot be reached),
 * the cause is stated once, after the secrets it stopped.
 */
export function failure(failures: readonly Failure[]): Error {
  const first = (failures[0] as Failure).error;
  if (!(first instanceof ScopedError)) return first;
  const cause = sharedCause(failures);
  if (cause !== undefined) {
    const named = failures.slice(0, NAMED_FAILURES).map((f) => f.at as string);
    const more = failures.length - named.length;
    return first.withMessage(`cannot read ${failures.length} secrets (${named.join(', ')}${more > 0 ? `, and ${more} more` : ''}): ${cause}`);
  }
  return first.withMessage(`cannot read ${failures.length === 1 ? '' : `${failures.length} secrets: `}${failures.map((f) => f.what).join('; ')}`);
}

/** The one cause every failure shares (the same class and words, none about a secret of its own), if so. */
function sharedCause(failures: readonly Failure[]): string | undefined {
  if (failures.length < 2) return undefined;
  const [head] = failures as [Failure];
  if (head.cause === undefined || !(head.error instanceof UnavailableError || head.error instanceof AccessDeniedError)) return undefined;
  const same = failures.every((f) => f.at !== undefined && f.cause === head.cause && f.error.constructor === head.error.constructor);
  return same ? head.cause : undefined;
}

/**
 * The winners' current values, read in batches. Every per-secret failure is reported by key and scope
 * (the first one decides the exit code); nothing is silently dropped.
 */
export async function readWinners(store: SecretStore, resolved: Resolution[]): Promise<Map<string, SecretValue>> {
  const byName = await readCandidates(
    store,
    resolved.map((r) => r.winner),
  );
  return new Map(resolved.map((r) => [r.key, byName.get(r.winner.name) as SecretValue]));
}

/**
 * The current values of these secrets by backend name, each name read once (several deployments share
 * their org-scope secrets) in one batched `getValues`. Failures as for readWinners.
 */
export async function readCandidates(store: SecretStore, candidates: readonly Candidate[]): Promise<Map<string, SecretValue>> {
  const unique = [...new Map(candidates.map((c) => [c.name, c])).values()];
  const batch = await store.getValues(unique.map((c) => c.name));
  const failures: Failures = [];
  const values = new Map<string, SecretValue>();
  for (const c of unique) {
    const err = batch.errors.get(c.name);
    const got = batch.values.get(c.name);
    if (got && !err) {
      values.set(c.name, got.value);
      continue;
    }
    const e = err ?? new NotFoundError('no value returned');
    const at = `${c.key} at ${describeScope(c.scope)}`;
    const cause = e instanceof ScopedError ? e.message : e.name;
    failures.push({ what: `${at} (${cause})`, error: e, at, cause });
  }
  if (failures.length > 0) throw failure(failures);
  return values;
}

/**
 * Several deployments' views from one listing of the union of their scope prefixes, in the order given.
 * Shared scopes (the org, a project across domains) are listed once; on AWS the union costs one
 * ListSecrets chain per 10 distinct prefixes (values of one filter), so two or three deployments cost
 * one chain. Never more pages than a listing of the whole org would take, whose pages also carry every
 * secret of every other project and domain. docs/aws.md "What diff and check cost" has the measurements.
 */
export async function resolveMany(store: SecretStore, prefix: string, deployments: readonly Scope[]): Promise<Resolution[][]> {
  const candidates = await candidatesUnder(store, prefix, deploymentsPrefixes(prefix, deployments));
  return deployments.map((d) => resolveDeployment(d, candidates));
}

/** The distinct scope prefixes of these deployments. */
export function deploymentsPrefixes(prefix: string, deployments: readonly Scope[]): string[] {
  return [...new Set(deployments.flatMap((d) => deploymentScopes(d).map((s) => scopePrefix(prefix, s))))];
}

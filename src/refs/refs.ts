import { NotFoundError, UsageError } from '../errors.js';
import { scopePrefix } from '../core/naming.js';
import { deploymentScopes, describeScope, scopeFlags, type Scope } from '../core/scope.js';
import { readCandidates, resolveEntries, toEntries } from '../service/deployment.js';
import type { SecretStore, SecretSummary, SecretValue } from '../store/types.js';
import type { Binding } from '../deploy/bindings.js';
import { fieldVariable, jsonObjectFields, type Expand } from '../deploy/expand.js';
import type { PinEntry } from '../pin/pin-file.js';
import { TAG_LINK, type LinkTarget } from '../core/link.js';
import { linkOf } from '../store/links.js';
import { checkPinnedVersions } from './pinned-versions.js';
import { readEntry } from '../pin/pinned-read.js';

/**
 * References to a deployment's winners, for platforms that read Secrets Manager themselves (ECS, the
 * External Secrets Operator, the Secrets Store CSI driver, Flyte): the full ARN, the version id of a pin,
 * the JSON field of an `--expand`. Never a value: the only values read are those of expanded keys, for
 * their field names. Plain inputs and results; the command prints.
 */

/** One variable the platform sets, and where it reads it from. */
export interface Ref {
  /** The variable (the KEY, its `--only KEY=NAME` name, or PREFIX_FIELD of an `--expand`). */
  name: string;
  key: string;
  scope: Scope;
  /** The secret's name in the store. */
  secretName: string;
  /** The full ARN, random suffix included. */
  arn: string;
  /** The pinned version (`--pinned`); absent: the current one (AWSCURRENT). */
  versionId?: string | undefined;
  /** The top-level JSON field (`--expand`). */
  field?: string | undefined;
  /** A customer-managed KMS key, as Secrets Manager reports it. */
  kmsKeyId?: string | undefined;
  /** Set when the winner is a link: `arn` (and `field`) are then its target's. */
  link?: LinkTarget | undefined;
}

export interface RefsRequest {
  prefix: string;
  /** The deployment (a pin's own, when pinned). */
  deployment: Scope;
  /** `--pinned FILE`, already read and checked: its entries are what is referenced. */
  pin?: { file: string; secrets: readonly PinEntry[] } | undefined;
  /** `--only KEY[=NAME]` (empty: every visible key). */
  only: readonly Binding[];
  expand: readonly Expand[];
  exclude: readonly string[];
}

export interface RefsResult {
  deployment: Scope;
  refs: Ref[];
  /** `--exclude` keys the deployment does not see (nothing to leave out). */
  absentExcluded: string[];
  /** `KEY.field` of expanded fields whose JSON value is not a string: platforms render those their own way. */
  nonStringFields: string[];
}

interface Winner {
  key: string;
  scope: Scope;
  name: string;
  versionId?: string | undefined;
  /** A pinned link's target as the pin recorded it (absent in pins written before targets were). */
  target?: LinkTarget | undefined;
  summary: SecretSummary | undefined;
}

/** The deployment's winners with their listing metadata: one listing, as `resolve -o json` sends. */
async function currentWinners(store: SecretStore, r: RefsRequest): Promise<Winner[]> {
  return (await resolveEntries(store, r.prefix, r.deployment)).map((x) => ({ key: x.key, scope: x.winner.scope, name: x.winner.name, summary: x.winner.summary }));
}

/** A pin's entries with the listing metadata of the secrets they name (one listing of the pin's deployment). */
async function pinnedWinners(store: SecretStore, r: RefsRequest, pin: NonNullable<RefsRequest['pin']>): Promise<Winner[]> {
  const prefixes = deploymentScopes(r.deployment).map((s) => scopePrefix(r.prefix, s));
  const byName = new Map(toEntries(r.prefix, await store.list(prefixes)).map((e) => [e.name, e.summary]));
  return [...pin.secrets]
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((e) => ({ key: e.key, scope: e.scope, name: e.name, versionId: e.versionId, target: e.target, summary: byName.get(e.name) }));
}

/** The winners asked for (all, or these keys in this order); keys not there named in one error. */
function select(winners: Winner[], keys: readonly string[], r: RefsRequest): Winner[] {
  if (keys.length === 0) return winners;
  const byKey = new Map(winners.map((w) => [w.key, w]));
  const missing = [...new Set(keys)].filter((k) => !byKey.has(k));
  if (missing.length > 0) {
    const what = `${missing.length === 1 ? 'key' : 'keys'} ${missing.join(', ')}`;
    if (r.pin) throw new NotFoundError(`${what} not in pin file ${r.pin.file}`, `see its keys with: jq -r ".secrets[].key" ${r.pin.file}`);
    const flags = scopeFlags(r.deployment);
    throw new NotFoundError(`${what} not visible to ${describeScope(r.deployment)}`, `see what it sees with: scoped resolve${flags ? ` ${flags}` : ''} --explain`);
  }
  return [...new Set(keys)].map((k) => byKey.get(k) as Winner);
}

/**
 * A winner the listing did not return (deleted since the pin) is named. A pinned link with its target
 * recorded is referenced by that target alone: the link (unlinked or retargeted since) is not needed.
 */
function requireListed(w: Winner, r: RefsRequest): SecretSummary | undefined {
  if (w.summary === undefined && w.target === undefined) {
    throw new NotFoundError(
      `${w.key} at ${describeScope(w.scope)}: the pinned secret no longer exists, or is scheduled for deletion (pin file ${r.pin?.file ?? '-'})`,
      'pin the deployment again with: scoped pin',
    );
  }
  return w.summary;
}

/** The ARN a reference needs. */
function arnOf(w: Winner, r: RefsRequest, link: LinkTarget | undefined): string {
  const summary = requireListed(w, r);
  // A link is referenced by its target: the platform reads that secret itself.
  if (link !== undefined) return link.arn;
  if (summary?.arn === undefined) throw new UsageError('references are ARNs, which only the aws backend has', 'use --backend aws');
  return summary.arn;
}

/**
 * The targets of the winners that are links: a pin's recorded target as recorded (nothing read), else, when
 * their tags say so, each link's record read alone.
 */
async function linkTargets(store: SecretStore, winners: readonly Winner[]): Promise<Map<string, LinkTarget>> {
  const links = new Map<string, LinkTarget>();
  for (const w of winners) {
    if (w.target !== undefined) {
      links.set(w.key, w.target);
      continue;
    }
    if (w.summary?.tags[TAG_LINK] === undefined) continue;
    const target = await linkOf(store, w.name);
    if (target !== undefined) links.set(w.key, target);
  }
  return links;
}

/** The values of the expanded winners (current, or the pinned versions), for their field names only. */
async function expandedValues(store: SecretStore, winners: readonly Winner[]): Promise<Map<string, SecretValue>> {
  const pinned = winners.filter((w) => w.versionId !== undefined);
  const current = winners.filter((w) => w.versionId === undefined);
  const values = new Map<string, SecretValue>();
  if (current.length > 0) {
    const byName = await readCandidates(store, current);
    for (const w of current) values.set(w.key, byName.get(w.name) as SecretValue);
  }
  for (const w of pinned) values.set(w.key, (await readEntry(store, { ...w, versionId: w.versionId as string })).value);
  return values;
}

/** The fields of an expanded value, or a usage error naming the key (never the value). */
function fieldsOf(e: Expand, value: SecretValue | undefined): Record<string, unknown> {
  const fields = value === undefined ? undefined : jsonObjectFields(value);
  if (fields === undefined) throw new UsageError(`--expand ${e.key}: its value is not a JSON object`, `leave out --expand ${e.key}, or store the value as a JSON object`);
  return fields;
}

/** The deployment's references, shaped by --only, --expand and --exclude as `export` shapes its values. */
export async function deploymentRefs(store: SecretStore, r: RefsRequest): Promise<RefsResult> {
  const all = r.pin ? await pinnedWinners(store, r, r.pin) : await currentWinners(store, r);
  const onlyKeys = r.only.map((b) => b.key);
  const expandKeys = r.expand.map((e) => e.key);
  // Expanded keys must be visible; with --only they join the selection.
  select(all, expandKeys, r);
  const chosen = select(all, onlyKeys.length > 0 ? [...onlyKeys, ...expandKeys] : [], r);
  const out = new Set(r.exclude);
  const kept = chosen.filter((w) => !out.has(w.key));
  const absentExcluded = r.exclude.filter((k) => !all.some((w) => w.key === k));
  const expandByKey = new Map(r.expand.map((e) => [e.key, e]));
  // Every reference's ARN first: a pinned secret that is gone is named before any value is read, then a
  // pinned version that is gone (metadata only: pinned-versions.ts).
  for (const w of kept) requireListed(w, r);
  const links = await linkTargets(store, kept);
  if (r.pin)
    await checkPinnedVersions(
      store,
      kept.map((w) => ({ key: w.key, scope: w.scope, name: w.name, versionId: w.versionId as string })),
      links,
      r.pin.file,
    );
  const arns = new Map(kept.map((w) => [w.key, arnOf(w, r, links.get(w.key))]));
  const values = await expandedValues(
    store,
    kept.filter((w) => expandByKey.has(w.key)),
  );
  const renamed = new Map(r.only.map((b) => [b.key, b.env]));
  const refs: Ref[] = [];
  const nonStringFields: string[] = [];
  for (const w of kept) {
    const link = links.get(w.key);
    // A link's own KMS key is not its target's, which the listing does not tell.
    const base = { key: w.key, scope: w.scope, secretName: w.name, arn: arns.get(w.key) as string, versionId: w.versionId, kmsKeyId: link ? undefined : w.summary?.kmsKeyId, link };
    const e = expandByKey.get(w.key);
    if (e === undefined) {
      refs.push({ ...base, name: renamed.get(w.key) ?? w.key, field: link?.field });
      continue;
    }
    if (link?.field !== undefined)
      throw new UsageError(`--expand ${w.key}: it links to one field (${link.field}) of ${link.arn}, not a JSON object`, `leave out --expand ${w.key}`);
    for (const [field, v] of Object.entries(fieldsOf(e, values.get(w.key)))) {
      if (typeof v !== 'string') nonStringFields.push(`${w.key}.${field}`);
      refs.push({ ...base, name: fieldVariable(e.prefix, field), field });
    }
  }
  refuseTwice(refs);
  return { deployment: r.deployment, refs, absentExcluded, nonStringFields };
}

/** Two references under one variable name: a usage error naming both sources. */
function refuseTwice(refs: readonly Ref[]): void {
  const seen = new Map<string, Ref>();
  const source = (x: Ref) => (x.field === undefined ? `key ${x.key}` : `field ${JSON.stringify(x.field)} of --expand ${x.key}`);
  for (const x of refs) {
    const before = seen.get(x.name);
    if (before !== undefined) {
      throw new UsageError(
        `variable ${x.name} would be set twice: by ${source(before)} and by ${source(x)}`,
        'choose another prefix with --expand KEY=PREFIX, or rename with --only KEY=NAME',
      );
    }
    seen.set(x.name, x);
  }
}

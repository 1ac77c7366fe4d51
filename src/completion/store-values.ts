import { parseSecretName } from '../core/naming.js';
import { resolveDeployment } from '../core/resolve.js';
import { sameScope, type Scope } from '../core/scope.js';
import type { Candidate, KeyMode } from './engine.js';

/** One secret of the org, by name only: completion never reads a value. */
export interface NameEntry {
  scope: Scope;
  key: string;
  name: string;
  deleted: boolean;
}

/** Names that are ours (parse under the prefix); anything else is never offered. */
export function nameEntries(prefix: string, live: readonly string[], deleted: readonly string[]): NameEntry[] {
  const out: NameEntry[] = [];
  const add = (name: string, isDeleted: boolean) => {
    const parsed = parseSecretName(prefix, name);
    if (parsed) out.push({ ...parsed, name, deleted: isDeleted });
  };
  live.forEach((n) => add(n, false));
  deleted.forEach((n) => add(n, true));
  return out;
}

/** `project billing, domain production`, or `org` */
function where(scope: Scope): string {
  const parts = [scope.project && `project ${scope.project}`, scope.domain && `domain ${scope.domain}`];
  return parts.filter(Boolean).join(', ') || 'org';
}

const sorted = (values: Iterable<string>): Candidate[] => [...new Set(values)].sort().map((value) => ({ value }));

export function projectCandidates(entries: readonly NameEntry[]): Candidate[] {
  return sorted(entries.flatMap((e) => (e.deleted || e.scope.project === undefined ? [] : [e.scope.project])));
}

export function domainCandidates(entries: readonly NameEntry[]): Candidate[] {
  return sorted(entries.flatMap((e) => (e.deleted || e.scope.domain === undefined ? [] : [e.scope.domain])));
}

/**
 * Deployments `P/D`: every project named in the org's live names with every domain named there. A
 * deployment is a pair to resolve, not a stored thing: `billing/production` is real when billing has
 * secrets at project scope and production at domain scope, though no secret sits at billing/production
 * itself. One listing answers it; a pair no one deploys is at worst one candidate too many.
 */
export function deploymentCandidates(entries: readonly NameEntry[], exclude: readonly string[]): Candidate[] {
  const skip = new Set(exclude);
  const domains = domainCandidates(entries);
  const pairs = projectCandidates(entries).flatMap((p) => domains.map((d) => `${p.value}/${d.value}`));
  return pairs.filter((value) => !skip.has(value)).map((value) => ({ value }));
}

/**
 * KEY candidates. `scope` is the scope on the line for management commands and the deployment for
 * `deployment`. `create` is offered the org's keys that are not at the scope yet (to override them there).
 */
export function keyCandidates(entries: readonly NameEntry[], mode: KeyMode, scope: Scope, exclude: readonly string[]): Candidate[] {
  const skip = new Set(exclude);
  const here = entries.filter((e) => sameScope(e.scope, scope));
  let out: Candidate[];
  switch (mode) {
    case 'at-scope':
      out = sorted(here.filter((e) => !e.deleted).map((e) => e.key));
      break;
    case 'deleted-at-scope':
      out = sorted(here.filter((e) => e.deleted).map((e) => e.key));
      break;
    case 'elsewhere-in-org': {
      const taken = new Set(here.map((e) => e.key));
      const holders = new Map<string, string[]>();
      for (const e of entries) {
        if (e.deleted || taken.has(e.key)) continue;
        holders.set(e.key, [...(holders.get(e.key) ?? []), where(e.scope)]);
      }
      out = [...holders].sort(([a], [b]) => (a < b ? -1 : 1)).map(([value, at]) => ({ value, description: `exists at ${at.join('; ')}` }));
      break;
    }
    case 'deployment':
      out = resolveDeployment(
        scope,
        entries.filter((e) => !e.deleted),
      ).map((r) => ({ value: r.key, description: `from ${where(r.winner.scope)}` }));
      break;
  }
  return out.filter((c) => !skip.has(c.value));
}

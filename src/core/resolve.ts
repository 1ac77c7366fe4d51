import { PRECEDENCE, scopeKind, type Scope, type ScopeKind } from './scope.js';

/** One stored secret as the resolver sees it: where it is and what it is called. */
export interface Candidate {
  scope: Scope;
  key: string;
  name: string;
}

export interface Resolution<C extends Candidate = Candidate> {
  key: string;
  winner: C;
  /** Less specific holders of the same key, most specific first. */
  shadowed: C[];
}

function applies(candidate: Scope, deployment: Scope): boolean {
  if (candidate.org !== deployment.org) return false;
  if (candidate.project !== undefined && candidate.project !== deployment.project) return false;
  if (candidate.domain !== undefined && candidate.domain !== deployment.domain) return false;
  return true;
}

const RANK: Record<ScopeKind, number> = Object.fromEntries(PRECEDENCE.map((kind, i) => [kind, i])) as Record<ScopeKind, number>;

/**
 * The deployment view: for each key visible to `deployment`, the most specific holder
 * (project-domain > project > domain > org) and what it shadows. Candidates from other scopes are ignored.
 * Sorted by key.
 */
export function resolveDeployment<C extends Candidate>(deployment: Scope, candidates: Iterable<C>): Resolution<C>[] {
  const byKey = new Map<string, C[]>();
  for (const c of candidates) {
    if (!applies(c.scope, deployment)) continue;
    const list = byKey.get(c.key);
    if (list) list.push(c);
    else byKey.set(c.key, [c]);
  }
  const out: Resolution<C>[] = [];
  for (const [key, list] of byKey) {
    list.sort((a, b) => RANK[scopeKind(a.scope)] - RANK[scopeKind(b.scope)]);
    const [winner, ...shadowed] = list as [C, ...C[]];
    out.push({ key, winner, shadowed });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * The resolver's 16 presence combinations carried into diff: deployments A = billing/staging and
 * B = billing/production see six scopes between them (their own project-domain and domain, the shared
 * project and org). Each of the 64 subsets of those six is one key, so each side meets all 16 of its own
 * combinations. With `equal` every holder has the same value; otherwise each holder its own.
 */
import { scopeTags, secretName } from '../../src/core/naming.js';
import type { Scope, ScopeKind } from '../../src/core/scope.js';
import type { KeyStatus } from '../../src/diff/compare.js';
import type { WriteOp } from '../../src/store/types.js';
import { PRECEDENCE_TABLE } from '../helpers/precedence-table.js';

export const ORG = 'acme';
export const PREFIX = 'scoped/';
export const A: Scope = { org: ORG, project: 'billing', domain: 'staging' };
export const B: Scope = { org: ORG, project: 'billing', domain: 'production' };

const SIX = {
  pdA: A,
  pdB: B,
  p: { org: ORG, project: 'billing' },
  dA: { org: ORG, domain: 'staging' },
  dB: { org: ORG, domain: 'production' },
  o: { org: ORG },
} satisfies Record<string, Scope>;
type Holder = keyof typeof SIX;
const HOLDERS = Object.keys(SIX) as Holder[];

// The one precedence table (test/helpers/precedence-table.ts).
const WINNER = PRECEDENCE_TABLE;

function winner(pd: boolean, p: boolean, d: boolean, o: boolean): ScopeKind | null {
  const row = WINNER.find((r) => r[0] === pd && r[1] === p && r[2] === d && r[3] === o);
  return (row as (typeof WINNER)[number])[4];
}

/** Which holder a side's winning kind is: the shared ones are the same secret on both sides. */
const HOLDER_OF: Record<'A' | 'B', Record<ScopeKind, Holder>> = {
  A: { 'project-domain': 'pdA', project: 'p', domain: 'dA', org: 'o' },
  B: { 'project-domain': 'pdB', project: 'p', domain: 'dB', org: 'o' },
};

export interface Combo {
  key: string;
  holders: Holder[];
  equal: boolean;
  a: ScopeKind | null;
  b: ScopeKind | null;
  /** undefined: neither side sees the key, so diff has no row for it. */
  status: KeyStatus | undefined;
  /** Both sides see it, through two different secrets: the values must be read to compare them. */
  mustRead: boolean;
}

function expectedStatus(a: ScopeKind | null, b: ScopeKind | null, equal: boolean): KeyStatus | undefined {
  if (a === null && b === null) return undefined;
  if (a === null || b === null) return 'missing';
  const sameSecret = HOLDER_OF.A[a] === HOLDER_OF.B[b];
  if (!sameSecret && !equal) return 'differ';
  return a === b ? 'same' : 'scope';
}

export function combos(): Combo[] {
  const out: Combo[] = [];
  for (const equal of [false, true]) {
    for (let bits = 0; bits < 64; bits++) {
      const holders = HOLDERS.filter((_, i) => (bits >> i) & 1);
      const has = (h: Holder) => holders.includes(h);
      const a = winner(has('pdA'), has('p'), has('dA'), has('o'));
      const b = winner(has('pdB'), has('p'), has('dB'), has('o'));
      const mustRead = a !== null && b !== null && HOLDER_OF.A[a] !== HOLDER_OF.B[b];
      out.push({ key: `${equal ? 'EQ' : 'NE'}_${holders.join('_') || 'none'}`, holders, equal, a, b, status: expectedStatus(a, b, equal), mustRead });
    }
  }
  return out;
}

export function holderScope(h: Holder): Scope {
  return SIX[h];
}

/** The secrets of every combination, as one bulk write. */
export function comboWrites(list: Combo[]): WriteOp[] {
  return list.flatMap((c) =>
    c.holders.map((h): WriteOp => {
      const scope = SIX[h];
      const value = c.equal ? 'same value' : `value at ${h}`;
      return { kind: 'create', input: { name: secretName(PREFIX, scope, c.key), value, tags: scopeTags(scope, c.key) } };
    }),
  );
}

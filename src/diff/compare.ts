import type { Candidate, Resolution } from '../core/resolve.js';
import { scopeKind, type ScopeKind } from '../core/scope.js';
import type { SecretValue } from '../store/types.js';

/**
 * Comparing resolved deployments, with no I/O. Values are compared in memory and only the grouping
 * leaves this module: nothing here returns, prints or keeps a value.
 */

/** A key across deployments: each deployment's winner, or undefined where it cannot see the key. */
export interface AlignedKey {
  key: string;
  winners: (Candidate | undefined)[];
}

/**
 * How a key compares: `missing` (some deployments lack it), `differ` (all have it, values differ),
 * `scope` (all have it, equal values from different kinds of scope), `same` (equal values, same kind).
 */
export type KeyStatus = 'missing' | 'differ' | 'scope' | 'same';

export interface DiffCell {
  scope: ScopeKind;
  name: string;
  /** Equal values share a group within a row, numbered 0, 1, ... in deployment order. */
  group: number;
}

export interface DiffRow {
  key: string;
  cells: (DiffCell | undefined)[];
  status: KeyStatus;
}

/** Every key any deployment sees, sorted, with each deployment's winner. */
export function alignKeys(resolutions: readonly Resolution[][]): AlignedKey[] {
  const rows = new Map<string, AlignedKey>();
  resolutions.forEach((resolved, i) => {
    for (const r of resolved) {
      let row = rows.get(r.key);
      if (!row) {
        row = { key: r.key, winners: resolutions.map(() => undefined) };
        rows.set(r.key, row);
      }
      row.winners[i] = r.winner;
    }
  });
  return [...rows.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function distinctWinners(row: AlignedKey): Candidate[] {
  const byName = new Map<string, Candidate>();
  for (const w of row.winners) if (w) byName.set(w.name, w);
  return [...byName.values()];
}

/**
 * The winners whose values decide something: in a row where two or more different secrets win. A row
 * won by one secret everywhere (an org-wide key) is equal without reading; a key only one deployment
 * sees has nothing to be compared with. Each secret appears once.
 */
export function winnersToRead(rows: readonly AlignedKey[]): Candidate[] {
  const out = new Map<string, Candidate>();
  for (const row of rows) {
    const distinct = distinctWinners(row);
    if (distinct.length > 1) for (const c of distinct) out.set(c.name, c);
  }
  return [...out.values()];
}

/** Byte for byte; text and binary are never equal (a deployment treats them differently: `run` refuses binary). */
export function sameValue(a: SecretValue, b: SecretValue): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/** Groups of equal values in one row; `values` must hold every winner winnersToRead named. */
function groupRow(row: AlignedKey, values: ReadonlyMap<string, SecretValue>): (DiffCell | undefined)[] {
  const groupOfName = new Map<string, number>();
  const representatives: SecretValue[] = [];
  const needsValues = distinctWinners(row).length > 1;
  return row.winners.map((w) => {
    if (!w) return undefined;
    let group = groupOfName.get(w.name);
    if (group === undefined) {
      if (needsValues) {
        const value = values.get(w.name);
        if (value === undefined) throw new Error(`internal: the value of ${w.name} was not read`);
        group = representatives.findIndex((v) => sameValue(v, value));
        if (group < 0) group = representatives.push(value) - 1;
      } else {
        group = 0;
      }
      groupOfName.set(w.name, group);
    }
    return { scope: scopeKind(w.scope), name: w.name, group };
  });
}

function statusOf(cells: readonly (DiffCell | undefined)[]): KeyStatus {
  const present = cells.filter((c): c is DiffCell => c !== undefined);
  if (present.length < cells.length) return 'missing';
  if (present.some((c) => c.group !== 0)) return 'differ';
  return present.some((c) => c.scope !== present[0]?.scope) ? 'scope' : 'same';
}

/** Each key's cells and status. */
export function compareRows(rows: readonly AlignedKey[], values: ReadonlyMap<string, SecretValue>): DiffRow[] {
  return rows.map((row) => {
    const cells = groupRow(row, values);
    return { key: row.key, cells, status: statusOf(cells) };
  });
}

/** What counts as a difference: values (or presence) always; scopes only when asked for. */
export function isDifference(status: KeyStatus, scopes: boolean): boolean {
  return status === 'missing' || status === 'differ' || (scopes && status === 'scope');
}

/** The rows to show: the differences, or every key with `all`. */
export function selectRows(rows: readonly DiffRow[], o: { scopes: boolean; all: boolean }): DiffRow[] {
  return o.all ? [...rows] : rows.filter((r) => isDifference(r.status, o.scopes));
}

/** A group number as the letter shown in a cell: a..z, then aa, ab, ... */
export function groupLetter(group: number): string {
  let n = group;
  let out = '';
  do {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}

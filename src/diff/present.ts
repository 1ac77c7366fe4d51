import type { ScopeKind } from '../core/scope.js';
import { groupLetter, type DiffCell, type DiffRow } from './compare.js';

/** How diff shows its rows: words for two deployments, abbreviated cells for a matrix, one JSON shape for both. */

export const SCOPE_ABBREVIATIONS: Readonly<Record<ScopeKind, string>> = { 'project-domain': 'pd', project: 'p', domain: 'd', org: 'o' };

export const MATRIX_LEGEND = 'scopes: pd project-domain, p project, d domain, o org; a, b, ...: equal values share a letter within a row; - missing';

/** A matrix cell: `pd:a` (winning scope, value group), `-` where the deployment cannot see the key. */
export function matrixCell(cell: DiffCell | undefined): string {
  return cell ? `${SCOPE_ABBREVIATIONS[cell.scope]}:${groupLetter(cell.group)}` : '-';
}

/** A side of a two-deployment diff: the winning scope, or `missing`. */
export function sideCell(cell: DiffCell | undefined): string {
  return cell ? cell.scope : 'missing';
}

/** The VALUES column of a two-deployment diff. */
export function pairValues(row: DiffRow): 'differ' | 'equal' | '-' {
  if (row.status === 'missing') return '-';
  return row.status === 'differ' ? 'differ' : 'equal';
}

export interface DiffJsonCell {
  scope: ScopeKind;
  name: string;
  valueGroup: string;
}

export interface DiffJson {
  org: string;
  deployments: string[];
  keys: { key: string; status: DiffRow['status']; in: Record<string, DiffJsonCell | null> }[];
}

/** `-o json|yaml`, the same shape for two deployments or more. Never a value: only its group. */
export function diffJson(org: string, addresses: readonly string[], rows: readonly DiffRow[]): DiffJson {
  return {
    org,
    deployments: [...addresses],
    keys: rows.map((row) => ({
      key: row.key,
      status: row.status,
      in: Object.fromEntries(
        addresses.map((address, i) => {
          const c = row.cells[i];
          return [address, c ? { scope: c.scope, name: c.name, valueGroup: groupLetter(c.group) } : null];
        }),
      ),
    })),
  };
}

/**
 * The cells that stand out in a row: those whose value group (or absence) fewer deployments share than
 * the row's most common one. For two deployments (whose rows are all differences) only a missing side.
 */
export function oddCells(row: DiffRow): boolean[] {
  const token = (c: DiffCell | undefined) => (c ? String(c.group) : '-');
  if (row.cells.length === 2) return row.cells.map((c) => c === undefined);
  const counts = new Map<string, number>();
  for (const c of row.cells) counts.set(token(c), (counts.get(token(c)) ?? 0) + 1);
  const most = Math.max(...counts.values());
  const common = [...counts.entries()].find(([, n]) => n === most)?.[0];
  return row.cells.map((c) => token(c) !== common);
}

import type { Candidate, Resolution } from '../core/resolve.js';
import { scopeKind, type ScopeKind } from '../core/scope.js';
import type { SecretValue } from '../store/types.js';

/** What `check` finds, with no I/O: which required keys each deployment cannot use as a variable. */

/**
 * `missing`: no scope the deployment sees holds the key. `binary`: bytes (or text holding NUL), which
 * cannot be an environment variable. `empty`: nothing but whitespace, almost certainly a mistake where a
 * variable is expected.
 */
export type CheckProblem = 'missing' | 'binary' | 'empty';

export const PROBLEM_TEXT: Readonly<Record<CheckProblem, string>> = {
  missing: 'missing: no scope of this deployment holds it',
  binary: 'binary: cannot be an environment variable',
  empty: 'empty: only whitespace',
};

export interface CheckedKey {
  key: string;
  winner: Candidate | undefined;
  problem: CheckProblem | undefined;
}

/** Each deployment's required keys and their winners (undefined where missing). */
export function requiredWinners(required: readonly string[], resolutions: readonly Resolution[][]): (Candidate | undefined)[][] {
  return resolutions.map((resolved) => {
    const byKey = new Map(resolved.map((r) => [r.key, r.winner]));
    return required.map((key) => byKey.get(key));
  });
}

export function valueProblem(value: SecretValue): CheckProblem | undefined {
  if (typeof value !== 'string' || value.includes('\0')) return 'binary';
  return value.trim() === '' ? 'empty' : undefined;
}

/** The findings per deployment; `values` holds every present winner's value by name. */
export function checkKeys(required: readonly string[], winners: readonly (Candidate | undefined)[][], values: ReadonlyMap<string, SecretValue>): CheckedKey[][] {
  return winners.map((row) =>
    row.map((winner, i) => {
      const key = required[i] as string;
      if (!winner) return { key, winner, problem: 'missing' };
      const value = values.get(winner.name);
      if (value === undefined) throw new Error(`internal: the value of ${winner.name} was not read`);
      return { key, winner, problem: valueProblem(value) };
    }),
  );
}

export interface CheckJson {
  ok: boolean;
  org: string;
  required: string[];
  deployments: {
    deployment: string;
    ok: boolean;
    keys: { key: string; scope: ScopeKind | null; name: string | null; problem: CheckProblem | null }[];
  }[];
}

/** `-o json|yaml`: every deployment and required key, with its winner and problem (null when fine). */
export function checkJson(org: string, required: readonly string[], addresses: readonly string[], found: readonly CheckedKey[][]): CheckJson {
  const deployments = addresses.map((deployment, i) => {
    const keys = (found[i] ?? []).map((k) => ({
      key: k.key,
      scope: k.winner ? scopeKind(k.winner.scope) : null,
      name: k.winner?.name ?? null,
      problem: k.problem ?? null,
    }));
    return { deployment, ok: keys.every((k) => k.problem === null), keys };
  });
  return { ok: deployments.every((d) => d.ok), org, required: [...required], deployments };
}

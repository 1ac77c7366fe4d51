import { UsageError } from '../errors.js';
import { validateKey } from '../core/scope.js';
import { formatDeploymentAddress, parseDeploymentAddress, type DeploymentAddress } from '../core/address.js';
import type { Sourced } from './settings.js';
import { readDoc } from './document.js';

/** Lists a config file may hold for `check` (no env variable or global flag sets them). */
export const LIST_FIELDS = ['required', 'deployments'] as const;
export type ListField = (typeof LIST_FIELDS)[number];

export function isListField(k: string): k is ListField {
  return (LIST_FIELDS as readonly string[]).includes(k);
}

export interface CheckLists {
  /** `required:` keys every deployment must resolve. */
  required?: Sourced<string[]>;
  /** `deployments:` the `P/D` deployments `check` looks at. */
  deployments?: Sourced<DeploymentAddress[]>;
}

/** A list field's items, validated: KEYs for `required`, `P/D` for `deployments`. */
export function listField(path: string, field: ListField, v: unknown): string[] | DeploymentAddress[] {
  const example = field === 'required' ? '[DB_URL, API_TOKEN]' : '[billing/staging, billing/production]';
  if (!Array.isArray(v) || v.length === 0 || v.some((item) => typeof item !== 'string')) {
    throw new UsageError(`config file ${path}: ${field} must be a non-empty list of ${field === 'required' ? 'keys' : 'PROJECT/DOMAIN deployments'}`, `e.g. ${field}: ${example}`);
  }
  const items = v as string[];
  const check = field === 'required' ? validateKey : parseDeploymentAddress;
  const checked = items.map((item, i) => {
    try {
      return check(item);
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(`config file ${path}: ${field}[${i}]: ${err.message}`, err.hint);
      throw err;
    }
  });
  refuseRepeats(
    path,
    field,
    checked.map((item) => (typeof item === 'string' ? item : formatDeploymentAddress(item))),
  );
  return checked as string[] | DeploymentAddress[];
}

/** An item listed twice is refused, as `--require A --require A` is: a repeat is likely a typo for another. */
function refuseRepeats(path: string, field: ListField, names: readonly string[]): void {
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (seen.has(name))
      throw new UsageError(`config file ${path}: ${field}[${i}]: ${JSON.stringify(name)} given twice`, `list each ${field === 'required' ? 'key' : 'deployment'} once`);
    seen.add(name);
  });
}

/** `required:` and `deployments:` from the config files read (most specific first; the first that sets one wins). */
export async function loadCheckLists(files: readonly string[]): Promise<CheckLists> {
  const lists: CheckLists = {};
  for (const path of files) {
    const { doc } = await readDoc(path, undefined);
    if (doc.required !== undefined && !lists.required) lists.required = { value: listField(path, 'required', doc.required) as string[], source: `file ${path}` };
    if (doc.deployments !== undefined && !lists.deployments) {
      lists.deployments = { value: listField(path, 'deployments', doc.deployments) as DeploymentAddress[], source: `file ${path}` };
    }
  }
  return lists;
}

import { UsageError } from '../errors.js';
import { isStoredKey, isValidKey, KEY_RULE } from '../core/scope.js';
import { fewNames } from '../support/few-names.js';
import type { SecretValue } from '../store/types.js';
import { isReserved, parseKeyPair, WITHHELD_VARIABLES, type Binding } from './bindings.js';
import { deploymentValues, isBinary, type DeploymentSource, type DeploymentValues } from './deployment-values.js';

/** `--expand KEY[=PREFIX]`: one variable per top-level field of a JSON-object value, `PREFIX_FIELD`. */
export interface Expand {
  key: string;
  prefix: string;
}

/** How run/export reshape the deployment's values besides --only: --expand and --exclude. */
export interface Shaping {
  expand: Expand[];
  exclude: string[];
}

export function parseExpand(spec: string): Expand {
  const [key, prefix] = parseKeyPair(spec, '--expand', { what: 'prefix', placeholder: 'PREFIX' });
  return { key, prefix };
}

/**
 * --expand and --exclude as given, checked against each other and against --only / --file: a key is
 * expanded, excluded, renamed or made a file, never two of these at once.
 */
export function buildShaping(expandSpecs: string[] | undefined, exclude: string[] | undefined, only: Binding[], files: Binding[] = []): Shaping {
  const expand = [...new Set(expandSpecs ?? [])].map(parseExpand);
  const excluded = [...new Set(exclude ?? [])];
  excluded.forEach((k) => {
    if (!isStoredKey(k)) throw new UsageError(`--exclude ${JSON.stringify(k)}: invalid key: use ${KEY_RULE}`);
  });
  const claims = new Map<string, string>();
  const claim = (key: string, flag: string): void => {
    const before = claims.get(key);
    if (before !== undefined && before !== flag) throw new UsageError(`${key} is given to both ${before} and ${flag}`, 'give each key to one of them');
    if (before === flag && flag === '--expand') throw new UsageError(`--expand ${key} is given twice`, 'give each key once');
    claims.set(key, flag);
  };
  for (const e of expand) claim(e.key, '--expand');
  for (const k of excluded) claim(k, '--exclude');
  for (const b of only) if (claims.has(b.key)) claim(b.key, '--only');
  for (const b of files) if (claims.has(b.key)) claim(b.key, '--file');
  return { expand, exclude: excluded };
}

/** FIELD upper-cased, characters outside [A-Za-z0-9_] made `_`. */
export function fieldVariable(prefix: string, field: string): string {
  return `${prefix}_${field.toUpperCase().replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** A field's value as a variable: strings as they are, null as empty, anything else as its JSON text. */
export function fieldText(v: unknown): string {
  if (typeof v === 'string') return v;
  return v === null ? '' : JSON.stringify(v);
}

/** The value's top-level fields if it is the text of a JSON object; undefined otherwise. */
export function jsonObjectFields(value: SecretValue): Record<string, unknown> | undefined {
  if (typeof value !== 'string' || !value.trimStart().startsWith('{')) return undefined;
  try {
    const data: unknown = JSON.parse(value);
    return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The variables one --expand makes, each with the field it came from; two fields on one name is a clash. */
function expandOne(e: Expand, value: SecretValue | undefined): [vars: Map<string, string>, from: Map<string, string>] {
  const fields = value === undefined || isBinary(value) ? undefined : jsonObjectFields(value);
  if (fields === undefined) throw new UsageError(`--expand ${e.key}: its value is not a JSON object`, `leave out --expand ${e.key}, or store the value as a JSON object`);
  const vars = new Map<string, string>();
  const from = new Map<string, string>();
  for (const [field, v] of Object.entries(fields)) {
    const name = fieldVariable(e.prefix, field);
    const before = from.get(name);
    if (before !== undefined) {
      throw new UsageError(
        `--expand ${e.key}: fields ${JSON.stringify(before)} and ${JSON.stringify(field)} both become ${name}`,
        `choose another prefix with --expand ${e.key}=PREFIX, or rename a field`,
      );
    }
    from.set(name, field);
    vars.set(name, fieldText(v));
  }
  return [vars, from];
}

/**
 * --exclude drops keys, then each --expand replaces its key by its fields' variables (in its place).
 * A variable also set by another key (or an --only name) is a usage error naming both sources. With
 * --only, the expanded variables join the selection. Returns the reshaped values and --only bindings.
 */
export function shapeValues(values: Map<string, SecretValue>, onlyGiven: Binding[], s: Shaping): Shaped {
  for (const k of s.exclude) values.delete(k);
  const expanded = new Map(s.expand.map((e) => [e.key, expandOne(e, values.get(e.key))] as const));
  const taken = new Map<string, string>();
  for (const k of values.keys()) if (!expanded.has(k)) taken.set(k, `key ${k}`);
  for (const b of onlyGiven) taken.set(b.env, b.env === b.key ? `key ${b.key}` : `--only ${b.key}=${b.env}`);
  const out = new Map<string, SecretValue>();
  const added: Binding[] = [];
  for (const [k, v] of values) {
    const vars = expanded.get(k);
    if (vars === undefined) {
      out.set(k, v);
      continue;
    }
    const [fields, from] = vars;
    for (const [name, text] of fields) {
      const other = taken.get(name);
      if (other !== undefined)
        throw new UsageError(
          `variable ${name} would be set twice: by field ${JSON.stringify(from.get(name))} of --expand ${k} and by ${other}`,
          `choose another prefix with --expand ${k}=PREFIX`,
        );
      taken.set(name, `field ${JSON.stringify(from.get(name))} of --expand ${k}`);
      out.set(name, text);
      added.push({ key: name, env: name });
    }
  }
  const only = onlyGiven.length === 0 ? [] : [...onlyGiven.filter((b) => !expanded.has(b.key)), ...added];
  const fields = new Map<string, string[]>([...expanded].map(([k, [, from]]) => [k, [...from.values()]]));
  return { values: out, only, fields };
}

/** The reshaped values, the --only bindings, and each expanded KEY's fields (for refusing what they would set). */
export interface Shaped {
  values: Map<string, SecretValue>;
  only: Binding[];
  fields: Map<string, string[]>;
}

/**
 * Variables an --expand would set that no secret may set (`--expand LD` with a field PRELOAD makes
 * LD_PRELOAD), refused before anything else refuses them, naming the --expand and a prefix that avoids
 * them: renaming with --only cannot help a name an --expand makes. `reserved`: refuse reserved names too
 * (run, export --format shell|github), not only the store's key.
 */
export function refuseUnsafeExpansions(s: Shaping, fields: ReadonlyMap<string, readonly string[]>, how: string, reserved = true): void {
  // Reserved: LD_PRELOAD, PATH, ... (not refused where no environment is set); withheld: the store's key.
  const unsafe = (name: string): boolean => WITHHELD_VARIABLES.includes(name) || (reserved && isReserved(name));
  for (const e of s.expand) {
    const names = (fields.get(e.key) ?? []).map((f) => fieldVariable(e.prefix, f));
    const bad = names.filter(unsafe);
    if (bad.length === 0) continue;
    const fits = (prefix: string) => isValidKey(prefix) && !(fields.get(e.key) ?? []).some((f) => unsafe(fieldVariable(prefix, f)));
    const other = [`${e.key}_JSON`, `SECRET_${e.key}`, 'SECRET'].find(fits) ?? 'PREFIX';
    throw new UsageError(
      `refusing to set ${bad.length === 1 ? 'variable' : 'variables'} ${fewNames(bad)} ${how}: --expand ${e.key}${e.prefix === e.key ? '' : `=${e.prefix}`} makes ${bad.length === 1 ? 'it' : 'them'} from its fields`,
      `choose a different prefix, e.g. --expand ${e.key}=${other}`,
    );
  }
}

/**
 * The deployment's values shaped by --only (given), --expand and --exclude. Expanded keys must be visible; `also` are
 * more keys that must be (run's --file). An excluded key the deployment does not see is only a warning:
 * leaving it out is what was asked, and a shared CI line should not fail where a key happens to be absent.
 */
export async function shapedValues(from: DeploymentSource, onlyGiven: Binding[], s: Shaping, also: readonly string[] = [], pinned?: string): Promise<DeploymentValues & Shaped> {
  const onlyKeys = onlyGiven.map((b) => b.key);
  const expandKeys = s.expand.map((e) => e.key);
  // Each key once: `--only A --only A=B` hands one key over twice, and a missing one is named once.
  const once = (keys: string[]): string[] => [...new Set(keys)];
  const select = onlyKeys.length > 0 ? { only: once([...onlyKeys, ...also, ...expandKeys]) } : { require: once([...also, ...expandKeys]) };
  const { deployment, values, excluded } = await deploymentValues(from, { ...select, pinned, exclude: s.exclude });
  const absent = s.exclude.filter((k) => !excluded.includes(k));
  if (absent.length > 0 && onlyKeys.length === 0) from.warn(`--exclude ${fewNames(absent)}: not visible to this deployment, nothing to leave out`);
  const shaped = shapeValues(values, onlyGiven, s);
  return { deployment, excluded, ...shaped };
}

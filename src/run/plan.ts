import { UsageError } from '../errors.js';
import type { SecretValue } from '../store/types.js';
import { refuseReserved, refuseWithheld, type Binding } from '../deploy/bindings.js';
import { refuseBinary } from '../deploy/deployment-values.js';

export interface Selection {
  /** `--only`: these keys as variables; empty means every visible key. */
  only: Binding[];
  /** `--file`: these keys as files, the variable holding the path. */
  files: Binding[];
  /** `--preserve-env`: a variable the parent already has keeps the parent's value. */
  preserveEnv: boolean;
}

export interface SecretFile {
  env: string;
  key: string;
  value: SecretValue;
}

/** What the child gets. Names only are ever reported; values stay in `env` and `files`. */
export interface InjectionPlan {
  env: Map<string, string>;
  files: SecretFile[];
  /** Parent variables a secret replaces. */
  overridden: string[];
  /** Parent variables kept over a secret (--preserve-env). */
  kept: string[];
}

function envBindings(values: Map<string, SecretValue>, sel: Selection): Binding[] {
  if (sel.only.length > 0) return sel.only;
  // Keys handed over as files are not also put in the environment unless --only asks for that.
  const asFiles = new Set(sel.files.map((f) => f.key));
  return [...values.keys()].filter((k) => !asFiles.has(k)).map((k) => ({ key: k, env: k }));
}

function describe(b: Binding, flag: string | undefined): string {
  if (flag === undefined) return `key ${b.key}`;
  return b.env === b.key ? `${flag} ${b.key}` : `${flag} ${b.key}=${b.env}`;
}

function checkTargets(vars: Binding[], files: Binding[], onlyGiven: boolean): void {
  const seen = new Map<string, string>();
  const tagged = [...vars.map((b) => [b, onlyGiven ? '--only' : undefined] as const), ...files.map((b) => [b, '--file'] as const)];
  for (const [b, flag] of tagged) {
    const by = describe(b, flag);
    const before = seen.get(b.env);
    if (before !== undefined) throw new UsageError(`variable ${b.env} would be set twice: by ${before} and by ${by}`, 'rename one with KEY=NAME');
    seen.set(b.env, by);
  }
  refuseWithheld(seen.keys(), 'from secrets');
  refuseReserved(seen.keys(), 'from secrets', 'rename with --only KEY=NAME or --file KEY=NAME (or leave them out with --only)');
}

/**
 * Decides which variables and files the child gets, refusing reserved names, names set twice and binary
 * values in variables. Pure: no I/O, so every rule is tested with tables.
 */
export function planInjection(values: Map<string, SecretValue>, sel: Selection, parentEnv: Record<string, string | undefined>): InjectionPlan {
  const vars = envBindings(values, sel);
  checkTargets(vars, sel.files, sel.only.length > 0);
  refuseBinary(
    vars.map((b) => [b.key, values.get(b.key) ?? '']),
    'an environment variable',
    (k) => `hand it over as a file: --file ${k}=${k}_FILE`,
  );
  const plan: InjectionPlan = { env: new Map(), files: [], overridden: [], kept: [] };
  // Own variables only: `__proto__` or `toString` is not in the parent because every object has one.
  const inParent = (name: string): boolean => Object.hasOwn(parentEnv, name) && parentEnv[name] !== undefined;
  for (const b of vars) {
    if (inParent(b.env)) (sel.preserveEnv ? plan.kept : plan.overridden).push(b.env);
    if (!inParent(b.env) || !sel.preserveEnv) plan.env.set(b.env, values.get(b.key) as string);
  }
  for (const b of sel.files) {
    if (inParent(b.env)) (sel.preserveEnv ? plan.kept : plan.overridden).push(b.env);
    if (!inParent(b.env) || !sel.preserveEnv) plan.files.push({ env: b.env, key: b.key, value: values.get(b.key) as SecretValue });
  }
  return plan;
}

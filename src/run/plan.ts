import { UsageError } from '../errors.js';
import type { SecretValue } from '../store/types.js';
import { reservedAmong, type Binding } from './bindings.js';
import { isBinary } from './deployment-values.js';

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

/**
 * Variables that unlock the store: never handed to a child of `run` nor written by `export`.
 * SCOPED_LOCAL_KEY decrypts every scope of the local store; a child that needs secrets gets them from
 * `run` itself, chosen by scope. (README: "What the child inherits".)
 */
export const WITHHELD_VARIABLES: readonly string[] = ['SCOPED_LOCAL_KEY'];

/** The parent's environment minus what unlocks the store. */
export function inheritedEnv(parent: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(parent)) if (v !== undefined && !WITHHELD_VARIABLES.includes(k)) env[k] = v;
  return env;
}

/** A secret may not be handed over under a withheld name either: it would replace the key a child's own `scoped` uses. */
export function refuseWithheld(names: Iterable<string>, where: string): void {
  const bad = [...names].filter((n) => WITHHELD_VARIABLES.includes(n));
  if (bad.length > 0) {
    throw new UsageError(`refusing to set ${bad.join(', ')} ${where}: it would replace the key that unlocks the store`, 'rename it with --only KEY=NAME or leave it out with --only');
  }
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
  const reserved = reservedAmong(seen.keys());
  if (reserved.length > 0) {
    throw new UsageError(
      `refusing to set reserved variable${reserved.length === 1 ? '' : 's'} ${reserved.join(', ')} from secrets`,
      'rename with --only KEY=NAME or --file KEY=NAME (or leave them out with --only)',
    );
  }
}

/**
 * Decides which variables and files the child gets, refusing reserved names, names set twice and binary
 * values in variables. Pure: no I/O, so every rule is tested with tables.
 */
export function planInjection(values: Map<string, SecretValue>, sel: Selection, parentEnv: Record<string, string | undefined>): InjectionPlan {
  const vars = envBindings(values, sel);
  checkTargets(vars, sel.files, sel.only.length > 0);
  const binary = vars.filter((b) => isBinary(values.get(b.key) ?? '')).map((b) => b.key);
  if (binary.length > 0) {
    const k = binary[0] as string;
    throw new UsageError(
      `${binary.join(', ')} ${binary.length === 1 ? 'holds' : 'hold'} binary data, which an environment variable cannot carry`,
      `hand it over as a file: --file ${k}=${k}_FILE`,
    );
  }
  const plan: InjectionPlan = { env: new Map(), files: [], overridden: [], kept: [] };
  const inParent = (name: string): boolean => parentEnv[name] !== undefined;
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

import { UsageError } from '../errors.js';

/** Where a secret lives. `project` / `domain` absent means "any" (the `_` segment in a name). */
export interface Scope {
  org: string;
  project?: string | undefined;
  domain?: string | undefined;
}

export type ScopeKind = 'org' | 'domain' | 'project' | 'project-domain';

/** Most specific first: the order in which a deployment looks for a key. */
export const PRECEDENCE: readonly ScopeKind[] = ['project-domain', 'project', 'domain', 'org'];

const NAME_RE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const KEY_RE = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/**
 * Names the KEY pattern allows that no shell hands over: `_` is a special parameter every shell sets
 * itself (the last argument, the program's path), so `eval "$(scoped export --format shell)"` and a
 * child of `run` would lose its value.
 */
const SHELL_SET_KEYS: ReadonlySet<string> = new Set(['_']);

export const NAME_RULE = 'lower-case letters, digits and inner hyphens, 1-63 characters';
export const KEY_RULE = 'a letter or underscore, then letters, digits or underscores, at most 128 characters (a valid environment variable name; not "_" alone, which shells set)';

export function isValidName(value: string): boolean {
  return NAME_RE.test(value);
}

/** The KEY rule: what a key may be named, checked wherever a key is given (create, set, import, copy, ...). */
export function isValidKey(value: string): boolean {
  return KEY_RE.test(value) && !SHELL_SET_KEYS.has(value);
}

/**
 * A key that may already be stored: the KEY pattern alone. `_` was taken before the KEY rule refused it,
 * so where a key is read, listed, pinned, left out, renamed or deleted, such a key still is: nothing
 * stored is lost. Everything that names a new key uses isValidKey.
 */
export function isStoredKey(value: string): boolean {
  return KEY_RE.test(value);
}

export function validateName(what: 'org' | 'project' | 'domain', value: string): string {
  if (!isValidName(value)) {
    throw new UsageError(`invalid ${what} name ${JSON.stringify(value)}: use ${NAME_RULE}`);
  }
  return value;
}

export function validateKey(value: string): string {
  if (SHELL_SET_KEYS.has(value)) {
    throw new UsageError(`invalid key ${JSON.stringify(value)}: every shell sets ${value} itself, so its value would be lost`, 'give the key another name');
  }
  if (!isValidKey(value)) {
    throw new UsageError(`invalid key ${JSON.stringify(value)}: use ${KEY_RULE}`);
  }
  return value;
}

/** A key to read, list, pin or delete: isStoredKey, else the KEY rule's usage error. */
export function validateStoredKey(value: string): string {
  return isStoredKey(value) ? value : validateKey(value);
}

export function makeScope(org: string, project?: string, domain?: string): Scope {
  return {
    org: validateName('org', org),
    project: project === undefined ? undefined : validateName('project', project),
    domain: domain === undefined ? undefined : validateName('domain', domain),
  };
}

export function scopeKind(scope: Scope): ScopeKind {
  if (scope.project !== undefined) return scope.domain !== undefined ? 'project-domain' : 'project';
  return scope.domain !== undefined ? 'domain' : 'org';
}

/** Human label used in messages and tables, e.g. `project billing, domain production`. */
export function describeScope(scope: Scope): string {
  const parts = [`org ${scope.org}`];
  if (scope.project !== undefined) parts.push(`project ${scope.project}`);
  if (scope.domain !== undefined) parts.push(`domain ${scope.domain}`);
  return parts.join(', ');
}

/** Flags that select this scope on the command line, for hints. */
export function scopeFlags(scope: Scope): string {
  const flags: string[] = [];
  if (scope.project !== undefined) flags.push(`--project ${scope.project}`);
  if (scope.domain !== undefined) flags.push(`--domain ${scope.domain}`);
  return flags.join(' ');
}

export function sameScope(a: Scope, b: Scope): boolean {
  return a.org === b.org && a.project === b.project && a.domain === b.domain;
}

/** The four scopes a deployment sees, most specific first (fewer when project or domain is unset). */
export function deploymentScopes(deployment: Scope): Scope[] {
  const { org, project, domain } = deployment;
  const scopes: Scope[] = [];
  if (project !== undefined && domain !== undefined) scopes.push({ org, project, domain });
  if (project !== undefined) scopes.push({ org, project });
  if (domain !== undefined) scopes.push({ org, domain });
  scopes.push({ org });
  return scopes;
}

/** --project/--domain as given (on the command line, or by a caller): either may be absent. */
export interface ScopeFlags {
  project?: string | undefined;
  domain?: string | undefined;
}

/** A scope in JSON output: the parts it lacks are null. */
export function scopeJson(scope: Scope): { org: string; project: string | null; domain: string | null } {
  return { org: scope.org, project: scope.project ?? null, domain: scope.domain ?? null };
}

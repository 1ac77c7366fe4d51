import { isStoredKey, isValidName, type Scope } from './scope.js';

/** Marks "any project" / "any domain" in a name; never a valid project or domain (names cannot contain `_`). */
export const ANY = '_';
export const DEFAULT_PREFIX = 'scoped/';

export const TAG_ORG = 'scoped:org';
export const TAG_PROJECT = 'scoped:project';
export const TAG_DOMAIN = 'scoped:domain';
export const TAG_KEY = 'scoped:key';

/** `<prefix><org>/<project or _>/<domain or _>/` — the folder holding one scope's keys. */
export function scopePrefix(prefix: string, scope: Scope): string {
  return `${prefix}${scope.org}/${scope.project ?? ANY}/${scope.domain ?? ANY}/`;
}

/** `<prefix><org>/` — every scope of an org. */
export function orgPrefix(prefix: string, org: string): string {
  return `${prefix}${org}/`;
}

export function secretName(prefix: string, scope: Scope, key: string): string {
  return `${scopePrefix(prefix, scope)}${key}`;
}

export interface ParsedName {
  scope: Scope;
  key: string;
}

/**
 * The inverse of `secretName`. Returns undefined for any name that is not exactly ours: outside the
 * prefix, wrong number of segments, a segment breaking the naming rules. Such secrets are never listed,
 * changed or deleted.
 */
export function parseSecretName(prefix: string, name: string): ParsedName | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const parts = name.slice(prefix.length).split('/');
  if (parts.length !== 4) return undefined;
  const [org, project, domain, key] = parts as [string, string, string, string];
  if (!isValidName(org) || !isStoredKey(key)) return undefined;
  if (project !== ANY && !isValidName(project)) return undefined;
  if (domain !== ANY && !isValidName(domain)) return undefined;
  return {
    scope: { org, project: project === ANY ? undefined : project, domain: domain === ANY ? undefined : domain },
    key,
  };
}

/** The scope tags every secret we create carries. The name stays authoritative. */
export function scopeTags(scope: Scope, key: string): Record<string, string> {
  const tags: Record<string, string> = { [TAG_ORG]: scope.org };
  if (scope.project !== undefined) tags[TAG_PROJECT] = scope.project;
  if (scope.domain !== undefined) tags[TAG_DOMAIN] = scope.domain;
  tags[TAG_KEY] = key;
  return tags;
}

export function isReservedTag(tagKey: string): boolean {
  return tagKey.startsWith('scoped:') || tagKey.toLowerCase().startsWith('aws:');
}

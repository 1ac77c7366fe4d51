import { UsageError } from '../errors.js';
import { ANY } from './naming.js';
import { NAME_RULE, isValidName } from './scope.js';

/**
 * A scope address, where two scopes meet (`copy secret --to`): the backend name's middle segments,
 * `P/D` (project-domain), `P/_` (project), `_/D` (domain), `_/_` (org). The org is the global --org.
 */
export interface ScopeAddress {
  project?: string | undefined;
  domain?: string | undefined;
}

const FORMS = 'write PROJECT/DOMAIN, PROJECT/_, _/DOMAIN or _/_ (_ is "any": _/_ is the org scope)';

function segment(what: 'project' | 'domain', text: string, whole: string): string | undefined {
  if (text === ANY) return undefined;
  if (!isValidName(text)) {
    const why = text === '' ? `the ${what} is empty` : `invalid ${what} name ${JSON.stringify(text)}: use ${NAME_RULE}`;
    throw new UsageError(`invalid scope address ${JSON.stringify(whole)}: ${why}`, FORMS);
  }
  return text;
}

/** Pure: `billing/production` -> {project: 'billing', domain: 'production'}; `_/_` -> {} (org). */
export function parseScopeAddress(text: string): ScopeAddress {
  const parts = text.split('/');
  if (parts.length !== 2) throw new UsageError(`invalid scope address ${JSON.stringify(text)}`, FORMS);
  const [p, d] = parts as [string, string];
  return { project: segment('project', p, text), domain: segment('domain', d, text) };
}

/** The inverse of parseScopeAddress. */
export function formatScopeAddress(address: ScopeAddress): string {
  return `${address.project ?? ANY}/${address.domain ?? ANY}`;
}

import { UsageError } from '../errors.js';
import { ANY } from './naming.js';
import { isValidName, NAME_RULE } from './scope.js';

/** A deployment named on the command line or in the config: `P/D`, both parts required. */
export interface DeploymentAddress {
  project: string;
  domain: string;
}

const DEPLOYMENT_FORM = 'write a deployment as PROJECT/DOMAIN, e.g. billing/production';

/**
 * `P/D` -> {project, domain}. Pure: the org is the global `--org`. `_` ("any") names a scope, not a
 * deployment, so it is refused here (`copy` takes scope addresses, which allow it).
 */
export function parseDeploymentAddress(text: string): DeploymentAddress {
  const parts = text.split('/');
  if (parts.length !== 2) throw new UsageError(`invalid deployment ${JSON.stringify(text)}`, DEPLOYMENT_FORM);
  const [project, domain] = parts as [string, string];
  for (const [what, value] of [
    ['project', project],
    ['domain', domain],
  ] as const) {
    if (value === ANY) throw new UsageError(`invalid deployment ${JSON.stringify(text)}: a deployment needs a ${what}, not ${ANY} (any)`, DEPLOYMENT_FORM);
    if (!isValidName(value)) throw new UsageError(`invalid deployment ${JSON.stringify(text)}: ${what} ${JSON.stringify(value)} must be ${NAME_RULE}`, DEPLOYMENT_FORM);
  }
  return { project, domain };
}

/** The address as users write it: `billing/production`. */
export function formatDeploymentAddress(d: DeploymentAddress): string {
  return `${d.project}/${d.domain}`;
}

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

import { globalFlagValues, loadConfig, type FlagValues } from '../config.js';
import { scopePrefix } from '../core/naming.js';
import { deploymentScopes, isValidName, type Scope } from '../core/scope.js';
import { analyseLine, type Candidate, type LineAnalysis, type Source } from './engine.js';
import { configCache } from './config-cache.js';
import { cacheDir } from './names-cache.js';
import { orgNames, refreshNames, type NamesDeps } from './org-names.js';
import { deploymentCandidates, domainCandidates, keyCandidates, nameEntries, projectCandidates } from './store-values.js';
import type { CommandSpec } from './tree.js';

/**
 * Project, domain and KEY candidates from the store's names: loaded (with the config and the names
 * cache) only when the word at the cursor asks for one of them.
 */

/** What of complete.ts's deps this side uses (not imported from there: complete.ts imports this lazily). */
type StoreDeps = NamesDeps & { cwd: string };
type StoreSource = Extract<Source, { kind: 'projects' | 'domains' | 'keys' | 'deployments' }>;

/** Settings that pick the store, as typed on the line; deployment commands add --project/--domain. */
function flagValues(line: LineAnalysis, deployment: boolean): FlagValues {
  const v = line.values;
  const flags: FlagValues = globalFlagValues(v);
  return deployment ? { ...flags, project: v.project, domain: v.domain } : flags;
}

export async function fromStore(line: LineAnalysis, source: StoreSource, words: readonly string[], deps: StoreDeps, deadline: number): Promise<Candidate[]> {
  const deployment = source.kind === 'keys' && source.mode === 'deployment';
  const config = await loadConfig(flagValues(line, deployment), deps.env, deps.cwd, { parsed: configCache(cacheDir(deps.env)) });
  const scope: Scope = deployment
    ? { org: config.org.value, project: config.project.value, domain: config.domain.value }
    : { org: config.org.value, project: line.values.project, domain: line.values.domain };
  // A project or domain the command would refuse (a flag, SCOPED_PROJECT, the file): an error, so nothing.
  if (source.kind === 'keys' && ![scope.project, scope.domain].every((n) => n === undefined || isValidName(n))) return [];
  const liveOnly = source.kind !== 'keys' || source.mode === 'at-scope' || source.mode === 'deployment';
  const names = await orgNames(config, words, deps, deadline, { prefixes: keyPrefixes(config.prefix.value, source, scope), liveOnly });
  if (!names) return [];
  const entries = nameEntries(config.prefix.value, names.names, names.deleted);
  if (source.kind === 'projects') return projectCandidates(entries);
  if (source.kind === 'domains') return domainCandidates(entries);
  if (source.kind === 'deployments') return deploymentCandidates(entries, source.exclude);
  return keyCandidates(entries, source.mode, scope, source.exclude);
}

/** The scopes a key completion needs, when not the whole org: a Tab then costs the scope, not the store. */
function keyPrefixes(prefix: string, source: StoreSource, scope: Scope): string[] | undefined {
  if (source.kind !== 'keys' || source.mode === 'elsewhere-in-org') return undefined;
  return (source.mode === 'deployment' ? deploymentScopes(scope) : [scope]).map((s) => scopePrefix(prefix, s));
}

/** The store's listing, for system.ts (from this module, which a Tab that needs names has loaded already). */
export { listOrgNames } from './org-names.js';

/** `scoped __complete refresh -- <words...>`: fills the names cache for the store the line names. */
export async function refreshForLine(root: CommandSpec, words: readonly string[], deps: StoreDeps): Promise<void> {
  const line = analyseLine(root, words.length > 0 ? words : ['']);
  const config = await loadConfig(flagValues(line, false), deps.env, deps.cwd, { parsed: configCache(cacheDir(deps.env)) });
  await refreshNames(config, deps);
}

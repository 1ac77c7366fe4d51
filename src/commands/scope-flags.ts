import { secretName } from '../core/naming.js';
import { makeScope, validateName, validateStoredKey, type Scope, type ScopeFlags } from '../core/scope.js';
import { validateWithSource, type Config } from '../config.js';
import type { Context } from '../cli/context.js';

/**
 * A command's --project/--domain flags -> the scope it works on: a management command's exact scope, a
 * deployment command's deployment (flags, env, config file), a secret command's target name.
 * (ScopeFlags and scopeJson, which the application layer uses too, are core/scope.ts's.)
 */

/** Just the scope flags of a command's options (which hold more). */
export function scopeFlagsOf(opts: ScopeFlags): ScopeFlags {
  return { project: opts.project, domain: opts.domain };
}

/** Management commands: the scope comes from the flags only (no flag = org scope, as in flyte). */
export async function managementScope(ctx: Context, flags: ScopeFlags): Promise<Scope> {
  const config = await ctx.config();
  return makeScope(config.org.value, flags.project, flags.domain);
}

/** Deployment commands: flags, then SCOPED_PROJECT / SCOPED_DOMAIN, then the config file. */
export async function deploymentScope(ctx: Context, flags: ScopeFlags): Promise<Scope> {
  const config = await ctx.withDeploymentFlags(flags).config();
  checkDeploymentNames(config);
  return makeScope(config.org.value, config.project.value, config.domain.value);
}

/** A deployment's project and domain (as deploymentScope reads them) by the name rule; an error names a bad one's source. */
export function checkDeploymentNames(config: Config): void {
  const { project, domain } = config;
  if (project.value !== undefined) validateWithSource(() => validateName('project', project.value as string), project.source);
  if (domain.value !== undefined) validateWithSource(() => validateName('domain', domain.value as string), domain.source);
}

export interface Target {
  scope: Scope;
  key: string;
  name: string;
}

/** KEY at a command's scope. Any stored key: the commands that may make one check the KEY rule first (newKeyAtScope). */
export async function target(ctx: Context, key: string, flags: ScopeFlags): Promise<Target> {
  validateStoredKey(key);
  const scope = await managementScope(ctx, flags);
  const config = await ctx.config();
  return { scope, key, name: secretName(config.prefix.value, scope, key) };
}

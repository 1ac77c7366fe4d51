import { ConflictError, NotFoundError, ScopedError } from '../errors.js';
import { secretName } from '../core/naming.js';
import { describeScope, makeScope, scopeFlags, validateKey, validateName, type Scope, type ScopeFlags } from '../core/scope.js';
import { validateWithSource } from '../config.js';
import type { Context } from '../cli/context.js';

// ScopeFlags and scopeJson live in core/scope.ts (the application layer uses them too); commands get them here.
export { scopeJson, type ScopeFlags } from '../core/scope.js';

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
  const { project, domain } = config;
  if (project.value !== undefined) validateWithSource(() => validateName('project', project.value as string), project.source);
  if (domain.value !== undefined) validateWithSource(() => validateName('domain', domain.value as string), domain.source);
  return makeScope(config.org.value, project.value, domain.value);
}

export interface Target {
  scope: Scope;
  key: string;
  name: string;
}

export async function target(ctx: Context, key: string, flags: ScopeFlags): Promise<Target> {
  validateKey(key);
  const scope = await managementScope(ctx, flags);
  const config = await ctx.config();
  return { scope, key, name: secretName(config.prefix.value, scope, key) };
}

/** `scoped <verb> secret KEY --project p`: how to name this secret in a hint. */
export function commandFor(verb: string, t: Target): string {
  const flags = scopeFlags(t.scope);
  return `scoped ${verb} secret ${t.key}${flags ? ` ${flags}` : ''}`;
}

/**
 * Store errors name backend names; users think in keys and scopes. Rephrase the usual ones with the
 * command that helps, keeping the error's class (and so its exit code).
 */
export function explain(err: unknown, t: Target): unknown {
  if (!(err instanceof ScopedError)) return err;
  const where = `${t.key} at ${describeScope(t.scope)}`;
  if (err instanceof NotFoundError && err.subject === 'secret') {
    return err.withMessage(`no secret ${where}`, `list this scope with: scoped get secret${scopeFlags(t.scope) ? ` ${scopeFlags(t.scope)}` : ''}`);
  }
  if (err instanceof ConflictError && err.reason === 'scheduled-for-deletion') {
    return err.withMessage(`secret ${where} is scheduled for deletion`, `undo that with: ${commandFor('restore', t)}`);
  }
  if (err instanceof ConflictError && err.reason === 'exists') {
    return err.withMessage(`secret ${where} already exists`, `change it with: ${commandFor('update', t)}`);
  }
  return err;
}

export async function explained<T>(t: Target, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw explain(err, t);
  }
}

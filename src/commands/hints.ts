import { ConflictError, NotFoundError, ScopedError } from '../errors.js';
import { describeScope, scopeFlags } from '../core/scope.js';
import type { Target } from './scope-flags.js';

/** What a secret command says when the store refuses: the key and scope, and the command that helps. */

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

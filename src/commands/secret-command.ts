import { ConflictError, InterruptedError, UsageError } from '../errors.js';
import { describeScope, scopeJson, validateKey, type ScopeFlags } from '../core/scope.js';
import { canPrompt } from '../io.js';
import type { Context } from '../cli/context.js';
import { defineCommand, type CommandDefinition, type DefinedCommand, type FlagsOf, type FlagTable } from '../cli/define-command.js';
import type { SecretStore } from '../store/types.js';
import { scopeOptions, type ScopeOptions } from './options.js';
import { target, type Target } from './scope-flags.js';
import { explain } from './hints.js';
import type { Verb } from './verbs.js';

/**
 * What the `<verb> secret KEY` commands share: the KEY argument, the -p/-d flags that name its scope, and the
 * wiring "KEY at a scope -> the store -> say what happened" (the name in messages, in -o json, the refusals).
 */

/** The KEY argument of a command on a secret that exists. */
export const KEY_ARGUMENT = ['<KEY>', 'secret key'] as const;
/** The KEY argument of a command that may make the secret. */
export const NEW_KEY_ARGUMENT = ['<KEY>', 'secret key, a valid environment variable name'] as const;
/** The VALUE argument of a command that writes one. */
export const VALUE_ARGUMENT = ['[VALUE]', 'the value (lands in shell history: prefer stdin or --from-file)'] as const;
/** Where a written value comes from, when not VALUE. */
export const FROM_FILE_FLAG = ['-f, --from-file <path>', 'read the value from a file ("-" for stdin); binary stays binary'] as const;
/** What -p/-d say on a command about one scope. */
export const SCOPE_FLAGS_TEXT = 'scope (omit both for org scope)';

/** A secret command's flags: -p/-d, then its own. */
export type SecretFlagTable<T extends FlagTable> = readonly [...ScopeOptions, ...T];

export interface SecretCommandDefinition<T extends FlagTable, O> extends Omit<CommandDefinition<SecretFlagTable<T>, O>, 'verb' | 'name' | 'options'> {
  verb: Verb;
  /** What -p/-d say (default SCOPE_FLAGS_TEXT). */
  scope?: string;
  /** The command's own flags, after -p/-d. */
  options?: T;
}

/** `scoped <verb> secret`: KEY_ARGUMENT unless `arguments` says otherwise, -p/-d first among its flags. */
export function defineSecretCommand<const T extends FlagTable = readonly [], O = unknown>(def: SecretCommandDefinition<T, O>): DefinedCommand<FlagsOf<SecretFlagTable<T>>, O> {
  const { scope = SCOPE_FLAGS_TEXT, options = [] as FlagTable as T, arguments: args = [KEY_ARGUMENT], ...rest } = def;
  return defineCommand<SecretFlagTable<T>, O>({ ...rest, name: 'secret', arguments: args, options: [...scopeOptions(scope), ...options] });
}

/** What every secret command's options hold: the KEY and the scope flags. */
export interface KeyAtScope extends ScopeFlags {
  key: string;
}

/** The positional KEY and the scope flags, as every secret command's options hold them. */
export function keyAtScope(args: string[], flags: ScopeFlags): KeyAtScope {
  return { project: flags.project, domain: flags.domain, key: args[0] as string };
}

/**
 * keyAtScope for a command that may make the secret (NEW_KEY_ARGUMENT): KEY by the KEY rule, before
 * anything is read or asked. The others take any stored key (target), so one taken before still reads.
 */
export function newKeyAtScope(args: string[], flags: ScopeFlags): KeyAtScope {
  validateKey(args[0] as string);
  return keyAtScope(args, flags);
}

/** How a message names the secret: `KEY at project p, domain d`. */
export function whereIs(t: Target): string {
  return `${t.key} at ${describeScope(t.scope)}`;
}

/** The secret in -o json: its key, scope and backend name, before what the command adds. */
export function secretJson(t: Target): { key: string; scope: ReturnType<typeof scopeJson>; name: string } {
  return { key: t.key, scope: scopeJson(t.scope), name: t.name };
}

/** A secret found scheduled for deletion, refused in keys and scopes with the command that restores it. */
export function scheduledForDeletion(t: Target): unknown {
  return explain(new ConflictError('scheduled-for-deletion', `secret ${t.name} is scheduled for deletion`), t);
}

/** KEY at the command's scope (checked first), how messages name it, then the store. */
export async function secretAt(ctx: Context, o: KeyAtScope): Promise<{ t: Target; where: string; store: SecretStore }> {
  const t = await target(ctx, o.key, o);
  return { t, where: whereIs(t), store: await ctx.store() };
}

/** Without --yes a command that asks first needs a terminal: a usage error before anything is read. */
export function needConfirmation(ctx: Context, what: string): void {
  if (!ctx.global.yes && !canPrompt(ctx.io)) throw new UsageError(`refusing to ${what} without confirmation`, 'add --yes when not on a terminal');
}

/** Asks `question` on the terminal unless --yes; a no is `cancelled` (exit 130). */
export async function confirmed(ctx: Context, question: string, cancelled: string): Promise<void> {
  if (ctx.global.yes) return;
  if (!(await ctx.io.prompter.confirm(question))) throw new InterruptedError(cancelled);
}

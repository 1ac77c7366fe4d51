import { TAG_LINK } from '../core/link.js';
import { describeOwn, linkWriteRefusal } from '../store/links.js';
import { buildGenerate, GENERATE_OPTIONS, revealGenerated, type Generate } from './generate.js';
import { scopeTags } from '../core/naming.js';
import type { Context } from '../cli/context.js';
import { printResult } from '../cli/output.js';
import { readValue, warnArgumentValue } from '../cli/value-source.js';
import { NotFoundError, UsageError } from '../errors.js';
import { checkDescription, checkValue } from '../store/limits.js';
import { sameValue } from '../import/plan.js';
import type { SecretDetails, SecretStore } from '../store/types.js';
import { target, type Target } from './scope-flags.js';
import { commandFor, explain, explained } from './hints.js';
import { checkReveal } from './options.js';
import {
  defineSecretCommand,
  FROM_FILE_FLAG,
  NEW_KEY_ARGUMENT,
  newKeyAtScope,
  scheduledForDeletion,
  secretJson,
  VALUE_ARGUMENT,
  whereIs,
  type KeyAtScope,
} from './secret-command.js';

export const setSecretCommand = defineSecretCommand({
  verb: 'set',
  summary: 'create a secret, or store a new value only if it differs (prints Created, Updated or Unchanged)',
  arguments: [NEW_KEY_ARGUMENT, VALUE_ARGUMENT],
  examples: ['scoped set secret TLS_KEY --from-file tls.key --description "edge TLS key"', 'printf %s "$TOKEN" | scoped set secret API_TOKEN -p billing -d production'],
  options: [
    FROM_FILE_FLAG,
    ['--description <text>', 'description: set on create, and on an existing secret when it differs'],
    ['--rotate', 'with --generate: a new value for an existing key too (without it, an existing key is Unchanged)'],
    ...GENERATE_OPTIONS,
  ],
  build: (args, flags, global): SetSecretOptions => {
    const value = args[1];
    if (flags.description !== undefined) checkDescription(flags.description);
    const generate = buildGenerate(flags, { value, fromFile: flags.fromFile });
    if (flags.rotate === true && generate === undefined) throw new UsageError('--rotate applies to --generate', 'add --generate, or leave out --rotate');
    // The value made, printed alone: no -o shape, as `get secret --reveal` (checked before anything is written).
    checkReveal('set secret --generate', { reveal: generate?.reveal === true, raw: false }, global.output);
    return { ...newKeyAtScope(args, flags), value, fromFile: flags.fromFile, description: flags.description, generate, rotate: flags.rotate === true };
  },
  run: runSetSecret,
});

export interface SetSecretOptions extends KeyAtScope {
  value?: string | undefined;
  fromFile?: string | undefined;
  description?: string | undefined;
  /** --generate: the value is made, not given. */
  generate?: Generate | undefined;
  rotate: boolean;
}

export type SetAction = 'created' | 'updated' | 'unchanged';

/** The secret as it stands, or undefined; a name scheduled for deletion is a conflict naming restore. */
async function current(store: SecretStore, t: Target): Promise<SecretDetails | undefined> {
  const found = await describeOwn(store, t.name).catch((err: unknown) => {
    if (err instanceof NotFoundError) return undefined;
    throw explain(err, t);
  });
  if (found?.deletedAt) throw scheduledForDeletion(t);
  return found;
}

/**
 * Create, or a new version only when the value differs (versions are a quota on Secrets Manager; an equal
 * value, compared in memory byte for byte, writes nothing). --description applies on create, and on an
 * existing secret is set when it differs from the stored one.
 */
export async function runSetSecret(ctx: Context, o: SetSecretOptions): Promise<void> {
  const t = await target(ctx, o.key, o);
  const source = { arg: o.value, fromFile: o.fromFile };
  const store = await ctx.store();
  // Before a prompt: a name scheduled for deletion fails before anyone types a value.
  const before = await current(store, t);
  if (before?.tags[TAG_LINK] !== undefined) throw linkWriteRefusal(whereIs(t), commandFor('link', t), commandFor('delete', t));
  // --generate on an existing key: Unchanged unless --rotate (a random value always differs).
  const keep = o.generate !== undefined && before !== undefined && !o.rotate;
  const value = keep ? undefined : o.generate !== undefined ? await store.randomPassword(o.generate.rules) : await readValue(ctx, source, whereIs(t));
  if (value !== undefined) checkValue(value);
  let action: SetAction;
  let versionId: string | null = null;
  if (value === undefined) action = 'unchanged';
  else if (before === undefined) {
    const tags = scopeTags(t.scope, t.key);
    versionId = (await explained(t, () => store.create({ name: t.name, value, description: o.description, tags }))).versionId;
    action = 'created';
  } else {
    const stored = await explained(t, () => store.getValue(t.name));
    if (sameValue(stored.value, value)) action = 'unchanged';
    else {
      versionId = (await explained(t, () => store.putValue(t.name, value))).versionId;
      action = 'updated';
    }
  }
  const describe = before !== undefined && o.description !== undefined && o.description !== (before.description ?? '');
  if (describe) await explained(t, () => store.updateDescription(t.name, o.description as string));
  const word = action === 'created' ? 'Created' : action === 'updated' ? 'Updated' : 'Unchanged';
  ctx.success(`${word} ${whereIs(t)}${describe ? ' (description updated)' : ''}`);
  warnArgumentValue(ctx, source);
  if (o.generate?.reveal === true && typeof value === 'string') revealGenerated(ctx, o.generate, value);
  else await printResult(ctx, { ...secretJson(t), action, versionId, descriptionUpdated: describe });
}

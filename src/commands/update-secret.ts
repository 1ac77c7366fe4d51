import { TAG_LINK } from '../core/link.js';
import { describeOwn, linkWriteRefusal } from '../store/links.js';
import type { Context } from '../cli/context.js';
import { printResult } from '../cli/output.js';
import { readValue, warnArgumentValue } from '../cli/value-source.js';
import { UsageError } from '../errors.js';
import { commandFor, explained } from './hints.js';
import { defineSecretCommand, FROM_FILE_FLAG, KEY_ARGUMENT, keyAtScope, scheduledForDeletion, secretAt, secretJson, type KeyAtScope } from './secret-command.js';

export const updateSecretCommand = defineSecretCommand({
  verb: 'update',
  summary: 'store a new current value of a secret (the old one stays as AWSPREVIOUS)',
  arguments: [KEY_ARGUMENT, ['[VALUE]', 'the new value (lands in shell history: prefer stdin or --from-file)']],
  examples: [
    'scoped update secret DB_PASSWORD -p billing -d production --from-file new-password.txt',
    "scoped update secret DB_PASSWORD -p billing --no-value --description 'rotated monthly'",
  ],
  options: [FROM_FILE_FLAG, ['--description <text>', 'new description'], ['--no-value', 'change only the description']],
  build: (args, flags): UpdateSecretOptions => {
    const value = args[1];
    const descriptionOnly = flags.value === false;
    if (descriptionOnly && (value !== undefined || flags.fromFile !== undefined)) {
      throw new UsageError('--no-value cannot be combined with VALUE or --from-file');
    }
    if (descriptionOnly && flags.description === undefined) throw new UsageError('--no-value needs --description');
    return { ...keyAtScope(args, flags), value, fromFile: flags.fromFile, description: flags.description, descriptionOnly };
  },
  run: runUpdateSecret,
});

export interface UpdateSecretOptions extends KeyAtScope {
  value?: string | undefined;
  fromFile?: string | undefined;
  description?: string | undefined;
  /** Only the description changes; no new value is read. */
  descriptionOnly: boolean;
}

export async function runUpdateSecret(ctx: Context, o: UpdateSecretOptions): Promise<void> {
  const { t, where, store } = await secretAt(ctx, o);
  const source = { arg: o.value, fromFile: o.fromFile };
  // Check existence first: a missing secret fails before a value is asked for or anything is written.
  const found = await explained(t, () => describeOwn(store, t.name));
  if (found.deletedAt) throw scheduledForDeletion(t);
  // A link's description is its own; its value is its target's, which scoped never writes.
  if (!o.descriptionOnly && found.tags[TAG_LINK] !== undefined) throw linkWriteRefusal(where, commandFor('link', t), commandFor('delete', t));
  const value = o.descriptionOnly ? undefined : await readValue(ctx, source, where);
  let versionId: string | undefined;
  if (value !== undefined) versionId = (await explained(t, () => store.putValue(t.name, value))).versionId;
  if (o.description !== undefined) await explained(t, () => store.updateDescription(t.name, o.description as string));
  ctx.success(`Updated ${where}`);
  warnArgumentValue(ctx, source);
  await printResult(ctx, { ...secretJson(t), versionId: versionId ?? null });
}

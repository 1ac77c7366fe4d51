import { describeScope, scopeJson, type ScopeFlags } from '../core/scope.js';
import { TAG_LINK } from '../core/link.js';
import { describeOwn, linkWriteRefusal } from '../store/links.js';
import type { Context } from '../cli/context.js';
import { printResult } from '../cli/output.js';
import { defineCommand, type FlagsOf, type NewCommand } from '../cli/define-command.js';
import { scopeOptions } from './options.js';
import { readValue, warnArgumentValue } from '../cli/value-source.js';
import { ConflictError, UsageError } from '../errors.js';
import { scopeFlagsOf, target } from './scope-flags.js';
import { commandFor, explain, explained } from './hints.js';

export const updateSecretCommand = defineCommand({
  verb: ['update', 'update a resource'],
  name: 'secret',
  summary: 'store a new current value of a secret (the old one stays as AWSPREVIOUS)',
  arguments: [
    ['<KEY>', 'secret key'],
    ['[VALUE]', 'the new value (lands in shell history: prefer stdin or --from-file)'],
  ],
  examples: [
    'scoped update secret DB_PASSWORD -p billing -d production --from-file new-password.txt',
    "scoped update secret DB_PASSWORD -p billing --no-value --description 'rotated monthly'",
  ],
  options: updateSecretFlags,
  build: buildUpdateSecretOptions,
  run: runUpdateSecret,
});

function updateSecretFlags(cmd: NewCommand) {
  return scopeOptions(cmd, 'scope (omit both for org scope)')
    .option('-f, --from-file <path>', 'read the value from a file ("-" for stdin); binary stays binary')
    .option('--description <text>', 'new description')
    .option('--no-value', 'change only the description');
}

/** The options as parsed, typed from the definitions above. */
export type UpdateSecretFlags = FlagsOf<typeof updateSecretFlags>;

export interface UpdateSecretOptions extends ScopeFlags {
  key: string;
  value?: string | undefined;
  fromFile?: string | undefined;
  description?: string | undefined;
  /** Only the description changes; no new value is read. */
  descriptionOnly: boolean;
}

export function buildUpdateSecretOptions(args: string[], opts: UpdateSecretFlags): UpdateSecretOptions {
  const [key, value] = args as [string, string | undefined];
  const descriptionOnly = opts.value === false;
  if (descriptionOnly && (value !== undefined || opts.fromFile !== undefined)) {
    throw new UsageError('--no-value cannot be combined with VALUE or --from-file');
  }
  if (descriptionOnly && opts.description === undefined) throw new UsageError('--no-value needs --description');
  return {
    ...scopeFlagsOf(opts),
    key,
    value,
    fromFile: opts.fromFile,
    description: opts.description,
    descriptionOnly,
  };
}

export async function runUpdateSecret(ctx: Context, o: UpdateSecretOptions): Promise<void> {
  const t = await target(ctx, o.key, o);
  const source = { arg: o.value, fromFile: o.fromFile };
  const store = await ctx.store();
  // Check existence first: a missing secret fails before a value is asked for or anything is written.
  const found = await explained(t, () => describeOwn(store, t.name));
  if (found.deletedAt) throw explain(new ConflictError('scheduled-for-deletion', `secret ${t.name} is scheduled for deletion`), t);
  // A link's description is its own; its value is its target's, which scoped never writes.
  if (!o.descriptionOnly && found.tags[TAG_LINK] !== undefined) throw linkWriteRefusal(`${t.key} at ${describeScope(t.scope)}`, commandFor('link', t), commandFor('delete', t));
  const value = o.descriptionOnly ? undefined : await readValue(ctx, source, `${o.key} at ${describeScope(t.scope)}`);
  let versionId: string | undefined;
  if (value !== undefined) versionId = (await explained(t, () => store.putValue(t.name, value))).versionId;
  if (o.description !== undefined) await explained(t, () => store.updateDescription(t.name, o.description as string));
  ctx.success(`Updated ${t.key} at ${describeScope(t.scope)}`);
  warnArgumentValue(ctx, source);
  await printResult(ctx, { key: t.key, scope: scopeJson(t.scope), name: t.name, versionId: versionId ?? null });
}

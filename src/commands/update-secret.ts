import { describeScope } from '../core/scope.js';
import type { Context } from '../cli/context.js';
import { printResult } from '../cli/output.js';
import type { OptsOf, Program } from '../cli/program-types.js';
import { withExamples } from '../cli/help.js';
import { scopeOptions } from './options.js';
import { readValue, warnArgumentValue } from '../cli/value-source.js';
import { ConflictError, UsageError } from '../errors.js';
import { explain, explained, scopeFlagsOf, scopeJson, target, type ScopeFlags } from './shared.js';

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
  const found = await explained(t, () => store.describe(t.name));
  if (found.deletedAt) throw explain(new ConflictError('scheduled-for-deletion', `secret ${t.name} is scheduled for deletion`), t);
  const value = o.descriptionOnly ? undefined : await readValue(ctx, source, `${o.key} at ${describeScope(t.scope)}`);
  let versionId: string | undefined;
  if (value !== undefined) versionId = (await explained(t, () => store.putValue(t.name, value))).versionId;
  if (o.description !== undefined) await explained(t, () => store.updateDescription(t.name, o.description as string));
  ctx.success(`Updated ${t.key} at ${describeScope(t.scope)}`);
  warnArgumentValue(ctx, source);
  await printResult(ctx, { key: t.key, scope: scopeJson(t.scope), name: t.name, versionId: versionId ?? null });
}

function defineUpdateSecret(program: Program) {
  const cmd = program
    .verb('update', 'update a resource')
    .command('secret')
    .description('store a new current value of a secret (the old one stays as AWSPREVIOUS)')
    .argument('<KEY>', 'secret key')
    .argument('[VALUE]', 'the new value (lands in shell history: prefer stdin or --from-file)');
  withExamples(cmd, [
    'scoped update secret DB_PASSWORD -p billing -d production --from-file new-password.txt',
    'scoped update secret DB_PASSWORD -p billing --no-value --description \'rotated monthly\'',
  ]);
  return scopeOptions(cmd, 'scope (omit both for org scope)')
    .option('-f, --from-file <path>', 'read the value from a file ("-" for stdin); binary stays binary')
    .option('--description <text>', 'new description')
    .option('--no-value', 'change only the description');
}

/** The options as parsed, typed from the definitions above. */
export type UpdateSecretFlags = OptsOf<ReturnType<typeof defineUpdateSecret>>;

export function registerUpdateSecret(program: Program): void {
  const cmd = defineUpdateSecret(program);
  program.action(cmd, (ctx, args, opts) => runUpdateSecret(ctx, buildUpdateSecretOptions(args, opts)));
}

import { ConflictError, UsageError } from '../errors.js';
import { isReservedTag, scopeTags } from '../core/naming.js';
import { describeScope } from '../core/scope.js';
import type { Context } from '../cli/context.js';
import { printResult } from '../cli/output.js';
import type { OptsOf, Program } from '../cli/program-types.js';
import { withExamples } from '../cli/help.js';
import { collect, scopeOptions } from './options.js';
import { readValue, warnArgumentValue, willPrompt } from '../cli/value-source.js';
import { NotFoundError } from '../errors.js';
import { explain, explained, scopeFlagsOf, scopeJson, target, type ScopeFlags, type Target } from './shared.js';
import type { SecretStore } from '../store/types.js';

export interface CreateSecretOptions extends ScopeFlags {
  key: string;
  value?: string | undefined;
  fromFile?: string | undefined;
  description?: string | undefined;
  tags: Record<string, string>;
  kmsKeyId?: string | undefined;
  replicaRegions: string[];
}

/** `k=v` pairs; our own `scoped:` tags and AWS's `aws:` tags are not the user's to set. */
export function parseTags(pairs: string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid --tag ${JSON.stringify(pair)}`, 'write it as key=value');
    const k = pair.slice(0, eq);
    if (isReservedTag(k)) throw new UsageError(`tag key ${JSON.stringify(k)} is reserved`, 'scoped:* and aws:* tags are set by scoped and AWS');
    tags[k] = pair.slice(eq + 1);
  }
  return tags;
}

export function buildCreateSecretOptions(args: string[], opts: CreateSecretFlags): CreateSecretOptions {
  const [key, value] = args as [string, string | undefined];
  return {
    ...scopeFlagsOf(opts),
    key,
    value,
    fromFile: opts.fromFile,
    description: opts.description,
    tags: parseTags(opts.tag ?? []),
    kmsKeyId: opts.kmsKeyId,
    replicaRegions: opts.replicaRegion ?? [],
  };
}

/** Before a prompt: the key must not exist (or be scheduled for deletion), as create would find afterwards. */
async function mustBeFree(store: SecretStore, t: Target): Promise<void> {
  const found = await store.describe(t.name).catch((err: unknown) => {
    if (err instanceof NotFoundError) return undefined;
    throw explain(err, t);
  });
  if (!found) return;
  const reason = found.deletedAt ? 'scheduled-for-deletion' : 'exists';
  throw explain(new ConflictError(reason, `secret ${t.name} ${reason === 'exists' ? 'already exists' : 'is scheduled for deletion'}`), t);
}

export async function runCreateSecret(ctx: Context, o: CreateSecretOptions): Promise<void> {
  const t = await target(ctx, o.key, o);
  const source = { arg: o.value, fromFile: o.fromFile };
  const store = await ctx.store();
  if (willPrompt(ctx, source)) await mustBeFree(store, t);
  const value = await readValue(ctx, source, `${o.key} at ${describeScope(t.scope)}`);
  const { versionId } = await explained(t, () =>
    store.create({
      name: t.name,
      value,
      description: o.description,
      tags: { ...o.tags, ...scopeTags(t.scope, t.key) },
      kmsKeyId: o.kmsKeyId,
      replicaRegions: o.replicaRegions,
    }),
  );
  ctx.success(`Created ${t.key} at ${describeScope(t.scope)}`);
  warnArgumentValue(ctx, source);
  await printResult(ctx, { key: t.key, scope: scopeJson(t.scope), name: t.name, versionId });
}

function defineCreateSecret(program: Program) {
  const cmd = program
    .verb('create', 'create a resource')
    .command('secret')
    .description('create a secret at a scope (value from VALUE, --from-file, stdin, or a hidden prompt)')
    .argument('<KEY>', 'secret key, a valid environment variable name')
    .argument('[VALUE]', 'the value (lands in shell history: prefer stdin or --from-file)');
  withExamples(cmd, [
    'scoped create secret DB_PASSWORD -p billing -d production',
    'printf %s "$TOKEN" | scoped create secret API_TOKEN -p billing --from-file -',
    'scoped create secret TLS_KEY -d production --from-file key.pem --description \'TLS key\' --tag team=infra',
  ]);
  return scopeOptions(cmd, 'scope (omit both for org scope)')
    .option('-f, --from-file <path>', 'read the value from a file ("-" for stdin); binary stays binary')
    .option('--description <text>', 'description (at most 2,048 characters)')
    .option('--tag <key=value>', 'extra tag (repeatable)', collect)
    .option('--kms-key-id <id>', 'KMS key for the value (aws)')
    .option('--replica-region <region>', 'replicate to this region (aws; repeatable)', collect);
}

/** The options as parsed, typed from the definitions above. */
export type CreateSecretFlags = OptsOf<ReturnType<typeof defineCreateSecret>>;

export function registerCreateSecret(program: Program): void {
  const cmd = defineCreateSecret(program);
  program.action(cmd, (ctx, args, opts) => runCreateSecret(ctx, buildCreateSecretOptions(args, opts)));
}

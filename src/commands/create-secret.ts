import { ConflictError, NotFoundError, UsageError } from '../errors.js';
import { buildGenerate, GENERATE_OPTIONS, revealGenerated, type Generate } from './generate.js';
import { isReservedTag, scopeTags } from '../core/naming.js';
import { checkKmsKeyId, checkReplicaRegions } from '../store/inputs.js';
import { refuseUnusableFlags } from '../config.js';
import type { Context } from '../cli/context.js';
import { printResult } from '../cli/output.js';
import { readValue, warnArgumentValue, willPrompt } from '../cli/value-source.js';
import { target, type Target } from './scope-flags.js';
import { defineSecretCommand, FROM_FILE_FLAG, NEW_KEY_ARGUMENT, newKeyAtScope, secretJson, VALUE_ARGUMENT, whereIs, type KeyAtScope } from './secret-command.js';
import { explain, explained } from './hints.js';
import { checkReveal } from './options.js';
import type { SecretStore } from '../store/types.js';

export const createSecretCommand = defineSecretCommand({
  verb: 'create',
  summary: 'create a secret at a scope (value from VALUE, --from-file, stdin, or a hidden prompt)',
  arguments: [NEW_KEY_ARGUMENT, VALUE_ARGUMENT],
  examples: [
    'scoped create secret DB_PASSWORD -p billing -d production',
    'printf %s "$TOKEN" | scoped create secret API_TOKEN -p billing --from-file -',
    "scoped create secret TLS_KEY -d production --from-file key.pem --description 'TLS key' --tag team=infra",
  ],
  options: [
    FROM_FILE_FLAG,
    ['--description <text>', 'description (at most 2,048 characters)'],
    ['--tag <key=value>', 'extra tag (repeatable)', { repeatable: true }],
    ['--kms-key-id <id>', 'KMS key for the value (aws)'],
    ['--replica-region <region>', 'replicate to this region (aws; repeatable)', { repeatable: true }],
    ...GENERATE_OPTIONS,
  ],
  build: (args, flags, global): CreateSecretOptions => {
    const value = args[1];
    const generate = buildGenerate(flags, { value, fromFile: flags.fromFile });
    // The value made, printed alone: no -o shape, as `get secret --reveal` (checked before anything is written).
    checkReveal('create secret --generate', { reveal: generate?.reveal === true, raw: false }, global.output);
    return {
      ...newKeyAtScope(args, flags),
      value,
      fromFile: flags.fromFile,
      description: flags.description,
      tags: parseTags(flags.tag ?? []),
      // Checked here, before any prompt or request, by the same rule the AWS store applies.
      kmsKeyId: flags.kmsKeyId === undefined ? undefined : checkKmsKeyId(flags.kmsKeyId),
      replicaRegions: parseReplicaRegions(flags.replicaRegion ?? []),
      generate,
    };
  },
  run: runCreateSecret,
});

export interface CreateSecretOptions extends KeyAtScope {
  value?: string | undefined;
  fromFile?: string | undefined;
  description?: string | undefined;
  tags: Record<string, string>;
  kmsKeyId?: string | undefined;
  replicaRegions: string[];
  /** --generate: the value is made, not given. */
  generate?: Generate | undefined;
}

/** AWS's tag rules, applied on every backend so a tag the local store takes also works on AWS. */
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const MAX_TAG_KEY = 128;
const MAX_TAG_VALUE = 256;
/** Secrets Manager allows 50 tags a secret; scoped's own take up to 4 (org, project, domain, key). */
export const MAX_USER_TAGS = 46;

function checkTag(k: string, v: string): void {
  const bad = (what: string, rule: string) =>
    new UsageError(`--tag ${JSON.stringify(k)}: the ${what} ${rule}`, "tags hold letters, digits, spaces and _ . : / = + - @ (AWS's tag rules)");
  if (isReservedTag(k)) throw new UsageError(`tag key ${JSON.stringify(k)} is reserved`, 'scoped:* and aws:* tags are set by scoped and AWS');
  if ([...k].length > MAX_TAG_KEY) throw bad('key', `is over ${MAX_TAG_KEY} characters`);
  if ([...v].length > MAX_TAG_VALUE) throw bad('value', `is over ${MAX_TAG_VALUE} characters`);
  if (!TAG_TEXT.test(k)) throw bad('key', 'has a character AWS does not allow in tags');
  if (!TAG_TEXT.test(v)) throw bad('value', 'has a character AWS does not allow in tags');
}

/** `k=v` pairs; our own `scoped:` tags and AWS's `aws:` tags are not the user's to set. */
export function parseTags(pairs: string[]): Record<string, string> {
  if (pairs.length > MAX_USER_TAGS)
    throw new UsageError(`${pairs.length} --tag flags: at most ${MAX_USER_TAGS}`, 'Secrets Manager allows 50 tags a secret, and scoped sets up to 4 itself');
  // No prototype: a tag named `__proto__` is a tag like any other.
  const tags = Object.create(null) as Record<string, string>;
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid --tag ${JSON.stringify(pair)}`, 'write it as key=value');
    const k = pair.slice(0, eq);
    const v = pair.slice(eq + 1);
    checkTag(k, v);
    // --tag is repeatable, but one key twice would keep only the last value, silently.
    if (Object.hasOwn(tags, k)) throw new UsageError(`--tag ${JSON.stringify(k)} given twice`, 'give each tag key once');
    tags[k] = v;
  }
  return tags;
}

/** Each a region code by the one region rule, each once (AWS refuses a region named twice): store/inputs.ts. */
export function parseReplicaRegions(regions: string[]): string[] {
  return checkReplicaRegions(regions);
}

/** The aws-only flags among the options: what the local store cannot honour. */
function awsOnlyFlags(o: CreateSecretOptions): string[] {
  return [...(o.kmsKeyId !== undefined ? ['--kms-key-id'] : []), ...(o.replicaRegions.length > 0 ? ['--replica-region'] : [])];
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
  refuseUnusableFlags(await ctx.config(), awsOnlyFlags(o));
  const store = await ctx.store();
  if (o.generate === undefined && willPrompt(ctx, source)) await mustBeFree(store, t);
  const value = o.generate !== undefined ? await store.randomPassword(o.generate.rules) : await readValue(ctx, source, whereIs(t));
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
  ctx.success(`Created ${whereIs(t)}`);
  warnArgumentValue(ctx, source);
  if (o.generate?.reveal === true && typeof value === 'string') revealGenerated(ctx, o.generate, value);
  else await printResult(ctx, { ...secretJson(t), versionId });
}

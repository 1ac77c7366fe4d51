import { AccessDeniedError, ConflictError, NotFoundError } from '../errors.js';
import { checkField, describeTarget, linkedValue, parseSecretArn, TAG_LINK, type LinkTarget } from '../core/link.js';
import { scopeTags } from '../core/naming.js';
import type { Context } from '../cli/context.js';
import { printResult } from '../cli/output.js';
import { printable } from '../cli/printable.js';
import { createLink, describeOwn, linkOf, retargetLink } from '../store/links.js';
import type { SecretDetails, SecretStore } from '../store/types.js';
import { commandFor, explain, explained } from './hints.js';
import { defineSecretCommand, NEW_KEY_ARGUMENT, newKeyAtScope, scheduledForDeletion, secretAt, secretJson, type KeyAtScope } from './secret-command.js';

export const linkSecretCommand = defineSecretCommand({
  verb: 'link',
  summary: 'a scope entry whose value is read from another secret by ARN (another region or account, rds!..., one JSON field); never written through',
  arguments: [NEW_KEY_ARGUMENT],
  examples: [
    "scoped link secret DB_PASSWORD -p billing -d production --arn 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf' --field password",
    'scoped link secret STRIPE_KEY --arn arn:aws:secretsmanager:us-east-1:210987654321:secret:platform/stripe-Xy12Zq',
  ],
  options: [
    ['--arn <ARN>', "the secret to read: its full ARN (any region or account; the caller's role needs the target's resource policy across accounts)", { required: true }],
    ['--field <F>', 'read one top-level field of its JSON value (rds! secrets: username, password, host, ...)'],
    ['--description <text>', 'description of the link (at most 2,048 characters)'],
  ],
  build: (args, flags): LinkSecretOptions => {
    const arn = parseSecretArn(flags.arn).arn;
    const field = flags.field === undefined ? undefined : checkField(flags.field);
    return { ...newKeyAtScope(args, flags), target: field === undefined ? { arn } : { arn, field }, description: flags.description };
  },
  run: runLinkSecret,
});

export interface LinkSecretOptions extends KeyAtScope {
  target: LinkTarget;
  description?: string | undefined;
}

/** The entry at KEY's scope as it stands: absent, a link (with its record), or a secret of its own. */
async function current(ctx: Context, o: LinkSecretOptions) {
  const { t, where, store } = await secretAt(ctx, o);
  const own = await describeOwn(store, t.name).catch((err: unknown): undefined => {
    if (err instanceof NotFoundError && err.subject === 'secret') return undefined;
    throw explain(err, t);
  });
  return { t, where, store, own };
}

/**
 * `--field F`: the target's current value is read once (never shown or kept) to check that it is a JSON
 * object with F, so a mistyped field fails now (exit 3, nothing linked) rather than at every deploy. A caller
 * who may describe the target but not read it (the runtime role reads it, not the one linking) is warned
 * and the link is made unchecked.
 */
async function checkTargetField(ctx: Context, store: SecretStore, linked: LinkTarget): Promise<void> {
  let value: string | Uint8Array;
  try {
    ({ value } = await store.readArn(linked.arn));
  } catch (err) {
    if (!(err instanceof AccessDeniedError)) throw err;
    ctx.warn(
      `cannot read ${linked.arn} to check its field ${JSON.stringify(linked.field)} (access denied): linked unchecked; whoever runs the deployment needs GetSecretValue on it`,
    );
    return;
  }
  linkedValue(linked, value);
}

/**
 * Checks the target (DescribeSecret: exit 3 naming the ARN when absent, 5 when denied), then writes the
 * link's record alone: created, or a new version of an existing link's record. A secret of its own at KEY
 * is never replaced by a link (exit 4).
 */
export async function runLinkSecret(ctx: Context, o: LinkSecretOptions): Promise<void> {
  const { t, where, store, own } = await current(ctx, o);
  if (own?.deletedAt !== undefined) throw scheduledForDeletion(t);
  if (own !== undefined && own.tags[TAG_LINK] === undefined) {
    throw new ConflictError('exists', `${where} is a secret of its own, not a link`, `link another KEY, or delete it first with: ${commandFor('delete', t)}`);
  }
  const described: SecretDetails = await store.describeArn(o.target.arn);
  // The ARN as Secrets Manager answers it: a partial ARN (no suffix) becomes the full one, so the link
  // keeps naming this secret even if another of that name is made later.
  const found = described.arn !== undefined && described.arn !== '' ? described.arn : o.target.arn;
  const linked: LinkTarget = o.target.field === undefined ? { arn: found } : { arn: found, field: o.target.field };
  if (described.deletedAt !== undefined) ctx.warn(`${linked.arn} is scheduled for deletion: the link will not read until it is restored`);
  else if (linked.field !== undefined) await checkTargetField(ctx, store, linked);
  let versionId: string | undefined;
  if (own === undefined) {
    ({ versionId } = await explained(t, () => createLink(store, { name: t.name, tags: scopeTags(t.scope, t.key), description: o.description, target: linked })));
    ctx.success(`Linked ${where} to ${printable(describeTarget(linked))}`);
  } else {
    const before = await explained(t, () => linkOf(store, t.name));
    if (before?.arn === linked.arn && before.field === linked.field) {
      ctx.info(`Unchanged: ${where} already links to ${printable(describeTarget(linked))}`);
    } else {
      ({ versionId } = await explained(t, () => retargetLink(store, t.name, linked)));
      ctx.success(`Retargeted ${where} to ${printable(describeTarget(linked))}${before ? ` (was ${printable(describeTarget(before))}; left as it is)` : ''}`);
    }
    if (o.description !== undefined) await explained(t, () => store.updateDescription(t.name, o.description as string));
  }
  await printResult(ctx, { ...secretJson(t), target: { arn: linked.arn, field: linked.field ?? null }, versionId: versionId ?? null });
}

import { ConflictError, NotFoundError, UsageError } from '../errors.js';
import { parseScopeAddress, type ScopeAddress } from '../core/address.js';
import { isReservedTag } from '../core/naming.js';
import { TAG_LINK } from '../core/link.js';
import { describeScope, makeScope, sameScope, scopeFlags, validateKey, type Scope, type ScopeFlags } from '../core/scope.js';
import type { Context } from '../cli/context.js';
import { defineSecretCommand } from './secret-command.js';
import { listScope, type Entry } from '../service/deployment.js';
import type { SecretStore, SecretValue } from '../store/types.js';
import type { Desired, OnConflict } from '../import/plan.js';
import { transferOptions } from './transfer-flags.js';
import { readScopeValues, someNames, transfer } from '../import/transfer.js';
import { printTransfer } from '../cli/transfer-output.js';
import { scopeFlagsOf } from './scope-flags.js';
import { reportingSignals } from '../cli/write-signals.js';

export const copySecretCommand = defineSecretCommand({
  verb: 'copy',
  summary: 'copy secrets from the -p/-d scope to another scope of the org (values never printed; binary stays binary)',
  arguments: [['[KEY...]', 'the keys to copy (or --all)']],
  scope: 'scope to copy from (omit both for org scope)',
  examples: ['scoped copy secret --all -p billing -d staging --to billing/production --dry-run', 'scoped copy secret STRIPE_KEY -p billing -d staging --to _/production'],
  options: [
    ['--to <ADDRESS>', 'the target scope (required): PROJECT/DOMAIN, PROJECT/_, _/DOMAIN or _/_ (org)'],
    ['--all', 'every secret at the source scope'],
    ...transferOptions('exists at the target'),
  ],
  build: (args, flags): CopySecretOptions => {
    const all = flags.all === true;
    if (all && args.length > 0) throw new UsageError('give KEYs or --all, not both');
    if (!all && args.length === 0) throw new UsageError('nothing to copy', 'name the KEYs, or copy the whole scope with --all');
    args.forEach(validateKey);
    // Checked here rather than by commander, which would report it before a mistyped flag (`--too`).
    if (flags.to === undefined) throw new UsageError('copy needs --to', 'name the target scope: --to PROJECT/DOMAIN, PROJECT/_, _/DOMAIN or _/_');
    return { ...scopeFlagsOf(flags), keys: [...new Set(args)], all, to: parseScopeAddress(flags.to), onConflict: flags.onConflict, dryRun: flags.dryRun === true };
  },
  run: runCopySecret,
});

export interface CopySecretOptions extends ScopeFlags {
  /** The keys to copy; empty with `all`. */
  keys: string[];
  all: boolean;
  to: ScopeAddress;
  onConflict: OnConflict;
  dryRun: boolean;
}

/**
 * The source keys asked for (all with --all), from a listing that includes names scheduled for deletion:
 * a key asked for that is only scheduled for deletion names `restore secret`; one not there at all is an
 * error naming every such key.
 */
function pick(listed: Entry[], o: CopySecretOptions, from: Scope): Entry[] {
  const live = listed.filter((e) => e.summary.deletedAt === undefined);
  if (o.all) return live;
  const byKey = new Map(live.map((e) => [e.key, e]));
  const missing = o.keys.filter((k) => !byKey.has(k));
  const deleted = new Set(listed.filter((e) => e.summary.deletedAt !== undefined).map((e) => e.key));
  const flags = scopeFlags(from);
  const scheduled = missing.filter((k) => deleted.has(k));
  const absent = missing.filter((k) => !deleted.has(k));
  if (absent.length > 0) {
    throw new NotFoundError(`no secret ${someNames(absent)} at ${describeScope(from)}; nothing copied`, `list the scope with: scoped get secret${flags ? ` ${flags}` : ''}`);
  }
  if (scheduled.length > 0) {
    const one = scheduled.length === 1;
    throw new ConflictError(
      'scheduled-for-deletion',
      `${someNames(scheduled)} at ${describeScope(from)} ${one ? 'is' : 'are'} scheduled for deletion; nothing copied`,
      `restore ${one ? 'it' : 'each'} first with: scoped restore secret ${scheduled[0] as string}${flags ? ` ${flags}` : ''}`,
    );
  }
  return o.keys.map((k) => byKey.get(k) as Entry);
}

/**
 * Links are not copied: a copy would store the target's value as a secret of its own, which no rotation of
 * the target would reach. Asked for by name: exit 2; with --all: left out, named in a warning.
 */
function withoutLinks(ctx: Context, picked: Entry[], o: CopySecretOptions, from: Scope, to: Scope): Entry[] {
  const links = picked.filter((e) => e.summary.tags[TAG_LINK] !== undefined).map((e) => e.key);
  if (links.length === 0) return picked;
  const one = links.length === 1;
  const flags = scopeFlags(to);
  const what = `${someNames(links)} at ${describeScope(from)} ${one ? 'is a link' : 'are links'}: a copy would store ${one ? 'its' : 'their'} target's value as a secret of its own`;
  const hint = `link ${one ? 'it' : 'each'} at ${describeScope(to)} instead: scoped link secret ${one ? (links[0] as string) : 'KEY'}${flags ? ` ${flags}` : ''} --arn ARN`;
  if (!o.all) throw new UsageError(`${what}; nothing copied`, hint);
  ctx.warn(`left out: ${what}; ${hint}`);
  return picked.filter((e) => e.summary.tags[TAG_LINK] === undefined);
}

/** Values (binary stays binary), descriptions and the user's own tags; scoped:* tags are made anew for the target. */
async function sourceKeys(store: SecretStore, prefix: string, picked: Entry[], from: Scope): Promise<Desired[]> {
  const values = await readScopeValues(
    store,
    prefix,
    from,
    picked.map((e) => e.key),
    'to copy',
  );
  return picked.map((e) => {
    const tags = Object.fromEntries(Object.entries(e.summary.tags).filter(([k]) => !isReservedTag(k)));
    return { key: e.key, value: values.get(e.key) as SecretValue, description: e.summary.description, tags };
  });
}

export async function runCopySecret(ctx: Context, o: CopySecretOptions): Promise<void> {
  const config = await ctx.config();
  const prefix = config.prefix.value;
  const from = makeScope(config.org.value, o.project, o.domain);
  const to = makeScope(config.org.value, o.to.project, o.to.domain);
  if (sameScope(from, to)) throw new UsageError(`--to names the scope copied from (${describeScope(from)})`, 'copy to another scope');
  const store = await ctx.store();
  const picked = withoutLinks(ctx, pick(await listScope(store, prefix, from, true), o, from), o, from, to);
  if (picked.length === 0) ctx.warn(`no secrets at ${describeScope(from)}; nothing to copy`);
  const desired = await sourceKeys(store, prefix, picked, from);
  ctx.debug(`copy: ${desired.length} key(s) from ${describeScope(from)} to ${describeScope(to)}`);
  const signals = { what: `copying into ${describeScope(to)}`, atomic: config.backend.value === 'local' };
  await reportingSignals(ctx, store, signals, (watched) =>
    transfer(watched, { verb: 'copy', scope: to, prefix, desired, onConflict: o.onConflict, dryRun: o.dryRun }, ctx).then((r) => printTransfer(ctx, r)),
  );
}

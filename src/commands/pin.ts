import { NotFoundError, ScopedError, UsageError } from '../errors.js';
import { describeScope, scopeFlags, type ScopeFlags } from '../core/scope.js';
import type { Context } from '../cli/context.js';
import { defineCommand } from '../cli/define-command.js';
import { refuseOutputFormat } from '../cli/output-flag.js';
import { writeOut } from '../cli/write-out.js';
import { resolveKeys } from '../service/deployment.js';
import { DEFAULT_PIN_FILE, formatPin, PIN_FORMAT, type Pin, type PinEntry } from '../pin/pin-file.js';
import { pinSettings } from '../cli/deployment-source.js';
import type { LabelOutcome } from '../history/protect.js';
import { DEPLOYMENT_OPTIONS } from './options.js';
import { deploymentScope, scopeFlagsOf } from './scope-flags.js';

export const pinCommand = defineCommand({
  name: 'pin',
  summary: "write the deployment's winners (key, scope, name, version id; never a value) to a pin file for run/export/render --pinned",
  examples: [
    'scoped pin -p billing -d production --out release-42.pin.json',
    'scoped export -p billing -d production --pinned release-42.pin.json > .env',
    "scoped run --pinned release-41.pin.json -- ./deploy.sh   # roll back: the previous release's pin",
    'scoped pin -p billing -d production --out release-42.pin.json --protect   # its versions are never dropped',
    'scoped pin --unprotect release-40.pin.json',
  ],
  options: [
    ...DEPLOYMENT_OPTIONS,
    ['--out <FILE>', `where to write it (default ${DEFAULT_PIN_FILE}; - for stdout), replaced atomically`],
    ['--protect', "label each pinned version with the pin's own label (scoped-pin-<hash>), so it is never dropped while the pin is in use"],
    ['--unprotect <FILE>', 'remove the labels --protect put for the pin in FILE (writes no pin)'],
  ],
  // A pin is JSON whatever the global -o says. (An empty --out is refused with every empty flag value.)
  build: (_args, flags, global): PinOptions => {
    refuseOutputFormat(global.output, 'pin', 'a pin file is JSON; choose where it goes with --out FILE (- for stdout)');
    if (flags.unprotect !== undefined) {
      const other = flags.protect === true ? '--protect' : flags.out !== undefined ? '--out' : flags.project !== undefined || flags.domain !== undefined ? '-p/-d' : undefined;
      if (other !== undefined) throw new UsageError(`--unprotect FILE takes no ${other}: it removes the labels of the pin in FILE, for its own deployment`);
    }
    return { ...scopeFlagsOf(flags), out: flags.out ?? DEFAULT_PIN_FILE, protect: flags.protect === true, unprotect: flags.unprotect };
  },
  run: (ctx, o) => (o.unprotect !== undefined ? runUnprotect(ctx, o.unprotect) : runPin(ctx, o)),
});

export interface PinOptions extends ScopeFlags {
  /** A path, or `-` for stdout. */
  out: string;
  protect: boolean;
  /** A pin file whose labels to remove, instead of writing a pin. */
  unprotect?: string | undefined;
}

/** Writes the deployment's winners (key, scope, name, current version id; never a value) as a pin file. */
export async function runPin(ctx: Context, o: PinOptions): Promise<void> {
  const deployment = await deploymentScope(ctx, o);
  const config = await ctx.config();
  const store = await ctx.store();
  const resolved = await resolveKeys(store, config.prefix.value, deployment);
  if (resolved.length === 0) {
    const flags = scopeFlags(deployment);
    throw new NotFoundError(`no secrets visible to ${describeScope(deployment)}: nothing to pin`, `see what it sees with: scoped resolve${flags ? ` ${flags}` : ''}`);
  }
  // Loaded here: only pin needs the version look-ups.
  const { currentVersions } = await import('../pin/versions.js');
  const secrets = await currentVersions(store, resolved);
  const pin: Pin = {
    format: PIN_FORMAT,
    org: config.org.value,
    prefix: config.prefix.value,
    backend: config.backend.value,
    deployment,
    created: new Date().toISOString(),
    secrets,
  };
  const text = formatPin(pin);
  await writeOut(ctx, text, { out: o.out, raw: true, wrote: (path) => `Pinned ${secrets.length} key(s) of ${describeScope(deployment)} in ${path}` });
  if (!o.protect) return;
  const { protectPin, linksNotLabelled } = await import('../history/protect.js');
  const outcome = await protectPin(store, pin);
  const file = o.out === '-' ? 'stdout' : o.out;
  if (outcome.failed !== undefined) throw labelFailure(outcome, `the pin is written to ${file}, but protecting it stopped`);
  ctx.success(`Protected ${outcome.done.length} pinned version(s) with label ${outcome.label}; remove it with: scoped pin --unprotect ${o.out === '-' ? 'FILE' : o.out}`);
  if (outcome.links.length > 0) ctx.info(linksNotLabelled(outcome.links));
}

const keys = (entries: readonly PinEntry[]) => (entries.length === 0 ? 'none' : entries.map((e) => `${e.key} at ${describeScope(e.scope)}`).join(', '));

/** A label that could not be added or removed: the class (so the exit code) of its cause, and which keys were done. */
function labelFailure(outcome: LabelOutcome, head: string, done = 'labelled', notDone = 'not labelled'): Error {
  const { entry, error } = outcome.failed as { entry: PinEntry; error: Error };
  if (!(error instanceof ScopedError)) return error;
  return error.withMessage(
    `${head} at ${entry.key} at ${describeScope(entry.scope)}: ${error.message}; ${done} ${outcome.label}: ${keys(outcome.done)}; ${notDone}: ${keys([entry, ...outcome.untouched])}`,
  );
}

/** `pin --unprotect FILE`: the pin's label off each pinned version; where it is gone already, nothing to do. */
export async function runUnprotect(ctx: Context, file: string): Promise<void> {
  const { checkPin, loadPin } = await import('../pin/pinned-read.js');
  const pin = await loadPin(ctx, file);
  checkPin(pin, file, pinSettings(await ctx.config()), {});
  const store = await ctx.store();
  const { unprotectPin } = await import('../history/protect.js');
  const outcome = await unprotectPin(store, pin);
  if (outcome.failed !== undefined) throw labelFailure(outcome, `unprotecting pin file ${file} stopped`, 'removed', 'still labelled');
  ctx.success(`Removed label ${outcome.label} from ${outcome.done.length} version(s) of pin file ${file}`);
  if (outcome.skipped.length > 0) ctx.info(`${outcome.skipped.length} had no such label (removed already, or the secret or version is gone): ${keys(outcome.skipped)}`);
}

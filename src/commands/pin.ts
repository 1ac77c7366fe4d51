import { NotFoundError } from '../errors.js';
import { describeScope, scopeFlags } from '../core/scope.js';
import type { Context } from '../cli/context.js';
import { defineCommand, type FlagsOf, type NewCommand } from '../cli/define-command.js';
import { refuseOutputFormat } from '../cli/output-flag.js';
import { writeOut } from '../cli/write-out.js';
import { resolveKeys } from '../service/deployment.js';
import { DEFAULT_PIN_FILE, formatPin, PIN_FORMAT } from '../pin/pin-file.js';
import { deploymentOptions } from './options.js';
import { deploymentScope, scopeFlagsOf, type ScopeFlags } from './shared.js';

export const pinCommand = defineCommand({
  name: 'pin',
  summary: "write the deployment's winners (key, scope, name, version id; never a value) to a pin file for run/export/render --pinned",
  examples: [
    'scoped pin -p billing -d production --out release-42.pin.json',
    'scoped export -p billing -d production --pinned release-42.pin.json > .env',
    'scoped run --pinned release-41.pin.json -- ./deploy.sh   # roll back: the previous release\'s pin',
  ],
  options: pinFlags,
  build: (_args, flags, global) => buildPinOptions(flags, global.output),
  run: runPin,
});

function pinFlags(cmd: NewCommand) {
  return deploymentOptions(cmd).option('--out <FILE>', `where to write it (default ${DEFAULT_PIN_FILE}; - for stdout), replaced atomically`);
}

/** The options as parsed, typed from the definitions above. */
export type PinFlags = FlagsOf<typeof pinFlags>;

export interface PinOptions extends ScopeFlags {
  /** A path, or `-` for stdout. */
  out: string;
}

/** `output`: the global `-o`; a pin is JSON whatever it says. (An empty --out is refused with every empty flag value.) */
export function buildPinOptions(flags: PinFlags, output?: string): PinOptions {
  refuseOutputFormat(output, 'pin', 'a pin file is JSON; choose where it goes with --out FILE (- for stdout)');
  return { ...scopeFlagsOf(flags), out: flags.out ?? DEFAULT_PIN_FILE };
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
  const text = formatPin({
    format: PIN_FORMAT,
    org: config.org.value,
    prefix: config.prefix.value,
    backend: config.backend.value,
    deployment,
    created: new Date().toISOString(),
    secrets,
  });
  // A pin holds no value: raw, as JSON needs no escaping on a terminal.
  await writeOut(ctx, text, { out: o.out, raw: true, wrote: (path) => `Pinned ${secrets.length} key(s) of ${describeScope(deployment)} in ${path}` });
}

import { NotFoundError, UsageError } from '../errors.js';
import { writeRevealed } from '../cli/reveal.js';
import { describeScope, scopeFlags } from '../core/scope.js';
import type { Context } from '../cli/context.js';
import type { OptsOf, Program } from '../cli/program-types.js';
import { withExamples } from '../cli/help.js';
import { refuseOutputFormat } from '../cli/output-flag.js';
import { resolveKeys } from '../service/deployment.js';
import { DEFAULT_PIN_FILE, formatPin, PIN_FORMAT } from '../pin/pin-file.js';
import { deploymentOptions } from './options.js';
import { deploymentScope, scopeFlagsOf, type ScopeFlags } from './shared.js';

export interface PinOptions extends ScopeFlags {
  /** A path, or `-` for stdout. */
  out: string;
}

/** `output`: the global `-o`; a pin is JSON whatever it says. */
export function buildPinOptions(opts: PinFlags, output?: string): PinOptions {
  refuseOutputFormat(output, 'pin', 'a pin file is JSON; choose where it goes with --out FILE (- for stdout)');
  const out = opts.out ?? DEFAULT_PIN_FILE;
  if (out === '') throw new UsageError('--out needs a file name', `e.g. --out ${DEFAULT_PIN_FILE}, or --out - for stdout`);
  return { ...scopeFlagsOf(opts), out };
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
  if (o.out === '-') return writeRevealed(ctx, text, { raw: true });
  const { writeOutFile } = await import('../export/private-file.js');
  writeOutFile(ctx.io.cwd, o.out, text);
  ctx.info(`Pinned ${secrets.length} key(s) of ${describeScope(deployment)} in ${o.out}`);
}

function definePin(program: Program) {
  const cmd = program.root
    .command('pin')
    .description("write the deployment's winners (key, scope, name, version id; never a value) to a pin file for run/export/render --pinned");
  withExamples(cmd, [
    'scoped pin -p billing -d production --out release-42.pin.json',
    'scoped export -p billing -d production --pinned release-42.pin.json > .env',
    'scoped run --pinned release-41.pin.json -- ./deploy.sh   # roll back: the previous release\'s pin',
  ]);
  return deploymentOptions(cmd).option('--out <FILE>', `where to write it (default ${DEFAULT_PIN_FILE}; - for stdout), replaced atomically`);
}

/** The options as parsed, typed from the definitions above. */
export type PinFlags = OptsOf<ReturnType<typeof definePin>>;

export function registerPin(program: Program): void {
  program.action(definePin(program), (ctx, _args, opts) => runPin(ctx, buildPinOptions(opts, ctx.global.output)));
}

import { describeScope, makeScope, type ScopeFlags } from '../core/scope.js';
import { reportingSignals } from '../cli/write-signals.js';
import type { Context } from '../cli/context.js';
import { defineCommand } from '../cli/define-command.js';
import { scopeOptions } from './options.js';
import { IMPORT_FORMATS, importFormat, parseSource, type ImportFormat } from '../import/formats.js';
import { validateDesired, type OnConflict } from '../import/plan.js';
import { transferOptions } from './transfer-flags.js';
import { IMPORT_LIMIT } from '../cli/value-source.js';
import { readInput } from '../support/read-input.js';
import { transfer } from '../import/transfer.js';
import { printTransfer } from '../cli/transfer-output.js';
import { scopeFlagsOf } from './scope-flags.js';

export const importCommand = defineCommand({
  name: 'import',
  summary: 'bring keys and values from a .env, JSON or YAML file into one scope (checked before the first write; never prints a value)',
  arguments: [['<FILE>', 'the file, or - for stdin (then --format is needed)']],
  examples: [
    'scoped import .env -p billing -d staging --dry-run',
    'scoped import secrets.yaml -d production --on-conflict update',
    'chamber export billing | scoped import - --format json -p billing',
  ],
  options: [
    ...scopeOptions('scope to import into (omit both for org scope)'),
    ['--format <format>', 'dotenv, json or yaml (default: from the extension: .env, *.env, .env.*, .json, .yaml, .yml)', { choices: IMPORT_FORMATS }],
    ...transferOptions('exists'),
  ],
  build: (args, flags): ImportOptions => {
    const file = args[0] as string;
    return { ...scopeFlagsOf(flags), file, format: importFormat(file, flags.format), onConflict: flags.onConflict, dryRun: flags.dryRun === true };
  },
  run: runImport,
});

export interface ImportOptions extends ScopeFlags {
  /** A path, or `-` for stdin. */
  file: string;
  format: ImportFormat;
  onConflict: OnConflict;
  dryRun: boolean;
}

/** Reads and checks the whole source before touching the store; then one planned, all-or-nothing-checked write. */
export async function runImport(ctx: Context, o: ImportOptions): Promise<void> {
  const config = await ctx.config();
  const scope = makeScope(config.org.value, o.project, o.domain);
  const what = o.file === '-' ? 'stdin' : o.file;
  const entries = await parseSource(await readInput(ctx, o.file, what, IMPORT_LIMIT), o.format, what);
  validateDesired(entries, what);
  if (entries.length === 0) ctx.warn(`${what} holds no keys; nothing to import`);
  ctx.debug(`${what}: ${entries.length} key(s) read as ${o.format}`);
  const store = await ctx.store();
  const signals = { what: `importing into ${describeScope(scope)}`, atomic: config.backend.value === 'local' };
  await reportingSignals(ctx, store, signals, (watched) =>
    transfer(watched, { verb: 'import', scope, prefix: config.prefix.value, desired: entries, onConflict: o.onConflict, dryRun: o.dryRun }, ctx).then((r) => printTransfer(ctx, r)),
  );
}

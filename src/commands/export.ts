import { appendFileSync, closeSync, fstatSync, ftruncateSync, openSync } from 'node:fs';
import { UnavailableError, UsageError } from '../errors.js';
import { describeFsError } from '../support/fs-errors.js';
import { RAW_FLAG, writeRevealed } from '../cli/reveal.js';
import { describeScope, type ScopeFlags } from '../core/scope.js';
import type { Context } from '../cli/context.js';
import { defineCommand } from '../cli/define-command.js';
import { writeOut } from '../cli/write-out.js';
import { DEPLOYMENT_OPTIONS } from './options.js';
import { formatDotenv } from '../export/dotenv.js';
import { EXPORT_FORMATS, formatJson, formatShell, formatYaml, type ExportFormat, type TextValues } from '../export/formats.js';
import { parseBinding, refuseReserved, refuseWithheld, type Binding } from '../deploy/bindings.js';
import { textValues } from '../deploy/deployment-values.js';
import { deploymentSource } from '../cli/deployment-source.js';
import { buildShaping, refuseUnsafeExpansions, shapedValues, type Expand } from '../deploy/expand.js';
import { scopeFlagsOf } from './scope-flags.js';
import { fewNames } from '../support/few-names.js';
import { PINNED_FLAG } from '../pin/pin-file.js';

export const exportCommand = defineCommand({
  name: 'export',
  summary: "print the deployment's resolved secrets for other tools (values included: you asked for them)",
  examples: ['scoped export -p billing -d production > .env', 'eval "$(scoped export --format shell -p billing)"', 'scoped export --format github --only DB_PASSWORD'],
  options: [
    ...DEPLOYMENT_OPTIONS,
    ['--format <format>', 'dotenv, json, yaml, shell (export lines for eval) or github (appends to $GITHUB_ENV); default dotenv, or -o json|yaml', { choices: EXPORT_FORMATS }],
    ['--only <KEY[=NAME]>', 'only this key, optionally under another name (repeatable)', { repeatable: true }],
    ['--expand <KEY[=PREFIX]>', 'a JSON-object value as one entry per top-level field, PREFIX_FIELD (repeatable)', { repeatable: true }],
    ['--exclude <KEY>', 'leave this key out (repeatable)', { repeatable: true }],
    // Not -o: that is the global --output format.
    ['--out <PATH>', 'write to this file (mode 0600, replaced atomically) instead of stdout'],
    RAW_FLAG,
    PINNED_FLAG,
  ],
  build: (_args, flags, global): ExportOptions => {
    const only = [...new Set(flags.only ?? [])].map((s) => parseBinding(s, '--only'));
    const format = formatOf(flags.format, global.output);
    const { out } = flags;
    if (format === 'github' && out !== undefined) {
      throw new UsageError('--out does not apply to --format github, which appends to the file named by $GITHUB_ENV', 'leave out --out');
    }
    return { ...scopeFlagsOf(flags), format, only, out, raw: flags.raw === true, pinned: flags.pinned, ...buildShaping(flags.expand, flags.exclude, only) };
  },
  run: runExport,
});

export interface ExportOptions extends ScopeFlags {
  format: ExportFormat;
  only: Binding[];
  /** Where to write (mode 0600); undefined: stdout. */
  out: string | undefined;
  raw: boolean;
  expand: Expand[];
  exclude: string[];
  /** --pinned FILE */
  pinned?: string | undefined;
}

/**
 * `--format`, or the global `-o json|yaml` (the same shapes), else dotenv. Both given must agree, and
 * `-o table` has no export shape: either is refused rather than one silently winning.
 */
function formatOf(format: ExportFormat | undefined, output: string | undefined): ExportFormat {
  if (output === undefined) return format ?? 'dotenv';
  if (output !== 'json' && output !== 'yaml') {
    throw new UsageError(`-o ${output} does not apply to export`, `choose the shape with --format ${EXPORT_FORMATS.join('|')}`);
  }
  if (format !== undefined && format !== output) throw new UsageError(`--format ${format} and -o ${output} disagree; give one`);
  return output;
}

/** Values under their output names (`--only KEY=NAME` renames), in key order or the order asked for. */
function named(values: TextValues, only: Binding[]): TextValues {
  if (only.length === 0) return values;
  const out: TextValues = new Map();
  for (const b of only) {
    if (out.has(b.env)) throw new UsageError(`${b.env} is named twice in --only`, 'give each output name once');
    out.set(b.env, values.get(b.key) as string);
  }
  return out;
}

async function writeGithub(ctx: Context, values: TextValues): Promise<void> {
  const path = ctx.io.env.GITHUB_ENV;
  if (!path) {
    throw new UsageError('--format github appends to the file named by $GITHUB_ENV, which is not set', 'run it in a GitHub Actions step, or use --format dotenv or shell');
  }
  const { addMaskCommands, githubEnvBlock } = await import('../export/github.js');
  const { commands, short } = addMaskCommands(values);
  if (short.length > 0) ctx.warn(`lines shorter than 4 characters are not masked in the log: ${fewNames(short)}`);
  const cannot = (err: unknown) => new UsageError(`cannot append to $GITHUB_ENV (${path}): ${describeFsError(err)}`);
  let fd: number;
  try {
    fd = openSync(path, 'a');
  } catch (err) {
    throw cannot(err);
  }
  const size = fstatSync(fd).size;
  try {
    appendFileSync(fd, githubEnvBlock(values));
    // The masks only after the append, so a failed append leaves stdout empty (they hold the values). Still
    // in time: the runner reads $GITHUB_ENV when this step ends and gives the values to later steps only,
    // while it reads these lines as this step's output, before it ends; nothing here prints a value. A
    // stdout that takes no masks cuts the append back below, so no value reaches a step unmasked.
    writeRevealed(ctx, commands, { raw: true });
  } catch (err) {
    // A disk that filled mid-append, or masks that could not go out: cut the file back, so no half block
    // and no unmasked value reaches the next steps.
    try {
      ftruncateSync(fd, size);
    } catch {
      // Reported below; the runner rejects a file whose block never ends.
    }
    if (err instanceof UnavailableError) throw err;
    if (['ENOSPC', 'EDQUOT', 'EIO'].includes((err as NodeJS.ErrnoException).code ?? '')) throw new UnavailableError(`${cannot(err).message}; nothing was added`);
    throw cannot(err);
  } finally {
    closeSync(fd);
  }
  ctx.info(`${values.size} variable(s) added to $GITHUB_ENV for the next steps`);
}

export async function runExport(ctx: Context, o: ExportOptions): Promise<void> {
  const { format } = o;
  const { deployment, values: all, only, fields, excluded } = await shapedValues(deploymentSource(ctx, o), o.only, o, [], o.pinned);
  refuseUnsafeExpansions(o, fields, `with --format ${format}`, format === 'shell' || format === 'github');
  if (all.size === 0 && excluded.length > 0) ctx.info(`Nothing to export: --exclude left out every key visible to ${describeScope(deployment)} (${fewNames(excluded)}).`);
  else if (all.size === 0) ctx.info(`No secrets visible to ${describeScope(deployment)}.`);
  const hint = 'leave it out with --exclude KEY, or give it to a program as a file: scoped run --file KEY=NAME -- CMD';
  const values = named(textValues(all, `--format ${format}`, hint), only);
  refuseWithheld(values.keys(), `with export`);
  if (format === 'shell' || format === 'github') {
    refuseReserved(values.keys(), `with --format ${format}`, 'rename with --only KEY=NAME or leave them out with --only');
  }
  ctx.debug(`exporting ${values.size} key(s) as ${format}`);
  if (format === 'github') return writeGithub(ctx, values);
  const text =
    format === 'yaml' ? formatYaml(values) : format === 'json' ? formatJson(values) : format === 'shell' ? formatShell(values) : formatDotenv(values, (line) => ctx.warn(line));
  await writeOut(ctx, text, { out: o.out, raw: o.raw, wrote: (path) => `Wrote ${path} (mode 0600, ${values.size} key(s))` });
}

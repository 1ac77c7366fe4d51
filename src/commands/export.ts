import { appendFileSync } from 'node:fs';
import { Option } from 'commander';
import { UsageError } from '../errors.js';
import { describeScope } from '../core/scope.js';
import type { Context } from '../cli/context.js';
import { collect, scopeOptions, type Program } from '../cli/program.js';
import { EXPORT_FORMATS, formatDotenv, formatJson, formatShell, formatYaml, type ExportFormat, type TextValues } from '../export/formats.js';
import { parseBinding, reservedAmong, type Binding } from '../run/bindings.js';
import { deploymentValues, textValues } from '../run/deployment-values.js';
import { scopeFlagsOf, type ScopeFlags } from './shared.js';

export interface ExportOptions extends ScopeFlags {
  /** undefined: `-o json|yaml` if given, else dotenv. */
  format: ExportFormat | undefined;
  only: Binding[];
}

export function buildExportOptions(opts: Record<string, unknown>): ExportOptions {
  const only = [...new Set(Array.isArray(opts.only) ? (opts.only as string[]) : [])].map((s) => parseBinding(s, '--only'));
  return { ...scopeFlagsOf(opts), format: opts.format as ExportFormat | undefined, only };
}

function formatOf(ctx: Context, o: ExportOptions): ExportFormat {
  if (o.format !== undefined) return o.format;
  const output = ctx.global.output;
  return output === 'json' || output === 'yaml' ? output : 'dotenv';
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
  if (short.length > 0) ctx.warn(`lines shorter than 4 characters are not masked in the log: ${short.join(', ')}`);
  // Masks first: the runner hides the values before anything could print them.
  ctx.out(commands);
  try {
    appendFileSync(path, githubEnvBlock(values));
  } catch (err) {
    throw new UsageError(`cannot append to $GITHUB_ENV (${path}): ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  ctx.info(`${values.size} variable(s) added to $GITHUB_ENV for the next steps`);
}

export async function runExport(ctx: Context, o: ExportOptions): Promise<void> {
  const format = formatOf(ctx, o);
  const { deployment, values: all } = await deploymentValues(ctx, o, { only: o.only.map((b) => b.key) });
  if (all.size === 0) ctx.info(`No secrets visible to ${describeScope(deployment)}.`);
  const hint = 'leave it out with --only, or give it to a program as a file: scoped run --file KEY=NAME -- CMD';
  const values = named(textValues(all, `--format ${format}`, hint), o.only);
  if (format === 'shell' || format === 'github') {
    const reserved = reservedAmong(values.keys());
    if (reserved.length > 0) {
      throw new UsageError(`refusing to set reserved variable${reserved.length === 1 ? '' : 's'} ${reserved.join(', ')} with --format ${format}`, 'rename with --only KEY=NAME or leave them out with --only');
    }
  }
  ctx.debug(`exporting ${values.size} key(s) as ${format}`);
  if (format === 'github') return writeGithub(ctx, values);
  if (format === 'yaml') return ctx.out(await formatYaml(values));
  ctx.out(format === 'json' ? formatJson(values) : format === 'shell' ? formatShell(values) : formatDotenv(values));
}

export function registerExport(program: Program): void {
  const cmd = program.root
    .command('export')
    .description("print the deployment's resolved secrets for other tools (values included: you asked for them)");
  scopeOptions(cmd, 'of the deployment (env SCOPED_PROJECT / SCOPED_DOMAIN, or the config file)')
    .addOption(new Option('--format <format>', 'dotenv, json, yaml, shell (export lines for eval) or github (appends to $GITHUB_ENV); default dotenv, or -o json|yaml').choices(EXPORT_FORMATS))
    .option('--only <KEY[=NAME]>', 'only this key, optionally under another name (repeatable)', collect)
    .action(program.action((ctx, _args, opts) => runExport(ctx, buildExportOptions(opts))));
}

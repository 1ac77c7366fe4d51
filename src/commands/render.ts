import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { RAW_FLAG } from '../cli/reveal.js';
import type { Context } from '../cli/context.js';
import { printable } from '../cli/output.js';
import { defineCommand } from '../cli/define-command.js';
import { writeOut } from '../cli/write-out.js';
import { DEPLOYMENT_OPTIONS } from './options.js';
import { TEMPLATE_LIMIT } from '../cli/value-source.js';
import { readInput } from '../support/read-input.js';
import { fillTemplate, templateKeys, templateText } from '../export/template.js';
import { deploymentValues, textValues } from '../deploy/deployment-values.js';
import { deploymentSource } from '../cli/deployment-source.js';
import { refuseOutputFormat } from '../cli/output-flag.js';
import { deploymentScope, scopeFlagsOf } from './scope-flags.js';
import { type ScopeFlags } from '../core/scope.js';
import { PINNED_FLAG } from '../pin/pin-file.js';

export const renderCommand = defineCommand({
  name: 'render',
  summary: 'fill {{ secret "KEY" }} references in a text file with the deployment\'s values',
  arguments: [['<TEMPLATE>', 'the template file, or - for stdin']],
  examples: ['scoped render config.tmpl -p billing -d production --out config.yaml', 'echo \'password: {{ secret "DB_PASSWORD" }}\' | scoped render - -p billing'],
  options: [
    ...DEPLOYMENT_OPTIONS,
    // Not -o: that is the global --output format.
    ['--out <PATH>', 'write the result here (mode 0600, replaced atomically) instead of stdout'],
    RAW_FLAG,
    PINNED_FLAG,
  ],
  // The global -o has nothing to choose for `render` (and is easily mistaken for --out).
  build: (args, flags, global): RenderOptions => {
    refuseOutputFormat(global.output, 'render', '-o is the output format; write to a file with --out PATH');
    const template = args[0];
    if (template === undefined) throw new UsageError('no TEMPLATE', 'e.g. scoped render config.tmpl.yaml --out config.yaml');
    if (template === '-' && flags.pinned === '-') throw new UsageError('the template and --pinned cannot both come from stdin', 'give one of them as a file');
    return { ...scopeFlagsOf(flags), template, out: flags.out, raw: flags.raw === true, pinned: flags.pinned };
  },
  run: runRender,
});

export interface RenderOptions extends ScopeFlags {
  /** A path, or `-` for stdin. */
  template: string;
  /** Where to write (mode 0600); undefined: stdout. */
  out?: string | undefined;
  raw?: boolean | undefined;
  /** --pinned FILE */
  pinned?: string | undefined;
}

async function readTemplate(ctx: Context, template: string): Promise<string> {
  return templateText(await readInput(ctx, template, template === '-' ? 'stdin' : template, TEMPLATE_LIMIT), template === '-' ? 'stdin' : template);
}

function identity(path: string): { dev: number; ino: number } | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined; // not there (yet): it cannot be the template
  }
}

/**
 * An --out that is the template itself (the same path, or a symlink or hard link to it: the same file)
 * would replace the template with its own output, keeping the values and losing the references.
 */
export function refuseOutIsTemplate(cwd: string, template: string, out: string | undefined): void {
  if (template === '-' || out === undefined || out === '-') return;
  const a = identity(resolve(cwd, template));
  const b = identity(resolve(cwd, out));
  if (a && b && a.dev === b.dev && a.ino === b.ino) {
    const how = resolve(cwd, template) === resolve(cwd, out) ? 'is' : 'is the same file as';
    throw new UsageError(`--out ${printable(out)} ${how} the template ${printable(template)}: writing it would replace the template`, 'write the result to another file');
  }
}

/** Fills `{{ secret "KEY" }}` with the deployment's values; every key must be visible, or nothing is written. */
export async function runRender(ctx: Context, o: RenderOptions): Promise<void> {
  const source = o.template === '-' ? 'stdin' : o.template;
  refuseOutIsTemplate(ctx.io.cwd, o.template, o.out);
  const text = await readTemplate(ctx, o.template);
  const keys = templateKeys(text, source);
  ctx.debug(`${source}: ${keys.length} key(s) referenced`);
  let filled = text;
  if (keys.length > 0) {
    const { values } = await deploymentValues(deploymentSource(ctx, o), { only: keys, pinned: o.pinned });
    filled = fillTemplate(text, textValues(values, 'a text template', 'hand it to a program as a file: scoped run --file KEY=NAME -- CMD'), source);
  } else {
    // Nothing to read, but the deployment is checked as it would be with references (`-p Web` is refused).
    if (o.pinned === undefined) await deploymentScope(ctx, o);
    ctx.warn(`${source} has no {{ secret "KEY" }} references`);
  }
  await writeOut(ctx, filled, { out: o.out, raw: o.raw === true, wrote: (path) => `Wrote ${path} (mode 0600, ${keys.length} key(s))` });
}

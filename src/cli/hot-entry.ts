import { Context, type GlobalOptions, type OutputFormat } from './context.js';
import { hotLine, type HotLine } from './hot-line.js';
import { holdIO } from './hot-io.js';
import { settled } from './settle.js';
import { globalFlagValues } from '../config/settings.js';
import { systemIO } from '../io.js';

/**
 * The build's third entry, dist/bundle/hot.cjs: one self-contained file (scripts/bundle.mjs) that runs the
 * lines people run most — `resolve`, `get secret` and `export` in the narrow grammar of cli/hot-line.ts —
 * with the same command modules as the full CLI (their option builders and run functions) but without
 * commander, the command list or the AWS SDK: the build puts a stand-in for the AWS store that gives up.
 * Undefined when it declines a line having written nothing (output is held until the command has finished:
 * cli/hot-io.ts): on any line it does not read, on any error (the full CLI then gives the one true message),
 * and whenever the line needs AWS, stdin or a prompt. bin/scoped.cjs then runs the full CLI.
 */
export async function answer(argv: string[]): Promise<number | undefined> {
  const line = hotLine(argv);
  if (line === undefined) return undefined;
  const real = systemIO({ directStdout: true });
  const held = holdIO(real);
  let code: number;
  try {
    const ctx = await Context.create(held.io, globalOptions(line));
    code = (await runLine(ctx, line)) ?? 0;
  } catch {
    return undefined;
  }
  if (held.declined()) return undefined;
  held.flush();
  return settled(real, code);
}

/** As the full CLI's program builds them from commander's parse (cli/program.ts). */
function globalOptions(line: HotLine): GlobalOptions {
  const g = line.global;
  return {
    ...globalFlagValues(g),
    output: g.output as OutputFormat | undefined,
    color: g.color !== false,
    debug: false,
    quiet: g.quiet === true,
    yes: false,
  };
}

/** The command's own builder and run, as its definition wires them (each module loaded only for its line). */
async function runLine(ctx: Context, line: HotLine): Promise<void | number> {
  switch (line.command) {
    case 'resolve': {
      const { resolveCommand, runResolve } = await import('../commands/resolve.js');
      return runResolve(ctx, resolveCommand.build(line.args, line.flags, ctx.global));
    }
    case 'get secret': {
      const { getSecretCommand, runGetSecret } = await import('../commands/get-secret.js');
      return runGetSecret(ctx, getSecretCommand.build(line.args, line.flags, ctx.global));
    }
    case 'export': {
      const { exportCommand, runExport } = await import('../commands/export.js');
      return runExport(ctx, exportCommand.build(line.args, line.flags, ctx.global));
    }
  }
}

import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { Context, type GlobalOptions, type OutputFormat } from './context.js';
import { printable } from './printable.js';
import { ExitCode, ScopedError } from '../errors.js';
import { SignalledError } from '../io.js';
import { hotLine, type HotCommand, type HotLine } from './hot-line.js';
import type { FlagTable } from './define-command.js';
import { holdIO } from './hot-io.js';
import { settled } from './settle.js';
import { globalFlagValues } from '../config/settings.js';
import { systemIO, type IO } from '../io.js';
import { givenWords, specWords, withGivenFlags, type CommandWords, type GivenFlags, type TreeNode } from './given-flags.js';

/** A line's command as its definition wires it: its option builder and run function (src/cli/hot/*.ts). */
export type LineRunner = (ctx: Context, line: HotLine) => Promise<void | number>;

/**
 * The hot entry: the lines people run most — `resolve`, `get secret`, `export` and `run -- CMD` in the narrow grammar
 * of cli/hot-line.ts — with the same command modules as the full CLI (their option builders and run functions) but
 * without commander, the command list or the AWS SDK: the build puts a stand-in for the AWS store that gives up.
 * One self-contained CommonJS file per command (src/cli/hot/*.ts, scripts/bundle.mjs: dist/bundle/hot-resolve.cjs,
 * hot-get.cjs, hot-export.cjs, hot-run.cjs), so a line reads, deserializes and sets up its own command's code only;
 * bin/scoped.cjs picks the file by the first command word on the line, and a file given a line of another command
 * (`--project run get secret K`) declines it.
 * Undefined when it declines a line having written nothing (output is held until the command has finished:
 * cli/hot-io.ts): on any line it does not read, on any error (the full CLI then gives the one true message)
 * but a wait that SIGINT or SIGTERM ended (reported here as the full CLI reports it: running the line again
 * would wait again), and whenever the line needs AWS, stdin or a prompt. bin/scoped.cjs then runs the full CLI.
 *
 * `run` is held only until its child is about to start (cli/hot-io.ts `startsChild`): every error before then
 * (a bad flag, a missing key, AWS, a secret file that cannot be written) declines, and the full CLI says it;
 * from the spawn on the line is this entry's to the end, with the full CLI's IO for `run` (Node's stdout stream
 * for the masked copy) and the same command code: exit code, signals relayed, masking, secret files removed.
 * `runFlags`: run's flag table, for the run file (a line naming `run` is read with it).
 */
export async function answerLine(argv: string[], command: HotCommand, runLine: LineRunner, runFlags?: FlagTable): Promise<number | undefined> {
  const line = hotLine(argv, runFlags);
  if (line?.command !== command) return undefined;
  const startsChild = line.command === 'run';
  const real = systemIO({ directStdout: !startsChild });
  const held = holdIO(real, { startsChild });
  const given = givenFlags(line);
  let code: number;
  try {
    const ctx = await Context.create(held.io, { ...globalOptions(line), given });
    code = (await runLine(ctx, line)) ?? 0;
  } catch (err) {
    // A wait (a pin file on a FIFO nobody writes to) that SIGINT or SIGTERM ended is this entry's to report, as the
    // full CLI reports it: what was held, that line and 128 + N. Declined, the line would run again, and wait again.
    if (!held.answered() && !(err instanceof SignalledError)) return declineRun(held.caught());
    held.flush();
    code = report(real, err, given);
  }
  if (held.declined()) return declineRun(held.caught());
  held.flush();
  return settled(real, code);
}

/**
 * Declines. A signal run's relay caught for a child that never started is raised again now that no listener is
 * left, and ends this process as it would have ended the full CLI before its relay (by that signal: 128 + N to a
 * shell) rather than be lost while the full CLI runs the line again. (The relay is made in the same turn as the
 * spawn today, so none can come between; a signal that ends a wait is reported instead: answer.)
 */
function declineRun(caught: NodeJS.Signals[]): undefined {
  for (const sig of caught) process.kill(process.pid, sig);
  return undefined;
}

/**
 * An error this entry reports itself (one after run's child started, or an interrupted wait), worded as the full
 * CLI's main (src/main.ts) words it: its one line, with the where-flags given on the line (`--org acme`) in each
 * command its hint suggests, and its code; or an unexpected error.
 */
export function report(io: IO, err: unknown, given: GivenFlags): number {
  if (err instanceof ScopedError) {
    const line = err.hint === undefined ? err.line() : err.withMessage(err.message, withGivenFlags(err.hint, given)).line();
    io.stderr.write(`scoped: ${printable(line)}\n`);
    if (err instanceof SignalledError) return 128 + (constants.signals[err.signal] ?? 2);
    return err.exitCode;
  }
  const e = err as Error;
  io.stderr.write(`scoped: unexpected error: ${e?.message?.split('\n')[0] ?? String(err)}; rerun with --debug and report it\n`);
  return ExitCode.internal;
}

/**
 * The where-flags given on the line, as the full CLI's program.ts `givenFlags` finds them in commander's parse; the
 * command words (`words`: a test's) from the tree's data the build writes next to this file, read only when a hint
 * is given flags.
 */
export function givenFlags(line: Pick<HotLine, 'global'>, words?: CommandWords): GivenFlags {
  let commands = words;
  return {
    words: givenWords(globalFlagValues(line.global)),
    get commands() {
      return (commands ??= treeWords());
    },
  };
}

/** The command words of command-tree.json beside the built file (src/completion/tree-data.ts); none without it. */
function treeWords(): CommandWords {
  try {
    return specWords(JSON.parse(readFileSync(new URL('./command-tree.json', import.meta.url), 'utf8')) as TreeNode);
  } catch {
    return {};
  }
}

/** As the full CLI's program builds them from commander's parse (cli/program.ts). */
export function globalOptions(line: HotLine): GlobalOptions {
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

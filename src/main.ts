import { constants } from 'node:os';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { ExitCode, ScopedError } from './errors.js';
import { SignalledError, type IO } from './io.js';
import { printable } from './cli/printable.js';
import { wantsFast } from './cli/fast-lines.js';
import { settled } from './cli/settle.js';
import { didYouMean, suggestOption } from './cli/suggest.js';
import { version } from './version.js';

/** commander's errors, told apart without loading commander (this module is on every path). */
interface CommanderError extends Error {
  code: string;
}
function isCommanderError(err: unknown): err is CommanderError {
  return err instanceof Error && typeof (err as { code?: unknown }).code === 'string' && (err as CommanderError).code.startsWith('commander.');
}

/**
 * commander's "error: unknown option '--projetc'\n(Did you mean --project?)" as our one line: with its
 * suggestion (cli/suggest.ts words it the same), else with where to look.
 */
function usageLine(err: CommanderError, commandPath: string, options: () => string[]): string {
  const [text = err.message, next] = err.message.replace(/^error:\s*/, '').split('\n');
  // An unknown option: the options it begins (`--deploy` -> `--deployment`, which commander's rule misses:
  // too many edits) or else the closest, among the command's own and the globals.
  const unknown = err.code === 'commander.unknownOption' ? /unknown option '([^']+)'/.exec(text)?.[1] : undefined;
  const meant = unknown === undefined ? [] : suggestOption(unknown, options(), commandPath !== 'scoped');
  if (meant.length > 0) return `${text}${didYouMean(meant)}`;
  // commander's guess for a command only: for an option, ours weighs the same options and leaves out `--version`.
  const guess = unknown === undefined ? /^\(Did you mean (.+)\?\)$/.exec(next ?? '')?.[1] : undefined;
  if (guess) return `${text} -- did you mean ${guess}?`;
  // `scoped run ls -la`: the child's flags were read as run's own.
  if (commandPath === 'scoped run' && err.code === 'commander.unknownOption') return `${text}; put the command after --: scoped run [FLAGS] -- CMD [ARGS...]`;
  return `${text} (see: ${commandPath} --help)`;
}

/**
 * The command a line names, read from its words as commander reads them (a global flag's value is not a
 * command): for an error commander raises before it reaches that command, e.g. `scoped resolve -o bogus`,
 * whose `-o` is the root's, so the hint names `scoped resolve --help` rather than `scoped --help`.
 */
function namedCommand(argv: string[], root: CommandUnknownOpts): { path: string; command: CommandUnknownOpts } {
  let command = root;
  let path = 'scoped';
  const end = argv.indexOf('--');
  const words = end < 0 ? argv : argv.slice(0, end);
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word.startsWith('-')) {
      const flag = word.split('=')[0];
      let option;
      for (let c: CommandUnknownOpts | null = command; c && !option; c = c.parent) option = c.options.find((o) => o.long === flag || o.short === flag);
      // Its value is the next word (`-p billing`), unless given inline (`--project=billing`).
      if (option && (option.required || option.optional) && !word.includes('=') && !(option.short === flag && word.length > 2)) i++;
      continue;
    }
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub === undefined) break;
    command = sub;
    path = `${path} ${sub.name()}`;
  }
  return { path, command };
}

/**
 * The one place that knows exit codes: runs the command tree and turns every failure into one line on
 * stderr and a code. Nothing else exits the process.
 */
export async function main(argv: string[], io: IO): Promise<number> {
  return settled(io, await runMain(argv, io));
}

async function runMain(argv: string[], io: IO): Promise<number> {
  // Stack traces for our own --debug, not for one meant for the child of `run -- cmd --debug`.
  const end = argv.indexOf('--');
  const debug = (end < 0 ? argv : argv.slice(0, end)).includes('--debug');
  // Help and Tab are answered from the tree's data when they can be (cli/fast-path.ts).
  if (wantsFast(argv)) {
    const { answerFast } = await import('./cli/fast-path.js');
    const code = await answerFast(argv, io, version());
    if (code !== undefined) return code;
  }
  // Loaded only here: commander and every command module are most of what start-up parses.
  // Only the line's own command module is loaded when the line names one plainly (loadProgram).
  const { loadProgram, hintWithFlags } = await import('./cli/program.js');
  const program = await loadProgram(io, version(), argv);
  let commandPath = 'scoped';
  let current: CommandUnknownOpts = program.root;
  const configure = (cmd: CommandUnknownOpts): void => {
    cmd.exitOverride().configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Usage errors are reported by the catch below, as one line.
      outputError: () => undefined,
    });
    cmd.hook('preSubcommand', (_parent, sub) => {
      commandPath = `${commandPath} ${sub.name()}`;
      current = sub;
    });
    cmd.commands.forEach(configure);
  };
  configure(program.root);

  try {
    if (argv.length === 0) {
      program.root.outputHelp();
      return ExitCode.ok;
    }
    await program.root.parseAsync(argv, { from: 'user' });
    return program.exitCode ?? ExitCode.ok;
  } catch (err) {
    if (isCommanderError(err)) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return ExitCode.ok;
      if (err.code === 'commander.help' || err.code === 'commander.executeSubCommandAsync') {
        // A verb without its noun (`scoped create`): its help, as a usage error.
        return ExitCode.usage;
      }
      // An error in a global flag is raised before commander reaches the command the line names.
      if (commandPath === 'scoped') ({ path: commandPath, command: current } = namedCommand(argv, program.root));
      // The options the command takes, its own and those of the commands above it (the globals).
      const options = (): string[] => {
        const words: string[] = [];
        for (let c: CommandUnknownOpts | null = current; c; c = c.parent) for (const o of c.options) if (o.long) words.push(o.long);
        // Every command's help option, which is not among its options.
        return [...words, '--help'];
      };
      io.stderr.write(`scoped: ${printable(usageLine(err, commandPath, options))}\n`);
      return ExitCode.usage;
    }
    if (err instanceof ScopedError) {
      // Messages echo what was typed (paths, ids): escaped, so a control character in one cannot reach the
      // terminal or split the line.
      // A command the hint suggests names the same secrets: with the --org (--region, ...) given here.
      const line = err.hint === undefined ? err.line() : err.withMessage(err.message, hintWithFlags(err.hint, program.root)).line();
      io.stderr.write(`scoped: ${printable(line)}\n`);
      if (debug && err.stack) io.stderr.write(`${err.stack}\n`);
      // 128 + N, as a shell reports a process signal N killed (130 for SIGINT, 143 for SIGTERM).
      if (err instanceof SignalledError) return 128 + (constants.signals[err.signal] ?? 2);
      return err.exitCode;
    }
    const e = err as Error;
    io.stderr.write(`scoped: unexpected error: ${e?.message?.split('\n')[0] ?? String(err)}; rerun with --debug and report it\n`);
    if (debug && e?.stack) io.stderr.write(`${e.stack}\n`);
    return ExitCode.internal;
  }
}

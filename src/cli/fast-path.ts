import type { IO } from '../io.js';
import { commandTree } from '../completion/tree-data.js';
import { helpRequest } from '../completion/engine.js';
import { SHELLS, type Shell } from '../completion/protocol.js';

/**
 * `--version`, `--help`, Tab and `completion <shell>` from the command tree's data, without commander or any command
 * module: a Tab must answer before the user notices, and help should not cost more than Node's own
 * start-up. Undefined when the line is something else (or help in a form only commander can judge): main
 * then runs the program. The built CLI runs this from its own self-contained file (fast-entry.ts), so
 * these lines load one file. Each side imports its own code lazily (a Tab never runs the help renderer,
 * help never the shells' protocol); the store's side is a lazy import further in (store-source.ts).
 */
export async function answerFast(argv: readonly string[], io: IO, version: string): Promise<number | undefined> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    io.stdout.write(`${version}\n`);
    return 0;
  }
  // `completion <shell>` exactly; anything else (a flag, an unknown shell) is help's or commander's to judge.
  const shell = argv[0] === 'completion' && argv.length === 2 ? argv[1] : undefined;
  if (shell !== undefined && SHELLS.includes(shell as Shell)) {
    const { completionScript } = await import('../completion/scripts.js');
    io.stdout.write(completionScript(shell as Shell, 'scoped'));
    return 0;
  }
  const tree = await commandTree(io, version);
  if (argv[0] === '__complete') {
    const { buildCompleteOptions, runComplete, systemCompleteDeps } = await import('../completion/system.js');
    // As commander parses `__complete [mode] [words...]`: the first `--` only separates.
    const rest = argv.slice(1);
    const dd = rest.indexOf('--');
    const args = dd < 0 ? rest : [...rest.slice(0, dd), ...rest.slice(dd + 1)];
    await runComplete(io, tree, buildCompleteOptions(args), systemCompleteDeps(io));
    return 0;
  }
  const path = helpRequest(tree, argv);
  if (!path) return undefined;
  const { helpWidth, renderHelp } = await import('./help-text.js');
  io.stdout.write(renderHelp(path, helpWidth(io.stdout)));
  return 0;
}

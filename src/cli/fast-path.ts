import type { IO } from '../io.js';
import { commandTree } from '../completion/tree-data.js';
import { helpRequest } from '../completion/engine.js';

/**
 * `--help` and Tab from the command tree's data, without commander or any command module: a Tab must
 * answer before the user notices, and help should not cost more than Node's own start-up. Undefined when
 * the line is something else (or help in a form only commander can judge): main then runs the program.
 * Each side imports its own code (each module file is a cost at start-up): a Tab never loads the help
 * renderer, help never loads the shells' protocol. The store's side is a lazy import further in (store-source.ts).
 */
export async function answerFast(argv: readonly string[], io: IO, version: string): Promise<number | undefined> {
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

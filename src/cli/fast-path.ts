import type { IO } from '../io.js';
import { commandTree } from '../completion/tree-data.js';
import { helpRequest } from '../completion/engine.js';
import { helpWidth, renderHelp } from './help-text.js';
// Light: the tree walk and the shells' protocol. The store's side is a lazy import inside (store-source.ts).
import { buildCompleteOptions, runComplete } from '../completion/complete.js';
import { systemCompleteDeps } from '../completion/system.js';

/**
 * `--help` and Tab from the command tree's data, without commander or any command module: a Tab must
 * answer before the user notices, and help should not cost more than Node's own start-up. Undefined when
 * the line is something else (or help in a form only commander can judge): main then runs the program.
 */
export async function answerFast(argv: readonly string[], io: IO, version: string): Promise<number | undefined> {
  const tree = await commandTree(io, version);
  if (argv[0] === '__complete') {
    // As commander parses `__complete [mode] [words...]`: the first `--` only separates.
    const rest = argv.slice(1);
    const dd = rest.indexOf('--');
    const args = dd < 0 ? rest : [...rest.slice(0, dd), ...rest.slice(dd + 1)];
    await runComplete(io, tree, buildCompleteOptions(args), systemCompleteDeps(io));
    return 0;
  }
  const path = helpRequest(tree, argv);
  if (!path) return undefined;
  io.stdout.write(renderHelp(path, helpWidth(io.stdout)));
  return 0;
}

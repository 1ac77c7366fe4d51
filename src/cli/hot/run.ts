import { answerLine } from '../hot-entry.js';

// For test/e2e/hot-entry/hot-given-flags.test.ts: the built file finds the tree's data beside it.
export { givenFlags } from '../hot-entry.js';

/**
 * dist/bundle/hot-run.cjs: `run -- CMD` in the hot entry's grammar (cli/hot-entry.ts), as its definition wires it.
 * The line is read with run's own flag table, so the command's module is evaluated first, and only on a line that
 * names `run` before `--` (bin/scoped.cjs sends no other here, but a word that is a flag's value can).
 */
export async function answer(argv: string[]): Promise<number | undefined> {
  const end = argv.indexOf('--');
  if (!(end < 0 ? argv : argv.slice(0, end)).includes('run')) return undefined;
  const { runCommand, runRun } = await import('../../commands/run.js');
  return answerLine(argv, 'run', (ctx, line) => runRun(ctx, runCommand.build(line.args, line.flags, ctx.global)), runCommand.options);
}

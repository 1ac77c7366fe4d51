import { answerLine } from '../hot-entry.js';

// For test/e2e/hot-entry/hot-given-flags.test.ts: the built file finds the tree's data beside it.
export { givenFlags } from '../hot-entry.js';

/**
 * dist/bundle/hot-export.cjs: `export` in the hot entry's grammar (cli/hot-entry.ts), as its definition wires it;
 * the command's module evaluated only for a line the entry takes.
 */
export const answer = (argv: string[]): Promise<number | undefined> =>
  answerLine(argv, 'export', async (ctx, line) => {
    const { exportCommand, runExport } = await import('../../commands/export.js');
    return runExport(ctx, exportCommand.build(line.args, line.flags, ctx.global));
  });

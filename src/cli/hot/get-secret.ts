import { answerLine } from '../hot-entry.js';

// For test/e2e/hot-entry/hot-given-flags.test.ts: the built file finds the tree's data beside it.
export { givenFlags } from '../hot-entry.js';

/**
 * dist/bundle/hot-get.cjs: `get secret` in the hot entry's grammar (cli/hot-entry.ts), as its definition wires it;
 * the command's module evaluated only for a line the entry takes.
 */
export const answer = (argv: string[]): Promise<number | undefined> =>
  answerLine(argv, 'get secret', async (ctx, line) => {
    const { getSecretCommand, runGetSecret } = await import('../../commands/get-secret.js');
    return runGetSecret(ctx, getSecretCommand.build(line.args, line.flags, ctx.global));
  });

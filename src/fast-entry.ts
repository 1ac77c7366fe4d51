import { answerFast } from './cli/fast-path.js';
import { settled } from './cli/settle.js';
import { systemIO } from './io.js';
import { version } from './version.js';

/**
 * The build's second entry, dist/bundle/fast.cjs: one self-contained file (scripts/bundle.mjs) that answers
 * `--version`, help, Tab and `completion <shell>` (cli/fast-lines.ts), so those load one file instead of the CLI's
 * chunks. Undefined when it declines a line, having written nothing: bin/scoped.cjs then runs the full CLI.
 */
export async function answer(argv: string[]): Promise<number | undefined> {
  const io = systemIO({ directStdout: true });
  const code = await answerFast(argv, io, version());
  return code === undefined ? undefined : settled(io, code);
}

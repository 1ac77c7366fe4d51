import { ExitCode } from '../errors.js';
import type { IO } from '../io.js';
import { describeFsError } from '../support/fs-errors.js';

/**
 * A command's code once stdout has taken its data. Data that never arrived is a failure: one line, exit 6
 * (the output is unavailable), unless the command already failed with its own code (or `run` returns its
 * child's). main.ts and the fast entry (help, Tab) both end here.
 */
export async function settled(io: IO, code: number): Promise<number> {
  const lost = await io.settleOut?.();
  if (lost === undefined) return code;
  io.stderr.write(`scoped: cannot write to stdout: ${describeFsError(lost)}; the output is incomplete\n`);
  return code === ExitCode.ok ? ExitCode.unavailable : code;
}

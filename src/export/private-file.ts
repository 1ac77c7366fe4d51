import { resolve } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { describeFsError } from '../cli/fs-errors.js';
import { UsageError } from '../errors.js';

/** `path` with mode 0600, all at once (see writeFileAtomic). */
export function writePrivateFile(path: string, text: string): void {
  writeFileAtomic(path, text);
}

/** `--out PATH` of `render` and `export`: PATH relative to `cwd`, a failure in words naming the flag. */
export function writeOutFile(cwd: string, out: string, text: string): void {
  try {
    writePrivateFile(resolve(cwd, out), text);
  } catch (err) {
    throw new UsageError(`cannot write --out ${out}: ${describeFsError(err)}`);
  }
}

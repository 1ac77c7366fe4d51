import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { describeFsError } from '../cli/fs-errors.js';
import { UsageError } from '../errors.js';

/**
 * Writes `path` with mode 0600, all at once: a temp file in the same folder (created 0600, so the text
 * is never readable by others, whatever the umask), fsync, then rename over. A reader sees the old file
 * or the whole new one; on failure the temp file is removed and `path` is untouched.
 */
export function writePrivateFile(path: string, text: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    try {
      fchmodSync(fd, 0o600);
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** `--out PATH` of `render` and `export`: PATH relative to `cwd`, a failure in words naming the flag. */
export function writeOutFile(cwd: string, out: string, text: string): void {
  try {
    writePrivateFile(resolve(cwd, out), text);
  } catch (err) {
    throw new UsageError(`cannot write --out ${out}: ${describeFsError(err)}`);
  }
}

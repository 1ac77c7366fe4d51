import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { describeFsError } from '../cli/fs-errors.js';
import { UnavailableError, UsageError } from '../errors.js';

/** The device, not the path, is at fault: exit 6, as for a stdout that cannot take the output. */
const DEVICE_FAULTS = new Set(['ENOSPC', 'EDQUOT', 'EIO']);

/** `path` with mode 0600, all at once (see writeFileAtomic). */
export function writePrivateFile(path: string, text: string): void {
  writeFileAtomic(path, text);
}

/** `--out PATH` of `render` and `export`: PATH relative to `cwd`, a failure in words naming the flag. */
export function writeOutFile(cwd: string, out: string, text: string): void {
  const path = resolve(cwd, out);
  refuseSpecialFile(out, path);
  try {
    writePrivateFile(path, text);
  } catch (err) {
    const line = `cannot write --out ${out}: ${describeFsError(err)}`;
    if (DEVICE_FAULTS.has((err as NodeJS.ErrnoException).code ?? '')) throw new UnavailableError(`${line}; nothing was written`);
    throw new UsageError(line);
  }
}

/**
 * The file is replaced by a rename, so a device, FIFO or socket at PATH (`--out /dev/stdout`) would itself
 * be replaced by a regular file, which is never what was meant.
 */
function refuseSpecialFile(out: string, path: string): void {
  let special = false;
  try {
    const st = statSync(path);
    // A directory is reported by the write itself ("is a directory").
    special = !st.isFile() && !st.isDirectory();
  } catch {
    return; // absent (created below) or unreadable (reported by the write)
  }
  if (special) throw new UsageError(`--out ${out} is not a regular file, and writing it would replace it`, 'redirect instead (> FILE), or use --out - for stdout');
}

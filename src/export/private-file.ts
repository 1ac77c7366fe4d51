import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { writeFileAtomic } from '../support/atomic-write.js';
import { describeFsError } from '../support/fs-errors.js';
import { UnavailableError, UsageError } from '../errors.js';

/** The device, not the path, is at fault: exit 6, as for a stdout that cannot take the output. */
const DEVICE_FAULTS = new Set(['ENOSPC', 'EDQUOT', 'EIO']);

/** Folders of devices and descriptors (`/dev/stdout` -> `/proc/self/fd/1`): never a place for a replaced file. */
const SPECIAL_ROOTS = ['/dev', '/proc', '/sys'];

/** Links followed before giving up, as the kernel's own limit (ELOOP). */
const MAX_LINKS = 40;

const REDIRECT_HINT = 'redirect instead (> FILE), or use --out - for stdout';

/** `path` with mode 0600, all at once (see writeFileAtomic). */
export function writePrivateFile(path: string, text: string): void {
  writeFileAtomic(path, text);
}

/**
 * `--out PATH` of `render`, `export` and `pin`: PATH relative to `cwd`, a failure in words naming the flag.
 * A symbolic link is followed and its target replaced (the link stays), as npm's write-file-atomic does;
 * a link into /dev or /proc (`/dev/stdout`) is refused, since the rename would replace the link itself.
 */
export function writeOutFile(cwd: string, out: string, text: string): void {
  const path = outTarget(out, resolve(cwd, out));
  try {
    writePrivateFile(path, text);
  } catch (err) {
    const line = `cannot write --out ${out}: ${describeFsError(err)}`;
    if (DEVICE_FAULTS.has((err as NodeJS.ErrnoException).code ?? '')) throw new UnavailableError(`${line}; nothing was written`);
    throw new UsageError(line);
  }
}

/**
 * The regular file (or absent name) that `--out` really names: its links followed one by one, each hop
 * checked. The file is replaced by a rename, so a device, FIFO or socket, or anything under /dev, /proc
 * or /sys, would itself be replaced by a regular file, which is never what was meant.
 */
function outTarget(out: string, path: string): string {
  let hop = path;
  for (let links = 0; ; links++) {
    if (isSpecialPlace(hop))
      throw new UsageError(`--out ${out} ${hop === path ? 'is' : `leads to ${hop}, which is`} a device or descriptor, and writing it would replace it`, REDIRECT_HINT);
    let st;
    try {
      st = lstatSync(hop);
    } catch {
      return hop; // absent (created by the write) or unreadable (reported by the write)
    }
    if (!st.isSymbolicLink()) {
      // A directory is reported by the write itself ("is a directory").
      if (!st.isFile() && !st.isDirectory()) throw new UsageError(`--out ${out} is not a regular file, and writing it would replace it`, REDIRECT_HINT);
      return hop;
    }
    if (links === MAX_LINKS) throw new UsageError(`--out ${out}: too many levels of symbolic links`, 'point --out at a regular file');
    hop = resolve(dirname(hop), readlinkSync(hop));
  }
}

/** Whether `path`, or the real folder it is in (links in its folders followed), is under /dev, /proc or /sys. */
function isSpecialPlace(path: string): boolean {
  const under = (p: string) => SPECIAL_ROOTS.some((root) => p === root || p.startsWith(root + sep));
  if (under(path)) return true;
  try {
    return under(realpathSync(dirname(path)));
  } catch {
    return false; // a missing folder: the write reports it
  }
}

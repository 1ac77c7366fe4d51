import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { builtin } from './builtin.js';
import { basename, dirname, join } from 'node:path';

/**
 * The one atomic write: `path` gets `data` whole or not at all, with mode 0600 from the first byte
 * (whatever the umask). A temp file beside `path` (created exclusively, 0600), written, fsynced, renamed
 * over `path`, then the folder fsynced so the rename survives a power cut. A reader sees the old file or
 * the whole new one; on failure the temp file is removed and `path` is untouched.
 */
// node:crypto on first write: help and Tab bundle this module (fast-entry.ts) and rarely write.

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${builtin('node:crypto').randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      fchmodSync(fd, 0o600);
      writeAll(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDir(dirname(path));
}

/**
 * Writes every byte of `data` at `fd`'s position. write(2) may write fewer bytes than asked (a file system
 * that fills mid-write writes what fits and fails only on the next call), so a single writeSync can
 * silently truncate: loop until all are written. The next call after a short write reports the real
 * fault (ENOSPC, EDQUOT, EIO); a write that makes no progress is EIO rather than a loop without end.
 * `write` is fs.writeSync, or a test's.
 */
export function writeAll(fd: number, data: Uint8Array, write: (fd: number, data: Uint8Array, offset: number, length: number) => number = writeSync): void {
  let done = 0;
  while (done < data.length) {
    const n = write(fd, data, done, data.length - done);
    if (!(n > 0)) throw Object.assign(new Error(`write made no progress (${done} of ${data.length} bytes written)`), { code: 'EIO', syscall: 'write' });
    done += n;
  }
}

/** Makes a rename or unlink in `dir` durable. Some file systems refuse to open a folder for this; that is no error. */
export function fsyncDir(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // EINVAL/EISDIR on file systems without directory fsync.
  } finally {
    closeSync(fd);
  }
}

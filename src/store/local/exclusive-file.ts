import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, openSync, unlinkSync } from 'node:fs';
import { writeAll } from '../../support/atomic-write.js';

/**
 * Creates `path` holding `text` unless something is there already (true when this call made it).
 * Written whole to a temp file (0600, fsynced), then hard-linked into place: a reader never sees a
 * half-written file, and of two processes creating it at once exactly one wins. For the key file, the
 * key check and lock files; replacing a file is `support/atomic-write.ts`'s job.
 */
export function createExclusive(path: string, text: string): boolean {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeAll(fd, Buffer.from(text, 'utf8'));
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    unlinkSync(tmp);
    throw err;
  }
  closeSync(fd);
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StoreCorruptError, UsageError } from '../../errors.js';

export const KEY_FILE = 'local.key';

function decodeKey(text: string, where: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) {
    throw new UsageError(`${where} is not a base64-encoded 32-byte key`, 'generate one with: openssl rand -base64 32');
  }
  return key;
}

/**
 * The local store's key: SCOPED_LOCAL_KEY (base64 of 32 bytes) or `<home>/local.key`, created on first
 * use with mode 0600. Creation is exclusive, so two first runs at once agree on one key.
 */
export function loadKey(home: string, envKey: string | undefined): Buffer {
  if (envKey !== undefined && envKey !== '') return decodeKey(envKey, 'SCOPED_LOCAL_KEY');
  const path = join(home, KEY_FILE);
  if (!existsSync(path)) createKeyFile(path);
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new StoreCorruptError(`key file ${path} is readable by others (mode ${mode.toString(8)})`, `run: chmod 600 ${path}`);
  }
  const text = readFileSync(path, 'utf8');
  if (text.trim() === '') {
    throw new StoreCorruptError(`key file ${path} is empty`, 'restore it from a backup or set SCOPED_LOCAL_KEY');
  }
  return decodeKey(text, `key file ${path}`);
}

/** Written whole to a temp file, then linked into place: readers never see a half-written key. */
function createKeyFile(path: string): void {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, `${randomBytes(32).toString('base64')}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    unlinkSync(tmp);
  }
}

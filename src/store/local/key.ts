import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { AccessDeniedError, StoreCorruptError, UsageError } from '../../errors.js';
import { keyCheck } from './crypto.js';
import { STORE_FILE, type StoreHeader } from './store-file.js';

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
 * use with mode 0600 (exclusive, so two first runs at once agree on one key). A key that does not match
 * the store's key check, or a key file missing beside a store that holds secrets, is refused: values
 * sealed under two keys would be lost.
 */
export function loadKey(home: string, envKey: string | undefined, header: StoreHeader): Buffer {
  const key = readKey(home, envKey, header);
  if (header.keyCheck !== undefined && header.keyCheck !== keyCheck(key)) {
    const source = envKey ? 'SCOPED_LOCAL_KEY' : `the key file ${join(home, KEY_FILE)}`;
    throw new AccessDeniedError(
      `${source} is not the key of local store ${join(home, STORE_FILE)}`,
      'use the key the store was created with (SCOPED_LOCAL_KEY or local.key); nothing was changed',
    );
  }
  return key;
}

function readKey(home: string, envKey: string | undefined, header: StoreHeader): Buffer {
  if (envKey !== undefined && envKey !== '') return decodeKey(envKey, 'SCOPED_LOCAL_KEY');
  const path = join(home, KEY_FILE);
  if (!existsSync(path)) {
    if (header.keyCheck !== undefined) {
      throw new AccessDeniedError(
        `local store ${join(home, STORE_FILE)} has secrets but its key file ${path} is missing`,
        'set SCOPED_LOCAL_KEY or restore local.key; no new key was made',
      );
    }
    createKeyFile(path);
  }
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

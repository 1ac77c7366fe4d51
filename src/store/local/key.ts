import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir } from '../../support/atomic-write.js';
import { AccessDeniedError, StoreCorruptError, UsageError } from '../../errors.js';
import { keyCheck } from './crypto.js';
import { createExclusive } from './exclusive-file.js';
import { KEY_FILE } from '../key-file.js';

export { KEY_FILE };
/** The fingerprint (`keyCheck()`) of the key every value of the store is sealed with; made by the first write. */
export const KEY_CHECK_FILE = 'key-check';

/** The store's key check, or undefined while nothing has been sealed. */
export function readKeyCheck(home: string): string | undefined {
  try {
    const text = readFileSync(join(home, KEY_CHECK_FILE), 'utf8').trim();
    if (text === '') throw new StoreCorruptError(`local store file ${join(home, KEY_CHECK_FILE)} is empty`, 'restore it from a backup');
    return text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Makes `check` the store's key check unless it has one (exclusive, so two first writers agree on one),
 * then refuses a key that is not the store's: values sealed under two keys would be lost.
 */
export function ensureKeyCheck(home: string, check: string, envKey?: string): void {
  let current = readKeyCheck(home);
  if (current === undefined) {
    createExclusive(join(home, KEY_CHECK_FILE), `${check}\n`);
    fsyncDir(home);
    current = readKeyCheck(home);
  }
  if (current !== check) throw wrongKey(home, envKey);
}

function wrongKey(home: string, envKey: string | undefined): AccessDeniedError {
  const source = envKey ? 'SCOPED_LOCAL_KEY' : `the key file ${join(home, KEY_FILE)}`;
  return new AccessDeniedError(`${source} is not the key of local store ${home}`, 'use the key the store was created with (SCOPED_LOCAL_KEY or local.key); nothing was changed');
}

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
export function loadKey(home: string, envKey: string | undefined, storeCheck: string | undefined): Buffer {
  const key = readKey(home, envKey, storeCheck);
  if (storeCheck !== undefined && storeCheck !== keyCheck(key)) throw wrongKey(home, envKey);
  return key;
}

function readKey(home: string, envKey: string | undefined, storeCheck: string | undefined): Buffer {
  if (envKey !== undefined && envKey !== '') return decodeKey(envKey, 'SCOPED_LOCAL_KEY');
  const path = join(home, KEY_FILE);
  if (!existsSync(path)) {
    if (storeCheck !== undefined) {
      throw new AccessDeniedError(`local store ${home} has secrets but its key file ${path} is missing`, 'set SCOPED_LOCAL_KEY or restore local.key; no new key was made');
    }
    createExclusive(path, `${randomBytes(32).toString('base64')}\n`);
  }
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new AccessDeniedError(`key file ${path} is open to others (mode ${mode.toString(8)})`, `run: chmod 600 ${path}`);
  }
  const text = readFileSync(path, 'utf8');
  if (text.trim() === '') {
    throw new StoreCorruptError(`key file ${path} is empty`, 'restore it from a backup or set SCOPED_LOCAL_KEY');
  }
  return decodeKey(text, `key file ${path}`);
}

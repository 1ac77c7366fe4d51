import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/** One encrypted value: AES-256-GCM with a random 96-bit nonce; the AAD binds it to its name and version. */
export interface Sealed {
  iv: string;
  data: string;
  tag: string;
}

const ALGORITHM = 'aes-256-gcm';

/**
 * A fingerprint of the key, kept in the store file: tells at once whether a key opens this store,
 * before anything is written under another key. An HMAC of a constant says nothing about the key.
 */
export function keyCheck(key: Buffer): string {
  return createHmac('sha256', key).update('scoped-local/1 key check').digest('base64').slice(0, 22);
}

export function seal(key: Buffer, plaintext: Uint8Array, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv(ALGORITHM, key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv: iv.toString('base64'), data: data.toString('base64'), tag: cipher.getAuthTag().toString('base64') };
}

/** Throws (any error) when the key, the AAD or the ciphertext do not match. */
export function open(key: Buffer, sealed: Sealed, aad: string): Buffer {
  const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
}

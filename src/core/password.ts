import { UsageError } from '../errors.js';

/**
 * Generated values: Secrets Manager's GetRandomPassword rules, so both backends draw from the same
 * alphabet. Pure: the random source is passed in (node:crypto's randomInt on the local store).
 *
 * The character types are GetRandomPassword's: lower-case and upper-case letters, digits, and its 32
 * punctuation characters `! " # $ % & ' ( ) * + , - . / : ; < = > ? @ [ \ ] ^ _ ` { | } ~` (every
 * printable ASCII character that is not a letter, digit or space). No space: scoped never asks for one.
 */
export interface PasswordRules {
  length: number;
  /** Characters never used. */
  excludeChars: string;
  excludePunctuation: boolean;
  /** At least one character of each type still in the alphabet (RequireEachIncludedType). */
  requireEachType: boolean;
}

export const DEFAULT_PASSWORD_LENGTH = 32;
/** GetRandomPassword's PasswordLength range. */
export const MIN_PASSWORD_LENGTH = 1;
export const MAX_PASSWORD_LENGTH = 4096;
/** ExcludeCharacters is at most 4096 characters. */
export const MAX_EXCLUDE_CHARS = 4096;

export const LOWER = 'abcdefghijklmnopqrstuvwxyz';
export const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const DIGITS = '0123456789';
export const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** The character types the rules leave, each without the excluded characters; empty types dropped. */
export function passwordTypes(rules: Pick<PasswordRules, 'excludeChars' | 'excludePunctuation'>): string[] {
  const excluded = new Set(rules.excludeChars);
  const types = rules.excludePunctuation ? [LOWER, UPPER, DIGITS] : [LOWER, UPPER, DIGITS, PUNCTUATION];
  return types.map((t) => [...t].filter((c) => !excluded.has(c)).join('')).filter((t) => t.length > 0);
}

/** Every character a value may hold under these rules. */
export function passwordAlphabet(rules: Pick<PasswordRules, 'excludeChars' | 'excludePunctuation'>): string {
  return passwordTypes(rules).join('');
}

/** The rules from the flags, checked (exit 2 naming the flag). */
export function passwordRules(o: { length?: string | undefined; excludeChars?: string | undefined; noPunctuation?: boolean; requireEachType?: boolean }): PasswordRules {
  const length = o.length === undefined ? DEFAULT_PASSWORD_LENGTH : Number(o.length);
  if (!/^\d+$/.test(o.length ?? '32') || !Number.isInteger(length) || length < MIN_PASSWORD_LENGTH || length > MAX_PASSWORD_LENGTH) {
    throw new UsageError(`--length must be a whole number from ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH}, not ${JSON.stringify(o.length)}`);
  }
  const excludeChars = o.excludeChars ?? '';
  if (excludeChars.length > MAX_EXCLUDE_CHARS) throw new UsageError(`--exclude-chars is at most ${MAX_EXCLUDE_CHARS} characters`);
  const rules: PasswordRules = { length, excludeChars, excludePunctuation: o.noPunctuation === true, requireEachType: o.requireEachType === true };
  const types = passwordTypes(rules);
  if (types.length === 0) throw new UsageError('--exclude-chars leaves no character to generate from', 'exclude fewer characters');
  if (rules.requireEachType && length < types.length) {
    throw new UsageError(`--require-each-type needs --length of at least ${types.length} (one character of each of ${types.length} types)`);
  }
  return rules;
}

/**
 * A value under the rules, each character drawn uniformly from the alphabet with `randomInt(n)` (which
 * must be uniform on 0..n-1: node:crypto's rejects draws rather than reducing modulo n). With
 * requireEachType a whole value lacking a type is drawn again, so every allowed value stays equally likely.
 */
export function generatePassword(rules: PasswordRules, randomInt: (n: number) => number): string {
  const types = passwordTypes(rules);
  const alphabet = types.join('');
  for (;;) {
    let out = '';
    for (let i = 0; i < rules.length; i++) out += alphabet[randomInt(alphabet.length)] as string;
    if (!rules.requireEachType || types.every((t) => [...t].some((c) => out.includes(c)))) return out;
  }
}

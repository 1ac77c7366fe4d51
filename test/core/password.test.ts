import { describe, expect, it } from 'vitest';
import { randomInt } from 'node:crypto';
import { DIGITS, generatePassword, LOWER, passwordAlphabet, passwordRules, passwordTypes, PUNCTUATION, UPPER } from '../../src/core/password.js';
import { UsageError } from '../../src/errors.js';

describe('passwordRules (the flags)', () => {
  it('defaults to 32 characters of all four types, nothing required', () => {
    expect(passwordRules({})).toEqual({ length: 32, excludeChars: '', excludePunctuation: false, requireEachType: false });
  });

  it("accepts Secrets Manager's range 1..4096", () => {
    expect(passwordRules({ length: '1' }).length).toBe(1);
    expect(passwordRules({ length: '4096' }).length).toBe(4096);
  });

  it.each(['0', '4097', '-1', '1.5', 'ten', '', ' 8', '1e3'])('refuses --length %j (exit 2)', (length) => {
    expect(() => passwordRules({ length })).toThrow(UsageError);
    expect(() => passwordRules({ length })).toThrow(/--length must be a whole number from 1 to 4096/);
  });

  it('refuses exclusions that leave nothing', () => {
    expect(() => passwordRules({ excludeChars: LOWER + UPPER + DIGITS, noPunctuation: true })).toThrow(/leaves no character/);
  });

  it('--require-each-type needs a length of at least the number of types left', () => {
    expect(() => passwordRules({ length: '3', requireEachType: true })).toThrow(/at least 4/);
    expect(passwordRules({ length: '3', requireEachType: true, noPunctuation: true }).length).toBe(3);
    // digits all excluded: three types left
    expect(passwordRules({ length: '3', requireEachType: true, excludeChars: DIGITS }).length).toBe(3);
  });
});

describe('the alphabet', () => {
  it("is GetRandomPassword's: letters, digits and the 32 punctuation characters, no space", () => {
    expect(PUNCTUATION).toHaveLength(32);
    const printable = Array.from({ length: 126 - 33 + 1 }, (_, i) => String.fromCharCode(33 + i)).join('');
    expect([...passwordAlphabet({ excludeChars: '', excludePunctuation: false })].sort().join('')).toBe([...printable].sort().join(''));
  });

  it('drops punctuation and excluded characters', () => {
    expect(passwordAlphabet({ excludeChars: '', excludePunctuation: true })).toBe(LOWER + UPPER + DIGITS);
    expect(passwordAlphabet({ excludeChars: 'aA0!', excludePunctuation: false })).toBe(LOWER.slice(1) + UPPER.slice(1) + DIGITS.slice(1) + PUNCTUATION.slice(1));
    expect(passwordTypes({ excludeChars: DIGITS, excludePunctuation: true })).toEqual([LOWER, UPPER]);
  });
});

describe('generatePassword', () => {
  it('draws each character with randomInt over the alphabet (a fixed source gives a fixed value)', () => {
    const seq = [0, 1, 2, 93];
    let i = 0;
    const rules = passwordRules({ length: '4' });
    expect(generatePassword(rules, (n) => (expect(n).toBe(94), seq[i++] as number))).toBe('abc~');
  });

  it('redraws a whole value that lacks a required type', () => {
    const draws = [0, 0, 0, /* all lower: redrawn */ 0, 26, 52];
    let i = 0;
    const rules = passwordRules({ length: '3', requireEachType: true, noPunctuation: true });
    expect(generatePassword(rules, () => draws[i++] as number)).toBe('aA0');
    expect(i).toBe(6);
  });

  it('with require-each-type at the shortest length, every type is there', () => {
    const rules = passwordRules({ length: '4', requireEachType: true });
    for (let k = 0; k < 200; k++) {
      const v = generatePassword(rules, randomInt);
      for (const t of [LOWER, UPPER, DIGITS, PUNCTUATION]) expect([...v].some((c) => t.includes(c))).toBe(true);
    }
  });
});

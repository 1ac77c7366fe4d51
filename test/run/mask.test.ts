import { describe, expect, it } from 'vitest';
import { Masker, maskNeedles, tooShortToMask } from '../../src/run/mask.js';
import { rng } from '../helpers/seed.js';

/** Feeds `text` in the given chunk sizes (cycled) and returns everything the masker let out. */
function stream(values: string[], text: string | Buffer, sizes: number[] = [text.length]): { out: string; afterEachWrite: string[] } {
  const m = new Masker(maskNeedles(values));
  const input = Buffer.from(text);
  const parts: Buffer[] = [];
  const afterEachWrite: string[] = [];
  for (let i = 0, n = 0; i < input.length; n++) {
    const size = Math.max(1, sizes[n % sizes.length] as number);
    parts.push(m.push(input.subarray(i, i + size)));
    afterEachWrite.push(Buffer.concat(parts).toString('latin1'));
    i += size;
  }
  parts.push(m.end());
  return { out: Buffer.concat(parts).toString('utf8'), afterEachWrite };
}

const mask = (values: string[], text: string, sizes?: number[]): string => stream(values, text, sizes).out;

describe('masking', () => {
  it('replaces a value, leaving the rest alone', () => {
    expect(mask(['hunter22'], 'password=hunter22; done\n')).toBe('password=***; done\n');
    expect(mask(['hunter22'], 'nothing secret here')).toBe('nothing secret here');
    expect(mask(['hunter22'], 'hunter2 hunter22hunter22 hunter2')).toBe('hunter2 *** hunter2');
  });

  it('holds when every write is one byte', () => {
    const text = 'a hunter22 b hunter2 hunter22\nc';
    expect(mask(['hunter22'], text, [1])).toBe('a *** b hunter2 ***\nc');
  });

  it('gives the same output however the input is split', () => {
    const values = ['hunter22', 'hunter22-long', 'line one\nline two', 'é-secret-é', 'aaaa'];
    const r = rng(42);
    const alphabet = ['hunter2', '2', '-long', 'line one', '\n', 'line two', 'é', '-secret-', 'a', 'aa', 'x', ' '];
    for (let t = 0; t < 300; t++) {
      const text = Array.from({ length: 30 }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
      const whole = mask(values, text);
      const sizes = Array.from({ length: 5 }, () => 1 + Math.floor(r() * 7));
      expect(mask(values, text, sizes), JSON.stringify({ text, sizes })).toBe(whole);
      expect(mask(values, text, [1])).toBe(whole);
    }
  });

  it('masks multi-line values, whole or line by line', () => {
    const pem = '-----BEGIN KEY-----\nMIIBOgIBAAJBAK\n-----END KEY-----';
    expect(mask([pem], `key:\n${pem}\nend`, [1])).toBe('key:\n***\nend');
    expect(mask([pem], 'the body MIIBOgIBAAJBAK leaked')).toBe('the body *** leaked');
    expect(mask(['ab\r\ncdef'], 'x cdef y')).toBe('x *** y');
  });

  it('hides the longer value when one value is a prefix of another', () => {
    for (const sizes of [[100], [1], [3, 1, 2]]) {
      expect(mask(['secret', 'secret-extended'], 'A secret-extended B', sizes)).toBe('A *** B');
      expect(mask(['secret', 'secret-extended'], 'A secret-ext B', sizes)).toBe('A ***-ext B');
      expect(mask(['secret-extended', 'secret'], 'secret', sizes)).toBe('***');
    }
  });

  it('hides overlapping and touching values as one run', () => {
    expect(mask(['abcdef', 'defghi'], '1abcdefghi2')).toBe('1***2');
    expect(mask(['abcd', 'efgh'], 'abcdefgh', [1])).toBe('***');
  });

  it('holds back only a tail that could still start a value', () => {
    const { afterEachWrite } = stream(['hunter22'], 'log hunter line hunx', [4]);
    // "log " cannot start the value: out at once. "hunt" might: held. "er l" decides it, as "hunx" does.
    expect(afterEachWrite).toEqual(['log ', 'log ', 'log hunter l', 'log hunter line ', 'log hunter line hunx']);
    expect(mask(['hunter22'], 'log hunter line hunx', [4])).toBe('log hunter line hunx');
    expect(stream(['hunter22'], 'hunter2', [7]).afterEachWrite).toEqual(['']);
    expect(mask(['hunter22'], 'tail hunter2', [1])).toBe('tail hunter2');
  });

  it('passes output larger than a pipe buffer', () => {
    const line = 'row with hunter22 in it and more text around it\n';
    const text = line.repeat(Math.ceil((200 * 1024) / line.length));
    const expected = text.replaceAll('hunter22', '***');
    expect(mask(['hunter22'], text, [65536])).toBe(expected);
    expect(mask(['hunter22'], text, [4093, 17])).toBe(expected);
  });

  it('works on bytes: split UTF-8 and binary values', () => {
    expect(mask(['pässwörd'], 'x pässwörd y', [1])).toBe('x *** y');
    const bin = new Uint8Array([0, 255, 1, 254]);
    const m = new Masker(maskNeedles([bin]));
    const out = Buffer.concat([m.push(Buffer.from([9, 0, 255])), m.push(Buffer.from([1, 254, 9])), m.end()]);
    expect([...out]).toEqual([9, ...Buffer.from('***'), 9]);
  });

  it('leaves values under 4 characters alone', () => {
    expect(mask(['abc', 'hunter22'], 'abc hunter22 abc')).toBe('abc *** abc');
    expect(maskNeedles(['abc', '', 'ab\ncd'])).toHaveLength(1); // only "ab\ncd" (5 characters) itself
    expect(tooShortToMask('abc')).toBe(true);
    expect(tooShortToMask('abcd')).toBe(false);
    expect(tooShortToMask('ééé')).toBe(true); // characters, not bytes
    const none = new Masker(maskNeedles(['abc']));
    expect(none.active).toBe(false);
    expect(none.push(Buffer.from('abc')).toString()).toBe('abc');
  });
});

import { describe, expect, it } from 'vitest';
import { buildGenerate } from '../../../src/commands/generate.js';
import { UsageError } from '../../../src/errors.js';

describe('--generate flags -> rules', () => {
  it('none without --generate', () => {
    expect(buildGenerate({ punctuation: true }, {})).toBeUndefined();
  });

  it('defaults: 32 characters, punctuation, no type required, not revealed', () => {
    expect(buildGenerate({ generate: true, punctuation: true }, {})).toEqual({
      rules: { length: 32, excludeChars: '', excludePunctuation: false, requireEachType: false },
      reveal: false,
    });
  });

  it('every flag', () => {
    expect(buildGenerate({ generate: true, length: '20', excludeChars: '"\'\\', punctuation: false, requireEachType: true, reveal: true }, {})).toEqual({
      rules: { length: 20, excludeChars: '"\'\\', excludePunctuation: true, requireEachType: true },
      reveal: true,
    });
  });

  it.each([
    [{ length: '8' }, '--length applies to --generate'],
    [{ excludeChars: 'x' }, '--exclude-chars applies to --generate'],
    [{ punctuation: false }, '--no-punctuation applies to --generate'],
    [{ requireEachType: true as const }, '--require-each-type applies to --generate'],
    [{ reveal: true as const }, '--reveal applies to --generate'],
  ])('%j without --generate is exit 2', (flags, why) => {
    expect(() => buildGenerate(flags, {})).toThrow(UsageError);
    expect(() => buildGenerate(flags, {})).toThrow(why);
  });

  it('a value given too is exit 2', () => {
    expect(() => buildGenerate({ generate: true }, { value: 'v' })).toThrow(/give no VALUE/);
    expect(() => buildGenerate({ generate: true }, { fromFile: '-' })).toThrow(/give no --from-file/);
    expect(() => buildGenerate({ generate: true, length: '0' }, {})).toThrow(/--length must be a whole number from 1 to 4096/);
  });
});

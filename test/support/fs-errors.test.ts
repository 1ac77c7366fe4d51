import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { describeFsError } from '../../src/support/fs-errors.js';

const errorOf = (f: () => unknown): unknown => {
  try {
    f();
  } catch (err) {
    return err;
  }
  throw new Error('no error');
};

describe('describeFsError', () => {
  it('says what is wrong in words', () => {
    expect(describeFsError(errorOf(() => readFileSync('/nonexistent/x')))).toBe('no such file or directory');
    expect(describeFsError(errorOf(() => readFileSync(tmpdir())))).toBe('is a directory');
    expect(describeFsError({ code: 'EWEIRD' })).toBe('EWEIRD');
    expect(describeFsError(new Error('x'))).toBe('cannot be accessed');
  });
});

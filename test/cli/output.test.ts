import { describe, expect, it } from 'vitest';
import { printable } from '../../src/cli/output.js';

describe('printable', () => {
  it('escapes control characters so stored text cannot drive the terminal', () => {
    expect(printable('ok\u001b]0;pwned\u0007 text')).toBe('ok\\x1b]0;pwned\\x07 text');
    expect(printable('a\tb\nc\rd\u009be')).toBe('a\\tb\\nc\\rd\\x9be');
    expect(printable('plain ✓ ünïcode')).toBe('plain ✓ ünïcode');
    expect(printable('invoice\u202Efdp.exe')).toBe('invoice\\u202efdp.exe');
  });
});

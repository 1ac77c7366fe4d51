import { afterEach, describe, expect, it, vi } from 'vitest';
import { isCI } from './ci.js';

describe('isCI', () => {
  it('is false with CI unset, empty, 0 or false in any case', () => {
    for (const CI of [undefined, '', '0', 'false', 'FALSE', 'False', ' false ', ' '] as const) expect(isCI(CI === undefined ? {} : { CI }), String(CI)).toBe(false);
  });

  it('is true with CI set to anything else', () => {
    for (const CI of ['true', 'TRUE', '1', 'yes', 'woodpecker']) expect(isCI({ CI }), CI).toBe(true);
  });

  afterEach(() => vi.unstubAllEnvs());

  it('reads process.env by default', () => {
    vi.stubEnv('CI', 'false');
    expect(isCI()).toBe(false);
    vi.stubEnv('CI', 'true');
    expect(isCI()).toBe(true);
  });
});

/** The build's guards on the fast file (scripts/fast-check.mjs), each made to happen. */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs build script, without types
import { checkFastFile, FAST_LIMIT } from '../../scripts/fast-check.mjs';

const check = checkFastFile as (file: string, out: { bytes: number; imports: { path: string }[] }, allowed: string[], limit?: number) => void;
const ALLOWED = ['./yaml.cjs', './store.js'];

describe('the fast file guards', () => {
  it("passes Node's built-ins and the shared files, within the limit", () => {
    expect(() => check('fast.cjs', { bytes: 40_000, imports: [{ path: 'node:fs' }, { path: './yaml.cjs' }, { path: './store.js' }] }, ALLOWED)).not.toThrow();
  });

  it('fails the build on an import of anything else (a chunk, a package): it would load a second copy', () => {
    expect(() => check('fast.cjs', { bytes: 40_000, imports: [{ path: './chunk-ABCD1234.js' }, { path: 'yaml' }] }, ALLOWED)).toThrow(
      'fast.cjs imports ./chunk-ABCD1234.js, yaml: bundle it, or share it through SHARED',
    );
  });

  it('fails the build past 72 kB: something heavy reached the fast path', () => {
    expect(FAST_LIMIT).toBe(72 * 1024);
    expect(() => check('fast.cjs', { bytes: FAST_LIMIT + 1, imports: [] }, ALLOWED)).toThrow(`fast.cjs is ${FAST_LIMIT + 1} bytes (limit ${FAST_LIMIT})`);
  });
});

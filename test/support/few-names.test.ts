import { describe, expect, it } from 'vitest';
import { fewNames } from '../../src/support/few-names.js';

/** Lists in messages end with "and N more" (issue 18). */
describe('fewNames', () => {
  it('five names, then how many more', () => {
    expect(fewNames(['A', 'B', 'C'])).toBe('A, B, C');
    expect(fewNames(['A', 'B', 'C', 'D', 'E'])).toBe('A, B, C, D, E');
    expect(fewNames(['A', 'B', 'C', 'D', 'E', 'F', 'G'])).toBe('A, B, C, D, E and 2 more');
  });
});

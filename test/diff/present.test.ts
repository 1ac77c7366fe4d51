import { describe, expect, it } from 'vitest';
import { oddCells } from '../../src/diff/present.js';

describe('oddCells', () => {
  it("marks the cells fewer deployments share than the row's most common value (or absence)", () => {
    const cell = (group: number) => ({ scope: 'org' as const, name: 'n', group });
    expect(oddCells({ key: 'K', status: 'differ', cells: [cell(0), cell(1), cell(0)] })).toEqual([false, true, false]);
    expect(oddCells({ key: 'K', status: 'missing', cells: [cell(0), undefined, undefined, cell(0), undefined] })).toEqual([true, false, false, true, false]);
    expect(oddCells({ key: 'K', status: 'same', cells: [cell(0), cell(0), cell(0)] })).toEqual([false, false, false]);
    expect(oddCells({ key: 'K', status: 'missing', cells: [cell(0), undefined] })).toEqual([false, true]);
    expect(oddCells({ key: 'K', status: 'differ', cells: [cell(0), cell(1)] })).toEqual([false, false]);
  });
});

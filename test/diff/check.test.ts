import { describe, expect, it } from 'vitest';
import { resolveDeployment } from '../../src/core/resolve.js';
import { checkKeys, requiredWinners, valueProblem } from '../../src/diff/check.js';

describe('check findings', () => {
  it('missing, binary (bytes or NUL), blank; fine otherwise', () => {
    expect(valueProblem('x')).toBeUndefined();
    expect(valueProblem(' \n\t')).toBe('empty');
    expect(valueProblem('a\0b')).toBe('binary');
    expect(valueProblem(new Uint8Array([65]))).toBe('binary');
    const d = { org: 'acme', project: 'p', domain: 'd' };
    const cands = [
      { scope: { org: 'acme' }, key: 'A', name: 'n/A' },
      { scope: { org: 'acme' }, key: 'B', name: 'n/B' },
    ];
    const winners = requiredWinners(['A', 'B', 'C'], [resolveDeployment(d, cands)]);
    const found = checkKeys(
      ['A', 'B', 'C'],
      winners,
      new Map<string, string | Uint8Array>([
        ['n/A', 'ok'],
        ['n/B', new Uint8Array([1])],
      ]),
    );
    expect(found[0]?.map((k) => [k.key, k.problem ?? null])).toEqual([
      ['A', null],
      ['B', 'binary'],
      ['C', 'missing'],
    ]);
  });
});

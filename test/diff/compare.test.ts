import { describe, expect, it } from 'vitest';
import { parseSecretName } from '../../src/core/naming.js';
import { resolveDeployment, type Candidate } from '../../src/core/resolve.js';
import { alignKeys, compareRows, groupLetter, sameValue, selectRows, winnersToRead, type DiffRow } from '../../src/diff/compare.js';
import type { SecretValue } from '../../src/store/types.js';
import { A, B, comboWrites, combos, PREFIX } from './combos.js';

/** The combinations' secrets as candidates and values, as a store would give them. */
function world(): { candidates: Candidate[]; values: Map<string, SecretValue> } {
  const candidates: Candidate[] = [];
  const values = new Map<string, SecretValue>();
  for (const op of comboWrites(combos())) {
    if (op.kind !== 'create') continue;
    const parsed = parseSecretName(PREFIX, op.input.name);
    if (!parsed) throw new Error(op.input.name);
    candidates.push({ ...parsed, name: op.input.name });
    values.set(op.input.name, op.input.value);
  }
  return { candidates, values };
}

describe('diff of two deployments: every presence combination on each side', () => {
  const { candidates, values } = world();
  const aligned = alignKeys([resolveDeployment(A, candidates), resolveDeployment(B, candidates)]);
  const toRead = winnersToRead(aligned);
  const read = new Map(toRead.map((c) => [c.name, values.get(c.name) as SecretValue]));
  const rows = new Map(compareRows(aligned, read).map((r) => [r.key, r]));

  it.each(combos().map((c) => [c.key, c] as const))('%s', (_key, c) => {
    const row = rows.get(c.key);
    if (c.status === undefined) return expect(row).toBeUndefined();
    expect(row?.status).toBe(c.status);
    expect(row?.cells.map((cell) => cell?.scope ?? null)).toEqual([c.a, c.b]);
    const groups = row?.cells.map((cell) => cell?.group);
    if (c.status === 'differ') expect(groups).toEqual([0, 1]);
    if (c.status === 'same' || c.status === 'scope') expect(groups).toEqual([0, 0]);
  });

  it('reads only winners whose comparison matters, each once', () => {
    const needed = new Set(toRead.map((c) => c.name));
    expect(needed.size).toBe(toRead.length);
    for (const row of aligned) {
      const [a, b] = row.winners;
      const matters = a !== undefined && b !== undefined && a.name !== b.name;
      expect(a ? needed.has(a.name) : false).toBe(matters);
      expect(b ? needed.has(b.name) : false).toBe(matters);
    }
    expect(toRead).toHaveLength(combos().filter((c) => c.mustRead).length * 2);
    // An org-wide key both sides share is never read.
    expect(toRead.some((c) => c.key === 'NE_o')).toBe(false);
  });

  it('shows differences only, adds scope-only ones with --scopes, everything with --all', () => {
    const all = [...rows.values()];
    const count = (r: DiffRow[], s: string) => r.filter((x) => x.status === s).length;
    const plain = selectRows(all, { scopes: false, all: false });
    expect(count(plain, 'scope') + count(plain, 'same')).toBe(0);
    expect(plain.length).toBe(count(all, 'missing') + count(all, 'differ'));
    const scopes = selectRows(all, { scopes: true, all: false });
    expect(scopes.length).toBe(plain.length + count(all, 'scope'));
    expect(count(all, 'scope')).toBeGreaterThan(0);
    expect(selectRows(all, { scopes: false, all: true })).toHaveLength(all.length);
  });
});

describe('value groups', () => {
  const at = (project: string, domain: string | undefined, key: string): Candidate => ({
    scope: { org: 'acme', project, domain },
    key,
    name: `scoped/acme/${project}/${domain ?? '_'}/${key}`,
  });

  it('letters group equal values within a row in deployment order; a missing cell has none', () => {
    const ds = ['a', 'b', 'c', 'd', 'e'].map((p) => ({ org: 'acme', project: p, domain: 'prod' }));
    const cands = [at('a', 'prod', 'K'), at('b', 'prod', 'K'), at('c', 'prod', 'K'), at('e', 'prod', 'K')];
    const values = new Map<string, SecretValue>([
      [cands[0]!.name, 'x'],
      [cands[1]!.name, 'y'],
      [cands[2]!.name, 'x'],
      [cands[3]!.name, new Uint8Array([120])],
    ]);
    const [row] = compareRows(alignKeys(ds.map((d) => resolveDeployment(d, cands))), values);
    expect(row?.cells.map((c) => (c ? groupLetter(c.group) : '-'))).toEqual(['a', 'b', 'a', '-', 'c']);
    expect(row?.status).toBe('missing');
  });

  it('compares bytes byte for byte, and text never equals binary', () => {
    expect(sameValue(new Uint8Array([0, 1, 255]), Buffer.from([0, 1, 255]))).toBe(true);
    expect(sameValue(new Uint8Array([0, 1, 255]), new Uint8Array([0, 1, 254]))).toBe(false);
    expect(sameValue(new Uint8Array([0, 1]), new Uint8Array([0, 1, 0]))).toBe(false);
    const big = new Uint8Array(new ArrayBuffer(8), 4, 2);
    big.set([7, 8]);
    expect(sameValue(big, new Uint8Array([7, 8]))).toBe(true);
    expect(sameValue('ab', new Uint8Array([97, 98]))).toBe(false);
    expect(sameValue('ab', 'ab')).toBe(true);
  });

  it('numbers groups past z', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(groupLetter)).toEqual(['a', 'b', 'z', 'aa', 'ab', 'az', 'ba', 'zz', 'aaa']);
  });

  it('refuses to group a row whose values were not read (a bug, not a silent "equal")', () => {
    const d = [
      { org: 'acme', project: 'a', domain: 'prod' },
      { org: 'acme', project: 'b', domain: 'prod' },
    ];
    const cands = [at('a', 'prod', 'K'), at('b', 'prod', 'K')];
    expect(() => compareRows(alignKeys(d.map((x) => resolveDeployment(x, cands))), new Map())).toThrow(/not read/);
  });
});

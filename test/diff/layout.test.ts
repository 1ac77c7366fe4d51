import { describe, expect, it } from 'vitest';
import { layoutColumns } from '../../src/diff/layout.js';

describe('layoutColumns', () => {
  const rows = ['DB_URL', 'API_TOKEN', 'LOG_LEVEL'];
  const cells = ['pd:a', 'o:a', '-'];
  const deps = ['billing-service/production-eu', 'billing-service/staging-eu', 'search/production-eu', 'search/staging-eu', 'ml/dev'];
  const widest = (lines: string[]) => Math.max(...lines.map((l) => l.length));

  it('keeps one-line headers when they fit', () => {
    const lines = layoutColumns({ keyHeader: 'KEY', keys: rows, columns: deps.slice(0, 2).map((header) => ({ header, cells })), width: 80 });
    expect(lines[0]).toMatch(/^KEY\s+billing-service\/production-eu\s+billing-service\/staging-eu$/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^DB_URL\s+pd:a\s+pd:a$/);
  });

  it('wraps headers at / and then splits into blocks, within 80 columns', () => {
    const lines = layoutColumns({ keyHeader: 'KEY', keys: rows, columns: deps.map((header) => ({ header, cells })), width: 80 });
    expect(widest(lines)).toBeLessThanOrEqual(80);
    expect(lines[0]).toMatch(/^\s+billing-service\/\s+billing-service\/\s+search\/\s+search\/\s+ml\/$/);
    expect(lines[1]).toMatch(/^KEY\s+production-eu\s+staging-eu\s+production-eu\s+staging-eu\s+dev$/);
    const narrow = layoutColumns({ keyHeader: 'KEY', keys: rows, columns: deps.map((header) => ({ header, cells })), width: 40 });
    expect(widest(narrow)).toBeLessThanOrEqual(40);
    // every block repeats every key, and every deployment appears once
    expect(narrow.filter((l) => l.startsWith('DB_URL'))).toHaveLength(narrow.filter((l) => l === '').length + 1);
    for (const dep of deps) expect(narrow.join('\n')).toContain(dep.split('/')[1]);
  });

  it('never truncates a key, even one wider than the terminal', () => {
    const long = `K_${'X'.repeat(100)}`;
    const lines = layoutColumns({ keyHeader: 'KEY', keys: [long, 'A'], columns: deps.map((header) => ({ header, cells: ['pd:a', '-'] })), width: 80 });
    expect(lines.filter((l) => l.startsWith(long))).toHaveLength(deps.length);
    // one deployment per block: the key column alone is wider than the terminal
    expect(lines.filter((l) => l === '')).toHaveLength(deps.length - 1);
  });

  it('pads outside the style, so colour codes do not shift columns', () => {
    const bold = (t: string) => `<${t}>`;
    const lines = layoutColumns({ keyHeader: 'KEY', keys: ['A'], columns: [{ header: 'x/y', cells: ['pd:a'] }], width: 80, bold });
    expect(lines[0]).toBe('<KEY>  <x/y>');
  });

  it('colours inside the padding on a terminal', () => {
    const y = (t: string) => `[${t}]`;
    const lines = layoutColumns({
      keyHeader: 'KEY',
      keys: ['A', 'B'],
      columns: [
        { header: 'a/b', cells: ['pd:a', '-'], styles: [undefined, y] },
        { header: 'c/d', cells: ['o:a', 'o:a'] },
      ],
      width: 80,
    });
    expect(lines).toEqual(['KEY  a/b   c/d', 'A    pd:a  o:a', 'B    [-]     o:a']);
  });
});

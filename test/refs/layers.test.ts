/** src/refs/ stays below the command line. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('layers', () => {
  it('src/refs/ imports nothing from the command line (cli/, commands/): plain inputs, plain results', () => {
    const dir = join(import.meta.dirname, '..', '..', 'src', 'refs');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const imports = [...readFileSync(join(dir, f), 'utf8').matchAll(/from '([^']+)'|import\('([^']+)'\)/g)].map((m) => m[1] ?? m[2]);
      expect([f, imports.filter((i) => /\/(cli|commands)\//.test(i ?? ''))]).toEqual([f, []]);
    }
  });
});

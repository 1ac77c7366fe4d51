import { fileURLToPath } from 'node:url';
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../src', import.meta.url));

describe('architecture', () => {
  // A cycle means a helper lives in the file that imports its users: move it to a module both import.
  it('src has no import cycles', async () => {
    const graph = await madge(src, { fileExtensions: ['ts'] });
    expect(graph.circular()).toEqual([]);
  });
});

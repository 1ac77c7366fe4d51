import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandPaths } from './command-paths.js';
import { fullProgram } from '../../src/cli/program.js';
import { commandSpec } from '../../src/completion/tree.js';
import { TREE_FILE } from '../../src/completion/tree-data.js';
import { binSandbox, ROOT } from '../helpers/bin.js';
import { sandbox, testIO } from '../helpers/io.js';

// `npm test` builds first; these read what the build wrote next to the bundle.
const root = (await fullProgram(testIO(), '0.0.0')).root;

describe("the build's command tree data", () => {
  it('is the tree the commander definitions build (a new command is in it without an edit)', () => {
    const built = JSON.parse(readFileSync(join(ROOT, 'dist', 'bundle', TREE_FILE), 'utf8')) as unknown;
    expect(built).toEqual(JSON.parse(JSON.stringify(commandSpec(root))));
  });

  const bin = binSandbox();
  const sb = sandbox();
  afterAll(() => {
    bin.cleanup();
    sb.cleanup();
  });

  it.each([[], ...commandPaths(root)].map((p) => [p.join(' ') || '(root)', p]))('the binary: scoped %s --help is the help commander renders', async (_name, path) => {
    const words = path as string[];
    const r = bin.run([...words, '--help']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe((await sb.run([...words, '--help'])).stdout);
  });
});

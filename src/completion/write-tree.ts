import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fullProgram } from '../cli/program.js';
import type { IO } from '../io.js';
import { commandSpec } from './tree.js';
import { TREE_FILE } from './tree-data.js';

/**
 * Called by the build (scripts/bundle.mjs, after tsc): writes the command tree's data next to the bundle,
 * from the same commander definitions the program runs, so a new command is in it without an edit.
 */
export async function writeCommandTree(outdir: string): Promise<void> {
  // Building the tree runs no command: these streams are never touched.
  const io = { stdout: { write: () => true }, stderr: { write: () => true }, env: {}, cwd: process.cwd() } as unknown as IO;
  const tree = commandSpec((await fullProgram(io, '0.0.0')).root);
  writeFileSync(join(outdir, TREE_FILE), `${JSON.stringify(tree)}\n`);
}

import { readFileSync } from 'node:fs';
import type { IO } from '../io.js';
import { commandSpec, type CommandSpec } from './tree.js';

/**
 * The command tree as data, written by the build next to the bundle (write-tree.ts) so that `--help` and
 * Tab read one small JSON file instead of loading commander and every command module. Where it is absent
 * (tests run the sources; `dist/` from tsc), the tree is built from the commander definitions: the same data.
 */
export const TREE_FILE = 'command-tree.json';

export async function commandTree(io: IO, version: string): Promise<CommandSpec> {
  try {
    return JSON.parse(readFileSync(new URL(`./${TREE_FILE}`, import.meta.url), 'utf8')) as CommandSpec;
  } catch {
    const { fullProgram } = await import('../cli/program.js');
    return commandSpec((await fullProgram(io, version)).root);
  }
}

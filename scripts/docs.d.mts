// Types for scripts/docs.mjs, so the tests (test/docs/) can import it under strict type-checking.
export const TREE_PATH: string;
export const OUT_PATH: string;
/** The heading's anchor as GitHub makes it. */
export function slug(heading: string): string;
/** docs/commands.md for a command tree (the parsed dist/bundle/command-tree.json). */
export function renderCommands(root: unknown): string;

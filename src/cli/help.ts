import type { CommandUnknownOpts } from '@commander-js/extra-typings';

/**
 * Examples for a command's help, as `gh` shows them: every command gives at least one, in its define
 * function, e.g.
 *
 *   withExamples(cmd, ['scoped resolve -p billing -d production --explain', '# a comment line']);
 *
 * Lines are shown under "Examples:" as `$ <line>` (`# …` lines as they are). They reach the help through
 * the command tree's data (completion/tree.ts), so `--help` shows them with or without commander.
 */
const EXAMPLES = new WeakMap<CommandUnknownOpts, readonly string[]>();

export function withExamples<C extends CommandUnknownOpts>(cmd: C, examples: readonly string[]): C {
  EXAMPLES.set(cmd, [...(EXAMPLES.get(cmd) ?? []), ...examples]);
  return cmd;
}

export function examplesOf(cmd: CommandUnknownOpts): readonly string[] {
  return EXAMPLES.get(cmd) ?? [];
}

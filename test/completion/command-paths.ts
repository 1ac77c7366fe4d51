import type { CommandUnknownOpts } from '@commander-js/extra-typings';

/** Every command `--help` lists (hidden ones left out), as the words that reach it: `['create', 'secret']`. */
export function commandPaths(cmd: CommandUnknownOpts, prefix: string[] = []): string[][] {
  return cmd
    .createHelp()
    .visibleCommands(cmd)
    .flatMap((c) => [[...prefix, c.name()], ...commandPaths(c, [...prefix, c.name()])]);
}

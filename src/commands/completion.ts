import { Argument, type CommandUnknownOpts as Command } from '@commander-js/extra-typings';
import type { IO } from '../io.js';
import { defineCommand } from '../cli/define-command.js';
import { refuseOutputFormat } from '../cli/output-flag.js';
import { buildCompleteOptions, runComplete } from '../completion/complete.js';
import { SHELLS, type Shell } from '../completion/protocol.js';
import { completionScript } from '../completion/scripts.js';
import { commandSpec } from '../completion/tree.js';

export const completionCommand = defineCommand({
  name: 'completion',
  summary: 'print the shell completion script (completions/ holds the same files)',
  arguments: [new Argument('<shell>', 'the shell').choices(SHELLS)],
  examples: [
    'scoped completion bash > ~/.local/share/bash-completion/completions/scoped',
    'scoped completion zsh > "${fpath[1]}/_scoped"',
    'scoped completion fish > ~/.config/fish/completions/scoped.fish',
  ],
  // A script has no other shape than its own; commander has checked the shell.
  build: (args, _flags, global): CompletionOptions => {
    refuseOutputFormat(global.output, 'completion', 'it prints a shell script');
    return { shell: args[0] as Shell };
  },
  run: async (ctx, o, cmd) => runCompletion(ctx.io, rootOf(cmd), o),
  configure: (cmd) => cmd.helpOption('-h, --help', 'show help'),
});

/** Hidden: what the scripts call on every Tab. Positional only, so it can never fail on a flag. */
export const completeCommand = defineCommand({
  name: '__complete',
  hidden: true,
  summary: '',
  arguments: [
    ['[mode]', ''],
    ['[words...]', ''],
  ],
  examples: [],
  build: (args) => buildCompleteOptions(args),
  run: async (ctx, o, cmd) => {
    // child_process (for the background cache refresh) only on this path.
    const { systemCompleteDeps } = await import('../completion/system.js');
    await runComplete(ctx.io, commandSpec(rootOf(cmd)), o, systemCompleteDeps(ctx.io));
  },
  configure: (cmd) => cmd.helpOption(false).allowUnknownOption(),
});

function rootOf(cmd: Command): Command {
  let root = cmd;
  while (root.parent) root = root.parent;
  return root;
}

export interface CompletionOptions {
  shell: Shell;
}

export function runCompletion(io: IO, root: Command, o: CompletionOptions): void {
  io.stdout.write(completionScript(o.shell, root.name()));
}

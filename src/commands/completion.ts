import { Argument, type CommandUnknownOpts as Command } from '@commander-js/extra-typings';
import type { IO } from '../io.js';
import type { Program } from '../cli/program-types.js';
import { refuseOutputFormat } from '../cli/output-flag.js';
import { buildCompleteOptions, runComplete } from '../completion/complete.js';
import { SHELLS, type Shell } from '../completion/protocol.js';
import { completionScript } from '../completion/scripts.js';
import { commandSpec } from '../completion/tree.js';
import { withExamples } from '../cli/help.js';

export interface CompletionOptions {
  shell: Shell;
}

/** commander has checked the choice already. `output`: the global `-o`; a script has no other shape. */
export function buildCompletionOptions(args: string[], output?: string): CompletionOptions {
  refuseOutputFormat(output, 'completion', 'it prints a shell script');
  return { shell: args[0] as Shell };
}

export function runCompletion(io: IO, root: Command, o: CompletionOptions): void {
  io.stdout.write(completionScript(o.shell, root.name()));
}

export function registerCompletion(program: Program): void {
  const { root } = program;
  const completion = root
    .command('completion')
    .description('print the shell completion script (completions/ holds the same files)')
    .addArgument(new Argument('<shell>', 'the shell').choices(SHELLS))
    .helpOption('-h, --help', 'show help');
  withExamples(completion, [
    'scoped completion bash > ~/.local/share/bash-completion/completions/scoped',
    'scoped completion zsh > "${fpath[1]}/_scoped"',
    'scoped completion fish > ~/.config/fish/completions/scoped.fish',
  ]);
  program.action(completion, async (ctx, args) => runCompletion(ctx.io, root, buildCompletionOptions(args, ctx.global.output)));
  // Hidden: what the scripts call on every Tab. Positional only, so it can never fail on a flag.
  const complete = root.command('__complete', { hidden: true }).argument('[mode]').argument('[words...]').helpOption(false).allowUnknownOption();
  program.action(complete, async (ctx, args) => {
    // child_process (for the background cache refresh) only on this path.
    const { systemCompleteDeps } = await import('../completion/system.js');
    await runComplete(ctx.io, commandSpec(root), buildCompleteOptions(args), systemCompleteDeps(ctx.io));
  });
}

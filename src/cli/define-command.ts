import { Argument, Command, type CommandUnknownOpts } from '@commander-js/extra-typings';
import type { Context, GlobalOptions } from './context.js';
import type { OptsOf, Program } from './program-types.js';
import { withExamples } from './help.js';
import { VERBS, type Verb } from '../commands/verbs.js';

/**
 * The one shape of a command. Each file in src/commands/ reads top-down:
 *
 *   1. definition: `export const pinCommand = defineCommand({ name, summary, arguments, examples, options, build, run })`
 *   2. options:    `function pinFlags(cmd: NewCommand) { return cmd.option(...) }`, the parsed type
 *                  `PinFlags = FlagsOf<typeof pinFlags>`, the `PinOptions` the run takes, and the builder
 *                  `buildPinOptions` (flags -> options: every usage error before any request)
 *   3. run:        `runPin(ctx, options)`, the work
 *
 * and is registered by its place in the one list of commands (COMMANDS in cli/program.ts). The options are defined by
 * commander's own calls, so @commander-js/extra-typings types `cmd.opts()` from them: a renamed flag is a
 * compile error in the builder.
 */

/** A command as the definition's `options` gets it: named, described, its arguments set, no options yet. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type NewCommand = Command<unknown[], {}, {}>;

/** The flags an `options` function defines, as commander parses them. */
export type FlagsOf<F extends (cmd: NewCommand) => CommandUnknownOpts> = OptsOf<ReturnType<F>>;

export interface CommandDefinition<C extends CommandUnknownOpts, O> {
  /** The verb this command is the resource of (`create` of `create secret`); its summary is in commands/verbs.ts. */
  verb?: Verb;
  name: string;
  aliases?: readonly string[];
  /** The one line under the name in help and completion. */
  summary: string;
  /** `[name, description]` (commander's syntax: `<KEY>`, `[VALUE]`, `[KEY...]`), or an Argument (with choices). */
  arguments?: readonly (readonly [name: string, description: string] | Argument)[];
  /** Commander's usage line, where its own would mislead (`run`: `-- CMD`). */
  usage?: string;
  /** Left out of help and completion (`__complete`, which the completion scripts call). */
  hidden?: boolean;
  /** Shown under "Examples:" in help (cli/help.ts): at least one. */
  examples: readonly string[];
  /** The command's own options, defined on `cmd` (types follow from these calls). */
  options?: (cmd: NewCommand) => C;
  /** Positional words and flags as parsed -> what `run` needs; every usage error is thrown here. */
  build: (args: string[], flags: OptsOf<C>, global: GlobalOptions) => O;
  /** The work. Returns an exit code when it is not 0 on success (`run` passes its child's through). */
  run: (ctx: Context, options: O, cmd: C) => Promise<void | number>;
  /** After the command is in the tree: what options cannot say (two flags that exclude each other). */
  configure?: (cmd: C) => void;
}

/** A definition, ready for the list of commands. */
export interface DefinedCommand {
  readonly name: string;
  /** Adds the command (and its verb, the first time) to the tree, with its action. */
  register(program: Program): void;
}

export function defineCommand<C extends CommandUnknownOpts, O>(def: CommandDefinition<C, O>): DefinedCommand {
  const verb = def.verb;
  return {
    name: verb ? `${verb} ${def.name}` : def.name,
    register(program) {
      const parent = verb ? program.verb(verb, VERBS[verb]) : program.root;
      const bare = parent.command(def.name, { hidden: def.hidden === true }) as unknown as NewCommand;
      for (const alias of def.aliases ?? []) bare.alias(alias);
      bare.description(def.summary);
      if (def.usage !== undefined) bare.usage(def.usage);
      for (const arg of def.arguments ?? []) {
        if (arg instanceof Argument) bare.addArgument(arg);
        else bare.argument(arg[0], arg[1]);
      }
      withExamples(bare, def.examples);
      const cmd = def.options ? def.options(bare) : (bare as unknown as C);
      program.action(cmd, (ctx, args, flags) => def.run(ctx, def.build(args, flags, ctx.global), cmd));
      def.configure?.(cmd);
    },
  };
}

import { Argument, Option, type CommandUnknownOpts, type InferOptions } from '@commander-js/extra-typings';
import type { Context, GlobalOptions } from './context.js';
import type { Program } from './program-types.js';
import { withExamples } from './help.js';
import { collect } from '../commands/options.js';
import { VERBS, type Verb } from '../commands/verbs.js';

/**
 * The one shape of a command. Each file in src/commands/ reads top-down:
 *
 *   1. definition: `export const pinCommand = defineCommand({ name, summary, arguments, examples, options, build, run })`,
 *                  where `options` is a table of flags (data: flags, description, choices/default/repeatable)
 *                  and `build` turns the positional words and the flags, typed from that table, into what
 *                  the run takes (every usage error before any request)
 *   2. options:    the `PinOptions` interface the run takes
 *   3. run:        `runPin(ctx, options)`, the work
 *
 * and is registered by its place in the one list of commands (COMMANDS in cli/program.ts). The flags'
 * types follow from the table the way @commander-js/extra-typings types `cmd.opts()`: a renamed flag is a
 * compile error in `build`. A test calls `pinCommand.build(args, flags, global)`.
 */

/** What a flag may add to its words and description. */
export interface FlagExtras {
  /** The only values it takes (commander refuses any other). */
  readonly choices?: readonly string[];
  /** Its value when not given. */
  readonly default?: string;
  /** May be given more than once: the values collect into a list (commands/options.ts's `collect`). */
  readonly repeatable?: true;
  /** Must be given (commander's requiredOption). */
  readonly required?: true;
}

/** One flag as data: commander's words (`-p, --project <project>`, `--force`, `--no-mask`), its help line, extras. */
export type Flag = readonly [flags: string, description: string, extras?: FlagExtras];

/** A command's flags, in the order help lists them. */
export type FlagTable = readonly Flag[];

type ChoicesOf<E> = E extends { readonly choices: readonly (infer C)[] } ? C : undefined;
type DefaultOf<E> = E extends { readonly default: infer D } ? D : undefined;
type CoerceOf<E> = E extends { readonly repeatable: true } ? string[] : undefined;
type MandatoryOf<E> = E extends { readonly required: true } ? true : false;

type WithFlag<Opts, F> = F extends readonly [infer Usage extends string, string, infer E]
  ? InferOptions<Opts, Usage, DefaultOf<E>, CoerceOf<E>, MandatoryOf<E>, undefined, ChoicesOf<E>>
  : F extends readonly [infer Usage extends string, string]
    ? InferOptions<Opts, Usage, undefined, undefined, false>
    : never;

/** The flags a table defines, as commander parses them (`--dry-run` -> `dryRun?: true`, `--tag` repeatable -> `tag?: string[]`). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type FlagsOf<T extends FlagTable, Opts = {}> = T extends readonly [infer First, ...infer Rest extends FlagTable] ? FlagsOf<Rest, WithFlag<Opts, First>> : Opts;

/** The global options a build may read: `-o` (a command that prints one way refuses the others) and `--region`. */
export type BuildGlobals = Pick<GlobalOptions, 'output' | 'region'>;

/** The commander option a table row describes. */
function toOption([flags, description, extras = {}]: Flag): Option {
  const option = new Option(flags, description) as unknown as Option;
  if (extras.choices !== undefined) option.choices(extras.choices);
  if (extras.default !== undefined) option.default(extras.default);
  if (extras.repeatable === true) option.argParser(collect);
  if (extras.required === true) option.makeOptionMandatory();
  return option;
}

/** Adds the table's flags to `cmd`, in order. */
export function addFlags<C extends CommandUnknownOpts>(cmd: C, table: FlagTable): C {
  for (const flag of table) cmd.addOption(toOption(flag));
  return cmd;
}

/** A flag's key among the parsed flags, as commander names it: `--dry-run` -> dryRun, `--no-mask` -> mask. */
function keyOf(long: string): string {
  return long.replace(/^--(no-)?/, '').replace(/-(.)/g, (_, c: string) => c.toUpperCase());
}

/**
 * The values commander gives the table's flags before any is parsed: each default, and true for a lone
 * `--no-x`. Without commander, so that a line that never builds the tree can call `build` (test/cli holds
 * it equal to commander's for every command).
 */
export function flagDefaults(table: FlagTable): Record<string, unknown> {
  const longs = new Set(table.map(([flags]) => /--[^\s,]+/.exec(flags)?.[0]));
  const values: Record<string, unknown> = {};
  for (const [flags, , extras] of table) {
    const long = /--[^\s,]+/.exec(flags)?.[0];
    if (long === undefined) continue;
    if (extras?.default !== undefined) values[keyOf(long)] = extras.default;
    else if (long.startsWith('--no-') && !longs.has(`--${long.slice('--no-'.length)}`)) values[keyOf(long)] = true;
  }
  return values;
}

/** What a command's own action is made of, wherever it stands in the tree. */
export interface ActionDefinition<T extends FlagTable, O> {
  /** Commander's usage line, where its own would mislead (`run`: `-- CMD`). */
  usage?: string;
  /** Shown under "Examples:" in help (cli/help.ts). */
  examples: readonly string[];
  /** The command's own flags (their types follow from this table). */
  options?: T;
  /** Positional words and flags as parsed -> what `run` needs; every usage error is thrown here. */
  build: (args: string[], flags: FlagsOf<T>, global: BuildGlobals) => O;
  /** The work. Returns an exit code when it is not 0 on success (`run` passes its child's through). */
  run: (ctx: Context, options: O, cmd: CommandUnknownOpts) => Promise<void | number>;
  /** After the command is in the tree: what a table cannot say (two flags that exclude each other, no -h). */
  configure?: (cmd: CommandUnknownOpts) => void;
}

export interface CommandDefinition<T extends FlagTable, O> extends ActionDefinition<T, O> {
  /** The verb this command is the resource of (`create` of `create secret`); its summary is in commands/verbs.ts. */
  verb?: Verb;
  name: string;
  aliases?: readonly string[];
  /** The one line under the name in help and completion. */
  summary: string;
  /** `[name, description]` (commander's syntax: `<KEY>`, `[VALUE]`, `[KEY...]`), or an Argument (with choices). */
  arguments?: readonly (readonly [name: string, description: string] | Argument)[];
  /** Left out of help and completion (`__complete`, which the completion scripts call). */
  hidden?: boolean;
}

/** A definition, ready for the list of commands. */
export interface DefinedCommand<F = never, O = unknown> {
  readonly name: string;
  /** Its flags, as defined. */
  readonly options: FlagTable;
  /** Adds the command (and its verb, the first time) to the tree, with its action. */
  register(program: Program): void;
  /** The definition's `build`, for a line read without commander and for tests: a flag left out has its default. */
  build(args: string[], flags: Partial<F>, global?: BuildGlobals): O;
}

/** `def`'s action on `cmd`: usage, examples, flags, then the handler (flags -> build -> run). */
function defined<T extends FlagTable, O>(name: string, def: ActionDefinition<T, O>, place: (program: Program) => CommandUnknownOpts): DefinedCommand<FlagsOf<T>, O> {
  const table: FlagTable = def.options ?? [];
  return {
    name,
    options: table,
    register(program) {
      const cmd = place(program);
      if (def.usage !== undefined) cmd.usage(def.usage);
      withExamples(cmd, def.examples);
      addFlags(cmd, table);
      program.action(cmd, (ctx, args, flags) => def.run(ctx, def.build(args, flags as FlagsOf<T>, ctx.global), cmd));
      def.configure?.(cmd);
    },
    build: (args, flags, global = {}) => def.build(args, { ...flagDefaults(table), ...flags } as FlagsOf<T>, global),
  };
}

export function defineCommand<const T extends FlagTable = readonly [], O = unknown>(def: CommandDefinition<T, O>): DefinedCommand<FlagsOf<T>, O> {
  const verb = def.verb;
  return defined(verb ? `${verb} ${def.name}` : def.name, def, (program) => {
    const parent = verb ? program.verb(verb, VERBS[verb]) : program.root;
    const cmd = parent.command(def.name, { hidden: def.hidden === true }) as unknown as CommandUnknownOpts;
    for (const alias of def.aliases ?? []) cmd.alias(alias);
    cmd.description(def.summary);
    for (const arg of def.arguments ?? []) {
      if (arg instanceof Argument) cmd.addArgument(arg);
      else cmd.argument(arg[0], arg[1]);
    }
    return cmd;
  });
}

/**
 * The action of a verb itself, beside its resources (`rollback --pinned FILE` beside `rollback secret`):
 * the verb's words after it are its `args`. Named `<verb> <first long flag>` in the list of commands.
 */
export function defineVerbAction<const T extends FlagTable = readonly [], O = unknown>(verb: Verb, def: ActionDefinition<T, O>): DefinedCommand<FlagsOf<T>, O> {
  const flag = def.options?.[0]?.[0].split(' ')[0] ?? '';
  return defined(`${verb} ${flag}`, def, (program) => program.verb(verb, VERBS[verb]) as unknown as CommandUnknownOpts);
}

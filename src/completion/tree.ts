// extra-typings' types: the tree built by buildProgram; at run time these are commander's own objects.
import type { Argument, CommandUnknownOpts as Command, Option } from '@commander-js/extra-typings';
import { examplesOf } from '../cli/help.js';

/** One option as completion and help see it. */
export interface OptionSpec {
  /** As defined: `-p, --project <project>`. */
  flags: string;
  long?: string | undefined;
  short?: string | undefined;
  description: string;
  /** `<value>`: the next word (or the text after `=`) is its value. */
  takesValue: boolean;
  /** What the help calls the value (`project`, `path`, `KEY[=ENV]`); decides dynamic values. */
  valueName?: string | undefined;
  choices?: readonly string[] | undefined;
  /** The default as help shows it (`read`), if the definition sets one. */
  defaultValue?: string | undefined;
  /** Variadic or collected (`--tag`): still offered after it was given once. */
  repeatable: boolean;
  /** commander's attribute name (`endpointUrl` for `--endpoint-url`). */
  attribute: string;
}

export interface ArgSpec {
  name: string;
  description: string;
  required: boolean;
  variadic: boolean;
  choices?: readonly string[] | undefined;
}

/**
 * The command tree as completion and help see it: only what `--help` shows, never hidden commands or
 * options. Plain data: the build writes it as JSON (write-tree.ts), so `--help` and Tab need no commander.
 */
export interface CommandSpec {
  name: string;
  aliases: readonly string[];
  description: string;
  /** What follows the command's path on the usage line (`[options] <KEY> [VALUE]`, `<resource>`). */
  usage: string;
  /** Heading of the subcommand list: `Commands:`, or `Resources:` under a verb. */
  subcommandsHeading?: string | undefined;
  examples: readonly string[];
  options: OptionSpec[];
  args: ArgSpec[];
  subcommands: CommandSpec[];
}

function optionSpec(o: Option): OptionSpec {
  const spec: OptionSpec = {
    flags: o.flags,
    long: o.long,
    short: o.short,
    description: o.description,
    takesValue: o.required,
    valueName: /[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1],
    choices: o.argChoices,
    repeatable: o.variadic || o.parseArg !== undefined,
    attribute: o.attributeName(),
  };
  // Negatable flags (`--no-color`) default to true, which help does not show.
  if (typeof o.defaultValue === 'string') spec.defaultValue = o.defaultValue;
  return spec;
}

function argSpec(a: Argument): ArgSpec {
  return { name: a.name(), description: a.description, required: a.required, variadic: a.variadic, choices: a.argChoices };
}

/** Reads a commander tree, e.g. `buildProgram(io, version).root`, so new commands complete unedited. */
export function commandSpec(cmd: Command): CommandSpec {
  const help = cmd.createHelp();
  const visible = help.visibleCommands(cmd);
  const subcommands = visible.map(commandSpec);
  // A verb (`create`) shows its resources' first examples unless it has its own.
  const own = examplesOf(cmd);
  return {
    name: cmd.name(),
    aliases: cmd.aliases(),
    description: cmd.description(),
    usage: cmd.usage(),
    subcommandsHeading: visible.length > 0 ? cmd.commandsGroup() || undefined : undefined,
    examples: own.length > 0 ? own : subcommands.flatMap((c) => c.examples.slice(0, 1)),
    options: help.visibleOptions(cmd).map(optionSpec),
    args: cmd.registeredArguments.map(argSpec),
    subcommands,
  };
}

export function findSubcommand(cmd: CommandSpec, word: string): CommandSpec | undefined {
  return cmd.subcommands.find((c) => c.name === word || c.aliases.includes(word));
}

// extra-typings' types: the tree built by buildProgram; at run time these are commander's own objects.
import type { Argument, CommandUnknownOpts as Command, Option } from '@commander-js/extra-typings';

/** One option as completion sees it. */
export interface OptionSpec {
  long?: string | undefined;
  short?: string | undefined;
  description: string;
  /** `<value>`: the next word (or the text after `=`) is its value. */
  takesValue: boolean;
  /** What the help calls the value (`project`, `path`, `KEY[=ENV]`); decides dynamic values. */
  valueName?: string | undefined;
  choices?: readonly string[] | undefined;
  /** Variadic or collected (`--tag`): still offered after it was given once. */
  repeatable: boolean;
  /** commander's attribute name (`endpointUrl` for `--endpoint-url`). */
  attribute: string;
}

export interface ArgSpec {
  name: string;
  variadic: boolean;
  choices?: readonly string[] | undefined;
}

/** The command tree as completion sees it: only what `--help` shows, never hidden commands or options. */
export interface CommandSpec {
  name: string;
  aliases: readonly string[];
  description: string;
  options: OptionSpec[];
  args: ArgSpec[];
  subcommands: CommandSpec[];
}

function optionSpec(o: Option): OptionSpec {
  return {
    long: o.long,
    short: o.short,
    description: o.description,
    takesValue: o.required,
    valueName: /[<[]([^>\]]+)[>\]]/.exec(o.flags)?.[1],
    choices: o.argChoices,
    repeatable: o.variadic || o.parseArg !== undefined,
    attribute: o.attributeName(),
  };
}

function argSpec(a: Argument): ArgSpec {
  return { name: a.name(), variadic: a.variadic, choices: a.argChoices };
}

/** Reads a commander tree, e.g. `buildProgram(io, version).root`, so new commands complete unedited. */
export function commandSpec(cmd: Command): CommandSpec {
  const help = cmd.createHelp();
  return {
    name: cmd.name(),
    aliases: cmd.aliases(),
    description: cmd.description(),
    options: help.visibleOptions(cmd).map(optionSpec),
    args: cmd.registeredArguments.map(argSpec),
    subcommands: help.visibleCommands(cmd).map(commandSpec),
  };
}

export function findSubcommand(cmd: CommandSpec, word: string): CommandSpec | undefined {
  return cmd.subcommands.find((c) => c.name === word || c.aliases.includes(word));
}

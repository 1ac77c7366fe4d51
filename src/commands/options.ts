import type { CommandUnknownOpts, Option } from '@commander-js/extra-typings';
import { UsageError } from '../errors.js';
import type { OutputFormat } from '../cli/context.js';
import { refuseOutputFormat } from '../cli/output-flag.js';

/** Flags shared by several commands, as rows of a command's table of flags (cli/define-command.ts). */

/** `--project` / `--domain` on a command; `what` ends their help lines. */
export function scopeOptions(what: string) {
  return [
    ['-p, --project <project>', `project ${what}`],
    ['-d, --domain <domain>', `domain ${what}`],
  ] as const;
}

/** The scope flags' rows. */
export type ScopeOptions = ReturnType<typeof scopeOptions>;

/** `--project` / `--domain` of a deployment command, which also reads SCOPED_PROJECT / SCOPED_DOMAIN and the config file. */
export const DEPLOYMENT_OPTIONS = scopeOptions('of the deployment (env SCOPED_PROJECT / SCOPED_DOMAIN, or the config file)');

/** `--raw` is how `--reveal` prints the value, and a value printed alone has no `-o` shape (`get secret`, `resolve`). */
export function checkReveal(command: string, o: { reveal: boolean; raw: boolean }, output: OutputFormat | undefined): void {
  if (o.raw && !o.reveal) throw new UsageError('--raw is how --reveal prints the value; add --reveal');
  if (o.reveal) refuseOutputFormat(output, `${command} --reveal`, 'the value is printed alone, exactly as stored');
}

/** A repeatable option's parser: each use appends. An option parsed by it is the only kind that may be given twice. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Flags whose empty value means something: `--prefix ''` (names without a prefix) and `--description ''`
 * (no description; on update, clears it). Every other value flag refuses an empty or blank value.
 */
export const EMPTY_ALLOWED: ReadonlySet<string> = new Set(['--prefix', '--description']);

/** A flag that takes a value and may be given more than once (`--tag`, `--only`, ...). */
export function isRepeatable(option: Option): boolean {
  return option.parseArg === collect || option.variadic;
}

/** A flag that takes a value (`--project <p>`), as opposed to a switch (`--reveal`, `--no-mask`). */
export function takesValue(option: Option): boolean {
  return option.required || option.optional;
}

function shown(value: string): string {
  const text = JSON.stringify(value);
  return text.length > 42 ? `${text.slice(0, 40)}…"` : text;
}

function flagsOf(cmd: CommandUnknownOpts): string[] {
  return cmd.options.flatMap((o) => [o.short, o.long].filter((f): f is string => f !== undefined));
}

/**
 * Whether the line gave `value` attached to the option (`--description=-h`, `-p-x`) rather than as the
 * next word: commander reports both the same; the words as typed are on the root command (`rawArgs`).
 */
function attached(cmd: CommandUnknownOpts, option: Option, value: string): boolean {
  let root = cmd;
  while (root.parent) root = root.parent;
  const words = (root as unknown as { rawArgs?: string[] }).rawArgs ?? [];
  return words.some((w) => (option.long !== undefined && w === `${option.long}=${value}`) || (option.short !== undefined && w === `${option.short}${value}`));
}

/** One value of one flag, as commander parsed it; `seen`: the flag's earlier values in this parse. */
function checkValue(cmd: CommandUnknownOpts, option: Option, flag: string, value: string, seen: string[], flags: ReadonlySet<string>): void {
  if (value.trim() === '' && !EMPTY_ALLOWED.has(flag)) {
    throw new UsageError(`${flag} was given ${value === '' ? 'an empty value' : 'a blank value'}`, `give it a value, or omit ${flag}`);
  }
  // `-p -d prod`: commander takes the next word as the value, even when it is one of our flags. A value
  // given as `--description=-h` was meant as one.
  if (flags.has(value) && !attached(cmd, option, value)) throw new UsageError(`${flag} needs a value, but the next word is the flag ${value}`, `give ${flag} a value`);
  if (seen.length > 0 && !isRepeatable(option)) {
    throw new UsageError(`${flag} given twice (${[...seen, value].map(shown).join(', ')})`, 'give it once');
  }
  // A repeatable flag collects values, each once: the same value again (`--only A --only A`) is a slip
  // like any flag given twice, refused the same way for every repeatable flag.
  if (seen.includes(value)) throw new UsageError(`${flag} ${shown(value)} given twice`, 'give each value once');
}

/**
 * Checks every value flag of `cmd` and of every command below it as commander parses it: a single-value
 * flag given twice (`-p a -p b`: commander would keep the last one silently), a repeatable flag given the
 * same value twice (`--only A --only A`, `--deployment a/b --deployment a/b`), an empty or blank value,
 * and a flag taken as another flag's value are usage errors naming the flag. Installed once on the whole
 * tree after every command is registered, so a command added later is covered without doing anything.
 * (commander fires `option:<name>` for each use of a flag, after storing its value; the global flags fire
 * on the root wherever they appear.) `inherited`: the flags of the commands above.
 */
export function guardValueFlags(cmd: CommandUnknownOpts, inherited: readonly string[] = ['-h', '--help']): void {
  const flags = new Set([...inherited, ...flagsOf(cmd)]);
  for (const option of cmd.options) {
    if (!takesValue(option)) continue;
    const flag = option.long ?? option.short ?? option.flags;
    const seen: string[] = [];
    cmd.on(`option:${option.name()}`, (value: unknown) => {
      if (typeof value !== 'string') return;
      checkValue(cmd, option, flag, value, seen, flags);
      seen.push(value);
    });
  }
  for (const sub of cmd.commands) guardValueFlags(sub, [...flags]);
}

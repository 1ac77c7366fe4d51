import type { FlagTable } from './define-command.js';
import { BACKENDS } from '../config/settings.js';
import { EXPORT_FORMATS } from '../export/formats.js';
import { OUTPUT_FORMATS } from './context.js';

/**
 * The narrow grammar of the hot entry (src/cli/hot-entry.ts): the lines people run most, read without commander.
 * A line is taken only when it is plainly one of these, with flags commander would read the same way:
 *
 *   scoped [GLOBAL...] resolve [KEY...] [-p P] [-d D] [--explain] [--reveal] [--raw] [GLOBAL...]
 *   scoped [GLOBAL...] get secret|secrets [KEY] [-p P] [-d D] [--reveal] [--raw] [GLOBAL...]
 *   scoped [GLOBAL...] export [-p P] [-d D] [--format F] [--only B]... [--exclude K]... [--expand E]... [--pinned FILE] [--raw] [GLOBAL...]
 *   scoped [GLOBAL...] run [RUN FLAG...] [GLOBAL...] -- CMD [ARGS...]
 *
 * RUN FLAG: the flags of run's own table (src/commands/run.ts, given by the caller: `hotLine(argv, runCommand.options)`)
 * but --watch and its settings (--interval, --jitter, --signal, --grace); every word after `--` is the child's.
 *
 * GLOBAL: --org, --backend, --prefix, -o/--output (a value as `--flag V` or `--flag=V`), --cache, -q/--quiet,
 * --no-color. Anything else (another flag, `-pX`, `-qo`, `--` but run's, `run` without `--` or with a word before it, a flag given twice, a value that is empty or
 * begins with `-`, a command flag before its command, a value outside a flag's choices) is not taken:
 * undefined, and the full CLI reads the line and says what is wrong with it. What the command itself refuses
 * (a bad key, --reveal without KEY) is left to the command's own option builder, which the entry calls.
 */

export type HotCommand = 'resolve' | 'get secret' | 'export' | 'run';

export interface HotLine {
  command: HotCommand;
  /** Positional words after the command words. */
  args: string[];
  /** The command's flags as commander would hold them (camelCase; switches true; repeatable ones arrays). */
  flags: Record<string, string | true | string[]>;
  /** The global flags as commander would hold them (`color: false` for --no-color). */
  global: Record<string, string | boolean>;
}

interface Flag {
  /** The key commander stores it under. */
  name: string;
  value: boolean;
  repeatable?: boolean;
  choices?: readonly string[];
  /** An empty value means something (`--prefix ''`). */
  emptyAllowed?: boolean;
  /** `--no-x`: commander holds `x: false`. */
  negated?: boolean;
}

const GLOBAL: Record<string, Flag> = {
  '--org': { name: 'org', value: true },
  '--backend': { name: 'backend', value: true, choices: BACKENDS },
  '--prefix': { name: 'prefix', value: true, emptyAllowed: true },
  '-o': { name: 'output', value: true, choices: OUTPUT_FORMATS },
  '--output': { name: 'output', value: true, choices: OUTPUT_FORMATS },
  '--cache': { name: 'cache', value: false },
  '-q': { name: 'quiet', value: false },
  '--quiet': { name: 'quiet', value: false },
  '--no-color': { name: 'color', value: false, negated: true },
};

const SCOPE: Record<string, Flag> = {
  '-p': { name: 'project', value: true },
  '--project': { name: 'project', value: true },
  '-d': { name: 'domain', value: true },
  '--domain': { name: 'domain', value: true },
};

/** run's flags the hot entry leaves to the full CLI: --watch and its settings (a loop, timers, restarts). */
const RUN_LEFT = ['--watch', '--interval', '--jitter', '--signal', '--grace'];

/** The key commander stores a flag under: `--preserve-env` -> preserveEnv, `--no-mask` -> mask. */
const keyOf = (long: string): string => long.replace(/^--(no-)?/, '').replace(/-(.)/g, (_, c: string) => c.toUpperCase());

/**
 * A command's flag table (src/cli/define-command.ts) as this grammar's flags: `-p, --project <project>`,
 * `--mask`, `--no-mask`, with their choices and repeatability; a flag of `leave`, or one whose value is optional
 * (`[x]`), is not taken.
 */
export function tableFlags(table: FlagTable, leave: readonly string[] = []): Record<string, Flag> {
  const flags: Record<string, Flag> = {};
  for (const [usage, , extras] of table) {
    const words = usage.split(/[\s,]+/).filter((w) => w !== '');
    const long = words.find((w) => w.startsWith('--'));
    if (long === undefined || leave.includes(long) || words.some((w) => w.startsWith('['))) continue;
    const flag: Flag = {
      name: keyOf(long),
      value: words.some((w) => w.startsWith('<')),
      ...(extras?.repeatable === true && { repeatable: true }),
      ...(extras?.choices !== undefined && { choices: extras.choices }),
      ...(long.startsWith('--no-') && { negated: true }),
    };
    for (const w of words) if (w.startsWith('-')) flags[w] = flag;
  }
  return flags;
}

interface Spec {
  words: readonly (readonly string[])[];
  flags: Record<string, Flag>;
  maxArgs: number;
}

const COMMANDS: Record<Exclude<HotCommand, 'run'>, Spec> = {
  resolve: {
    words: [['resolve']],
    flags: { ...SCOPE, '--explain': { name: 'explain', value: false }, '--reveal': { name: 'reveal', value: false }, '--raw': { name: 'raw', value: false } },
    maxArgs: Infinity,
  },
  'get secret': {
    words: [
      ['get', 'secret'],
      ['get', 'secrets'],
    ],
    flags: { ...SCOPE, '--reveal': { name: 'reveal', value: false }, '--raw': { name: 'raw', value: false } },
    maxArgs: 1,
  },
  export: {
    words: [['export']],
    flags: {
      ...SCOPE,
      '--format': { name: 'format', value: true, choices: EXPORT_FORMATS },
      '--only': { name: 'only', value: true, repeatable: true },
      '--exclude': { name: 'exclude', value: true, repeatable: true },
      '--expand': { name: 'expand', value: true, repeatable: true },
      '--pinned': { name: 'pinned', value: true },
      '--raw': { name: 'raw', value: false },
    },
    maxArgs: 0,
  },
};

/** The command whose words begin `words`, and how many words they are. */
function commandOf(commands: Partial<Record<HotCommand, Spec>>, words: readonly string[]): [HotCommand, number] | undefined {
  for (const [command, spec] of Object.entries(commands) as [HotCommand, Spec][]) {
    for (const w of spec.words) if (w.every((word, i) => words[i] === word)) return [command, w.length];
  }
  return undefined;
}

/**
 * The line as the hot entry takes it, or undefined: the full CLI's to read. `runFlags`: run's flag table
 * (runCommand.options), which the caller loads only for a line that names `run`; without it `run` is not taken.
 */
export function hotLine(argv: readonly string[], runFlags?: FlagTable): HotLine | undefined {
  const commands: Partial<Record<HotCommand, Spec>> =
    runFlags === undefined ? COMMANDS : { ...COMMANDS, run: { words: [['run']], flags: tableFlags(runFlags, RUN_LEFT), maxArgs: 0 } };
  let child: string[] | undefined;
  const global: Record<string, string | boolean> = {};
  const flags: Record<string, string | true | string[]> = {};
  const positional: string[] = [];
  let command: HotCommand | undefined;
  let commandWords = 0;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    // run's `--`: the rest is the child's, word for word.
    if (word === '--') {
      if (command !== 'run' || positional.length > commandWords) return undefined;
      child = argv.slice(i + 1);
      break;
    }
    if (word.startsWith('-')) {
      const eq = word.startsWith('--') ? word.indexOf('=') : -1;
      const flagWord = eq < 0 ? word : word.slice(0, eq);
      const own = command === undefined ? undefined : commands[command]?.flags[flagWord];
      const flag = GLOBAL[flagWord] ?? own;
      if (flag === undefined) return undefined;
      const into = flag === own ? flags : global;
      let value: string | true;
      if (!flag.value) {
        if (eq >= 0) return undefined;
        value = true;
      } else {
        if (eq >= 0) value = word.slice(eq + 1);
        else {
          if (i + 1 >= argv.length) return undefined;
          value = argv[++i] as string;
        }
        if (value.startsWith('-') || (value.trim() === '' && flag.emptyAllowed !== true)) return undefined;
        if (flag.choices !== undefined && !flag.choices.includes(value)) return undefined;
      }
      const before = into[flag.name];
      if (flag.repeatable === true) {
        const list = (before as string[] | undefined) ?? [];
        if (list.includes(value as string)) return undefined;
        into[flag.name] = [...list, value as string];
      } else {
        if (before !== undefined) return undefined;
        // --no-color, --no-mask: commander holds `color: false`, `mask: false`.
        into[flag.name] = flag.negated === true ? false : value;
      }
      continue;
    }
    positional.push(word);
    if (command === undefined) {
      const found = commandOf(commands, positional);
      if (found !== undefined) [command, commandWords] = found;
      // Only words that may still begin a command (`get` of `get secret`).
      else if (!Object.values(commands).some((c) => c.words.some((w) => positional.every((p, j) => w[j] === p)))) return undefined;
    }
  }
  if (command === undefined) return undefined;
  const given = positional.slice(commandWords);
  if (given.length > (commands[command]?.maxArgs ?? 0)) return undefined;
  // run takes its CMD after `--` only (`run ls -la` reads -la as run's own: the full CLI says so).
  if ((command === 'run') !== (child !== undefined)) return undefined;
  const args = child ?? given;
  // Commander's choices for -o aside, `-o markdown` is for resolve (and diff) only: the CLI says so.
  if (global.output === 'markdown' && command !== 'resolve') return undefined;
  return { command, args, flags, global };
}

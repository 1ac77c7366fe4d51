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
 *
 * GLOBAL: --org, --backend, --prefix, -o/--output (a value as `--flag V` or `--flag=V`), --cache, -q/--quiet,
 * --no-color. Anything else (another flag, `-pX`, `-qo`, `--`, a flag given twice, a value that is empty or
 * begins with `-`, a command flag before its command, a value outside a flag's choices) is not taken:
 * undefined, and the full CLI reads the line and says what is wrong with it. What the command itself refuses
 * (a bad key, --reveal without KEY) is left to the command's own option builder, which the entry calls.
 */

export type HotCommand = 'resolve' | 'get secret' | 'export';

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
  '--no-color': { name: 'color', value: false },
};

const SCOPE: Record<string, Flag> = {
  '-p': { name: 'project', value: true },
  '--project': { name: 'project', value: true },
  '-d': { name: 'domain', value: true },
  '--domain': { name: 'domain', value: true },
};

const COMMANDS: Record<HotCommand, { words: readonly (readonly string[])[]; flags: Record<string, Flag>; maxArgs: number }> = {
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
function commandOf(words: readonly string[]): [HotCommand, number] | undefined {
  for (const [command, spec] of Object.entries(COMMANDS) as [HotCommand, (typeof COMMANDS)[HotCommand]][]) {
    for (const w of spec.words) if (w.every((word, i) => words[i] === word)) return [command, w.length];
  }
  return undefined;
}

/** The line as the hot entry takes it, or undefined: the full CLI's to read. */
export function hotLine(argv: readonly string[]): HotLine | undefined {
  const global: Record<string, string | boolean> = {};
  const flags: Record<string, string | true | string[]> = {};
  const positional: string[] = [];
  let command: HotCommand | undefined;
  let commandWords = 0;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word.startsWith('-')) {
      const eq = word.startsWith('--') ? word.indexOf('=') : -1;
      const flagWord = eq < 0 ? word : word.slice(0, eq);
      const own = command === undefined ? undefined : COMMANDS[command].flags[flagWord];
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
        // --no-color: commander holds `color: false`.
        into[flag.name] = flagWord === '--no-color' ? false : value;
      }
      continue;
    }
    positional.push(word);
    if (command === undefined) {
      const found = commandOf(positional);
      if (found !== undefined) [command, commandWords] = found;
      // Only words that may still begin a command (`get` of `get secret`).
      else if (!Object.values(COMMANDS).some((c) => c.words.some((w) => positional.every((p, j) => w[j] === p)))) return undefined;
    }
  }
  if (command === undefined) return undefined;
  const args = positional.slice(commandWords);
  if (args.length > COMMANDS[command].maxArgs) return undefined;
  // Commander's choices for -o aside, `-o markdown` is for resolve (and diff) only: the CLI says so.
  if (global.output === 'markdown' && command !== 'resolve') return undefined;
  return { command, args, flags, global };
}

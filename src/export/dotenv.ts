import { fewNames } from '../support/few-names.js';
import { UsageError } from '../errors.js';
import type { TextValues } from './formats.js';

/** The dotenv readers `export --format dotenv` is tested against (docs/deployments.md: "Export formats and their readers"). */
export const DOTENV_READERS = ['node dotenv', 'python-dotenv', 'POSIX shell (set -a; . FILE)'] as const;
export type DotenvReader = (typeof DOTENV_READERS)[number];

type Reads = Record<DotenvReader, (v: string) => boolean>;

/** python-dotenv (interpolate=True, its default) replaces this in every value, quoted or not, with no escape. */
const PY_INTERPOLATION = /\$\{[^}:]*(?::-[^}]*)?\}/;
const pyExpands = (v: string): boolean => PY_INTERPOLATION.test(v);
/** Node dotenv and python-dotenv read `\'` (`\"`, `` \` ``) inside quotes as part of the value, never as its end. */
const endsEscaped = (v: string): boolean => v.endsWith('\\');

/**
 * One way to write a value, and for each reader whether it reads that back exactly. The rules come from
 * each parser (node dotenv 16 `lib/main.js`, python-dotenv 1.x `parser.py`, POSIX sh quoting); the tests
 * run all three readers over a hard corpus and check every value a reader is not warned about.
 */
interface Form {
  encode(v: string): string;
  reads: Reads;
}

const FORMS: Form[] = [
  {
    // Literal for all three; python-dotenv alone turns `\\` into `\`. No reader keeps a CR in a file.
    encode: (v) => `'${v}'`,
    reads: {
      'node dotenv': (v) => !v.includes("'") && !v.includes('\r') && !endsEscaped(v),
      'python-dotenv': (v) => !v.includes("'") && !v.includes('\r') && !endsEscaped(v) && !v.includes('\\\\') && !pyExpands(v),
      'POSIX shell (set -a; . FILE)': (v) => !v.includes("'"),
    },
  },
  {
    // `\n` and `\r` are the escapes node dotenv and python-dotenv share; a shell keeps them as two characters.
    encode: (v) => `"${v.replaceAll('\n', '\\n').replaceAll('\r', '\\r')}"`,
    reads: {
      'node dotenv': (v) => !v.includes('"') && !/\\[nr]/.test(v) && !endsEscaped(v),
      'python-dotenv': (v) => !v.includes('"') && !v.includes('\\') && !pyExpands(v),
      'POSIX shell (set -a; . FILE)': (v) => !/[$`"\\\n\r]/.test(v),
    },
  },
  {
    encode: (v) => v,
    reads: {
      'node dotenv': (v) => v !== '' && !/[\r\n#]/.test(v) && v.trim() === v && !/^['"`]/.test(v),
      'python-dotenv': (v) => v !== '' && !/[\r\n#]/.test(v) && v.trim() === v && !/^['"]/.test(v) && !pyExpands(v),
      'POSIX shell (set -a; . FILE)': (v) => /^[A-Za-z0-9_./:@%+,=-]+$/.test(v),
    },
  },
  {
    // Node dotenv only: python-dotenv keeps the backticks, a shell runs the text.
    encode: (v) => `\`${v}\``,
    reads: {
      'node dotenv': (v) => !v.includes('`') && !v.includes('\r') && !endsEscaped(v),
      'python-dotenv': () => false,
      'POSIX shell (set -a; . FILE)': () => false,
    },
  },
];

export interface DotenvValue {
  text: string;
  /** Readers that would read `text` back as something else. */
  misreadBy: DotenvReader[];
}

/**
 * The form node dotenv (the format's reference) reads back exactly that the most other readers read too
 * (the first such form on a tie), or undefined when node dotenv reads no form of it.
 */
export function dotenvValue(v: string): DotenvValue | undefined {
  let best: { form: Form; readers: DotenvReader[] } | undefined;
  for (const form of FORMS) {
    if (!form.reads['node dotenv'](v)) continue;
    const readers = DOTENV_READERS.filter((r) => form.reads[r](v));
    if (readers.length > (best?.readers.length ?? 0)) best = { form, readers };
  }
  if (!best) return undefined;
  const ok = best.readers;
  return { text: best.form.encode(v), misreadBy: DOTENV_READERS.filter((r) => !ok.includes(r)) };
}

function why(reader: DotenvReader, v: string): string {
  if (reader === 'python-dotenv' && pyExpands(v)) return 'it expands ${...} and has no escape for it';
  // Double quotes and backticks are live in a shell: sourcing may fail there, or run what the value holds.
  if (reader === 'POSIX shell (set -a; . FILE)') return 'quotes, $ and ` are live in a shell: sourcing may fail, or run what the value holds';
  return 'no quoting it shares with the other readers holds this value';
}

/**
 * `KEY=value` lines, every one read back exactly by node dotenv. A value python-dotenv or a shell would
 * read differently is still written and `warn` gets one line per reader and reason, naming a few keys and no value; a value
 * node dotenv cannot read back in any form is refused with the keys named. A file with no warning for a reader reads back exactly in that reader.
 */
export function formatDotenv(values: TextValues, warn: (line: string) => void = () => undefined): string {
  const encoded = [...values].map(([k, v]) => [k, v, dotenvValue(v)] as const);
  const unfit = encoded.filter(([, , e]) => e === undefined).map(([k]) => k);
  if (unfit.length > 0) {
    throw new UsageError(
      `${fewNames(unfit)} cannot be written as dotenv: the value holds ', " and \` together with a line break or #`,
      'use --format shell, json or yaml, or leave it out with --only',
    );
  }
  // One line per reader and reason, naming a few keys: thousands of keys are still a few lines.
  const misread = new Map<string, { reader: DotenvReader; reason: string; keys: string[] }>();
  for (const [k, v, e] of encoded) {
    for (const reader of e?.misreadBy ?? []) {
      const reason = why(reader, v);
      const group = misread.get(`${reader}\n${reason}`) ?? { reader, reason, keys: [] };
      group.keys.push(k);
      misread.set(`${reader}\n${reason}`, group);
    }
  }
  for (const { reader, reason, keys } of misread.values()) {
    const [value, it] = keys.length === 1 ? ['a different value', 'it'] : ['different values', 'them'];
    warn(`${fewNames(keys)}: ${reader} would read ${value} (${reason}), and may misread the keys after ${it}; use --format json, yaml or shell for ${it}`);
  }
  return encoded.map(([k, , e]) => `${k}=${e?.text ?? ''}\n`).join('');
}

import { basename, extname } from 'node:path';
import { UsageError } from '../errors.js';

export type ImportFormat = 'dotenv' | 'json' | 'yaml';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['dotenv', 'json', 'yaml'];

/** One key and its value as read from a source, before validation. */
export interface SourceEntry {
  key: string;
  value: string;
}

/** The format from the file name: `.env`, `*.env`, `.env.*` -> dotenv; `.json`; `.yaml` / `.yml`. */
export function guessFormat(file: string): ImportFormat | undefined {
  const name = basename(file).toLowerCase();
  const ext = extname(name);
  if (name === '.env' || ext === '.env' || name.startsWith('.env.')) return 'dotenv';
  if (ext === '.json') return 'json';
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  return undefined;
}

/** `--format`, or the guess from FILE; stdin and unknown extensions need the flag. */
export function importFormat(file: string, format: ImportFormat | undefined): ImportFormat {
  if (format !== undefined) return format;
  if (file === '-') throw new UsageError('importing from stdin needs --format', `give --format ${IMPORT_FORMATS.join('|')}`);
  const guessed = guessFormat(file);
  if (guessed === undefined) {
    throw new UsageError(`cannot tell the format of ${file} from its name`, `give --format ${IMPORT_FORMATS.join('|')}`);
  }
  return guessed;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Buffer, what: string): string {
  try {
    // A BOM some editors write is not part of the first key.
    return strictUtf8.decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new UsageError(`${what} is not UTF-8 text`, 'import text files; store a binary value with: scoped create secret KEY --from-file PATH');
  }
}

/**
 * dotenv 16's own line pattern (lib/main.js `LINE`), used only to find text its parser would skip
 * without a word: a line such as `FOO` or `my key=value` is refused rather than silently lost.
 */
const DOTENV_LINE = /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;

/** Line numbers (1-based) of text outside every KEY=value match that is neither blank nor a comment. */
export function unreadDotenvLines(text: string): number[] {
  const normalized = text.replace(/\r\n?/g, '\n');
  const covered = new Uint8Array(normalized.length);
  for (const m of normalized.matchAll(DOTENV_LINE)) covered.fill(1, m.index, m.index + m[0].length);
  const lines: number[] = [];
  let start = 0;
  normalized.split('\n').forEach((line, i) => {
    let rest = '';
    for (let j = 0; j < line.length; j++) if (covered[start + j] === 0) rest += line[j];
    const t = rest.trim();
    if (t !== '' && !t.startsWith('#')) lines.push(i + 1);
    start += line.length + 1;
  });
  return lines;
}

/**
 * dotenv through the `dotenv` package's parser: the one `export --format dotenv` is written for, so an
 * export reads back exactly (comments, `export `, quotes, `\n` in double quotes, multi-line values).
 * Duplicate keys: the last wins, as in dotenv itself. A line it would skip is refused, by number.
 */
async function parseDotenv(text: string, what: string): Promise<SourceEntry[]> {
  const unread = unreadDotenvLines(text);
  if (unread.length > 0) {
    const more = unread.length > 5 ? ` and ${unread.length - 5} more` : '';
    throw new UsageError(
      `${what}: nothing written: line${unread.length === 1 ? '' : 's'} ${unread.slice(0, 5).join(', ')}${more} ${unread.length === 1 ? 'is' : 'are'} not KEY=value`,
      'fix or comment out such lines (a value with spaces or # needs quotes)',
    );
  }
  // CommonJS: Node hands its exports over as the default export.
  const { parse } = ((await import('dotenv')) as unknown as { default: typeof import('dotenv') }).default;
  return Object.entries(parse(text)).map(([key, value]) => ({ key, value }));
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
}

/** One flat mapping of KEY to string. Anything else is refused, naming the key, so nothing is guessed. */
function flatMapping(data: unknown, what: string): SourceEntry[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(`${what} is ${typeName(data)}, not a mapping of KEY to value`, 'write one flat mapping, e.g. {"DB_URL": "postgres://..."}');
  }
  const entries: SourceEntry[] = [];
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (typeof value !== 'string') {
      const hint = value !== null && typeof value === 'object' ? 'store structured values as JSON text in a string' : 'quote it to store it as text';
      throw new UsageError(`${what}: the value of ${JSON.stringify(key)} is ${typeName(value)}, not a string`, hint);
    }
    entries.push({ key, value });
  }
  return entries;
}

function parseJson(text: string, what: string): SourceEntry[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${what} is not valid JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  return flatMapping(data, what);
}

/**
 * YAML 1.2 core schema: `no`, `on`, `0755` stay strings (YAML 1.1's surprises), while `true`, `1` and `~`
 * are not strings and are refused by flatMapping. Duplicate keys are refused, not resolved.
 */
async function parseYaml(text: string, what: string): Promise<SourceEntry[]> {
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text, { schema: 'core', uniqueKeys: true });
  const first = doc.errors[0];
  // The first line of the message names the line and column ("... at line 2, column 1:").
  if (first !== undefined) throw new UsageError(`${what} is not valid YAML: ${first.message.split('\n')[0]?.replace(/:$/, '')}`);
  if (doc.contents === null) return [];
  return flatMapping(doc.toJS({ maxAliasCount: 100 }), what);
}

/** The keys and values of a source, in its order. Values are not checked here (see validate.ts). */
export async function parseSource(bytes: Buffer, format: ImportFormat, what: string): Promise<SourceEntry[]> {
  const text = decode(bytes, what);
  if (format === 'dotenv') return parseDotenv(text, what);
  if (format === 'json') return parseJson(text, what);
  return parseYaml(text, what);
}

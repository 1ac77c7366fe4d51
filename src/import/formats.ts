import { basename, extname } from 'node:path';
import { UsageError } from '../errors.js';
import { describeJsonProblem, describePlace, describeTooDeep, describeYamlProblem, placeAt } from '../support/parse-errors.js';
import { entryProblem, sourceProblems } from './plan.js';
import { isValidKey } from '../core/scope.js';

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
  const entries = Object.entries(parse(text)).map(([key, value]) => ({ key, value }));
  // dotenv fills a plain object, where `__proto__ = value` sets nothing: read such a line on its own, by
  // dotenv's own pattern (the last one wins, as for every key), under a name that is only a name.
  const protoLines = [...text.replace(/\r\n?/g, '\n').matchAll(DOTENV_LINE)].filter((m) => m[1] === '__proto__');
  const last = protoLines.at(-1);
  if (last !== undefined) entries.push({ key: '__proto__', value: parse(last[0].replace('__proto__', 'PROTO_KEY')).PROTO_KEY ?? '' });
  return entries;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : `a ${typeof v}`;
}

const NOT_STRING_HINT = 'quote such values to store them as text (PORT: "5432"); store structured values as JSON text in a string';

/** A key as quoted in a message: escaped, and cut short (a whole line of a broken file may have become a key). */
function quoteKey(key: string): string {
  return JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key);
}

/**
 * Collects a mapping's problems in the file's order: a value that is not a string, and (so that one error
 * names every problem, as validateDesired would after) what is wrong with the other keys and values.
 */
class Problems {
  readonly entries: SourceEntry[] = [];
  private readonly all: string[] = [];
  private typed = false;
  text(key: string, value: string): void {
    this.entries.push({ key, value });
    const problem = entryProblem(key, value);
    if (problem !== undefined) this.all.push(problem);
  }
  notText(key: string, problem: string): void {
    this.typed = true;
    this.all.push(isValidKey(key) ? problem : `invalid key ${quoteKey(key)}`);
  }
  other(problem: string): void {
    this.typed = true;
    this.all.push(problem);
  }
  /** The entries when every value is text (their other problems are validateDesired's to name). */
  result(what: string): SourceEntry[] {
    if (this.typed) throw sourceProblems(what, this.all, NOT_STRING_HINT);
    return this.entries;
  }
}

/** One flat mapping of KEY to string. Anything else is refused, naming the keys, so nothing is guessed. */
function flatMapping(data: unknown, what: string): SourceEntry[] {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UsageError(`${what} is ${typeName(data)}, not a mapping of KEY to value`, 'write one flat mapping, e.g. {"DB_URL": "postgres://..."}');
  }
  const found = new Problems();
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    if (typeof value === 'string') found.text(key, value);
    else found.notText(key, `the value of ${quoteKey(key)} is ${typeName(value)}, not a string`);
  }
  return found.result(what);
}

/**
 * Where JSON.parse stopped, worded without the text (V8's message quotes it): the yaml package's JSON
 * schema reads the same text with places; what it accepts and JSON does not (a trailing comma, a tab in
 * a string) is placed by the offset V8 gives.
 */
async function jsonProblem(text: string, err: Error): Promise<string> {
  if (text.trim() === '') return 'it is empty (write {} for no keys)';
  const deep = describeTooDeep(text);
  if (deep !== undefined) return deep;
  const { parseDocument } = await import('yaml');
  const doc = parseDocument(text, { schema: 'json', uniqueKeys: false });
  const first = doc.errors[0] ?? doc.warnings[0];
  if (first !== undefined) return describeJsonProblem(first);
  const at = /at position (\d+)/.exec(err.message);
  if (at?.[1] !== undefined) return `${describePlace(placeAt(text, Number(at[1])))}text that is not valid JSON`;
  return 'text that is not valid JSON (JSON needs double quotes around keys and text)';
}

async function parseJson(text: string, what: string): Promise<SourceEntry[]> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${what} is not valid JSON: ${await jsonProblem(text, err as Error)}`, 'fix the file, or give the --format it is written in');
  }
  await refuseRepeatedKeys(text, what);
  return flatMapping(data, what);
}

/**
 * A key given twice is refused, as in YAML, rather than the last one kept without a word as JSON.parse
 * does. The yaml package reads the same text (JSON is YAML 1.2's flow style) keeping every pair, with its
 * place. Only the top mapping is looked at: a nested value is refused anyway, as not a string (and so is
 * one nested too deep for the yaml walk, which is therefore skipped).
 */
async function refuseRepeatedKeys(text: string, what: string): Promise<void> {
  if (describeTooDeep(text) !== undefined) return;
  const { isMap, isScalar, LineCounter, parseDocument } = await import('yaml');
  const lines = new LineCounter();
  const doc = parseDocument(text, { schema: 'json', uniqueKeys: false, lineCounter: lines });
  if (!isMap(doc.contents)) return;
  const seen = new Set<string>();
  for (const { key } of doc.contents.items) {
    if (!isScalar(key) || typeof key.value !== 'string') continue;
    if (seen.has(key.value)) {
      const p = key.range === undefined || key.range === null ? undefined : lines.linePos(key.range[0]);
      const place = p === undefined ? '' : ` (line ${p.line}, column ${p.col})`;
      throw new UsageError(`${what}: nothing written: the key ${quoteKey(key.value)} is given twice${place}`, 'give each key once');
    }
    seen.add(key.value);
  }
}

/**
 * Digits with a leading zero, as written (`0755`, a file mode): YAML 1.2 reads the number 755 and YAML 1.1
 * the octal 493, while whoever wrote them meant the text. The only plain scalar that is not a string in
 * the core schema and is still taken, as its source text.
 */
const LEADING_ZERO = /^0[0-9]+$/;

/**
 * YAML 1.2 core schema: `no`, `on`, `yes` stay strings (YAML 1.1's surprises), and so does `0755` (see
 * LEADING_ZERO), while `true`, `1` and `~` are not strings and are refused, by key and line, as are lists, mappings,
 * binary data, tags scoped does not read (named) and keys that are not plain strings. Duplicate keys are
 * refused, not resolved. The document is walked, never expanded: an alias is followed one step to the
 * node it names, so a "billion laughs" file costs nothing and is refused as the lists it holds.
 */
async function parseYaml(text: string, what: string): Promise<SourceEntry[]> {
  const deep = describeTooDeep(text);
  if (deep !== undefined) throw new UsageError(`${what} is not valid YAML: ${deep}`, 'write one flat mapping of KEY to value');
  const yaml = await import('yaml');
  const { isAlias, isMap, isScalar, isSeq } = yaml;
  const lines = new yaml.LineCounter();
  // A key given twice is found in the walk below, to name it (the parser's own error says only where).
  const doc = yaml.parseDocument(text, { schema: 'core', uniqueKeys: false, lineCounter: lines });
  // An unknown tag is only a warning to the parser; the walk below refuses it by name.
  const first = doc.errors[0] ?? doc.warnings.find((w) => w.code !== 'TAG_RESOLVE_FAILED');
  if (first !== undefined) throw new UsageError(`${what} is not valid YAML: ${describeYamlProblem(first)}`, 'fix the file, or give the --format it is written in');
  if (doc.contents === null) return [];
  /** An alias followed one step; undefined when it names no anchor. */
  const target = (node: unknown): unknown => (isAlias(node) ? node.resolve(doc) : node);
  /** What a node is, for a message: a tag scoped does not read by name, else its type. */
  const kind = (node: unknown): string => {
    if (node === undefined || node === null) return 'an alias that names no anchor';
    const tag = (node as { tag?: string }).tag;
    if (tag === 'tag:yaml.org,2002:binary') return 'binary data (!!binary)';
    if (tag !== undefined && !tag.startsWith('tag:yaml.org,2002:')) return `tagged ${tag}, a tag scoped does not read`;
    if (isMap(node)) return 'a mapping';
    if (isSeq(node)) return 'a list';
    return isScalar(node) ? typeName(node.value) : 'not a value';
  };
  const root = target(doc.contents);
  if (!isMap(root) || kind(root) !== 'a mapping') {
    throw new UsageError(`${what} is ${kind(root)}, not a mapping of KEY to value`, 'write one flat mapping, e.g. DB_URL: "postgres://..."');
  }
  const at = (node: unknown): string => {
    const offset = (node as { range?: [number] } | null)?.range?.[0];
    if (offset === undefined) return '';
    const p = lines.linePos(offset);
    return ` (line ${p.line}, column ${p.col})`;
  };
  const found = new Problems();
  const seen = new Set<string>();
  for (const pair of root.items) {
    const key = target(pair.key);
    if (!isScalar(key) || kind(key) !== 'a string') {
      found.other(`a key${at(pair.key)} is ${kind(key)}, not a name`);
      continue;
    }
    const name = key.value as string;
    if (seen.has(name)) throw new UsageError(`${what}: nothing written: the key ${quoteKey(name)} is given twice${at(pair.key)}`, 'give each key once');
    seen.add(name);
    const value = target(pair.value);
    if (isScalar(value) && kind(value) === 'a string') found.text(name, value.value as string);
    else if (isScalar(value) && value.type === 'PLAIN' && value.tag === undefined && LEADING_ZERO.test(value.source ?? '')) found.text(name, value.source as string);
    else found.notText(name, `the value of ${quoteKey(name)}${at(pair.value ?? pair.key)} is ${kind(value)}, not a string`);
  }
  return found.result(what);
}

/** The keys and values of a source, in its order. Values are not checked here (see validate.ts). */
export async function parseSource(bytes: Buffer, format: ImportFormat, what: string): Promise<SourceEntry[]> {
  const text = decode(bytes, what);
  if (format === 'dotenv') return parseDotenv(text, what);
  if (format === 'json') return parseJson(text, what);
  return parseYaml(text, what);
}

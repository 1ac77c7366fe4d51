import { UsageError } from '../errors.js';

export type ExportFormat = 'dotenv' | 'json' | 'yaml' | 'shell' | 'github';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['dotenv', 'json', 'yaml', 'shell', 'github'];

/** Resolved values as text, key -> value, in output order. */
export type TextValues = Map<string, string>;

/** `'...'` for POSIX shells: only `'` needs care (`'\''`); everything else, newlines included, is literal. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** `export KEY='value'` lines: `eval "$(scoped export --format shell)"` restores every value exactly. */
export function formatShell(values: TextValues): string {
  return [...values].map(([k, v]) => `export ${k}=${shellQuote(v)}\n`).join('');
}

/**
 * One dotenv value, in the first form the `dotenv` parser reads back exactly:
 * - single quotes: literal, newlines included (no `'`; no CR, which the parser turns into LF);
 * - double quotes: `\n` and `\r` are the parser's only escapes (no `"`, and no `\n`/`\r` already in the text);
 * - backticks: literal like single quotes (no backtick, no CR);
 * - bare: one line without `#`, a leading quote character or surrounding spaces.
 * Quoted forms also need the value not to end in a backslash. A value that fits none (all three quote
 * characters and a line break, say): undefined.
 */
export function dotenvValue(v: string): string | undefined {
  // The parser reads `\'` (or `\"`, `\``) as part of a quoted value, never as its end.
  const quotable = !v.endsWith('\\');
  if (quotable && !v.includes("'") && !v.includes('\r')) return `'${v}'`;
  if (quotable && !v.includes('"') && !/\\[nr]/.test(v)) return `"${v.replaceAll('\n', '\\n').replaceAll('\r', '\\r')}"`;
  if (quotable && !v.includes('`') && !v.includes('\r')) return `\`${v}\``;
  const bare = !/[\r\n#]/.test(v) && v.trim() === v && !/^['"`]/.test(v);
  return bare && v !== '' ? v : undefined;
}

export function formatDotenv(values: TextValues): string {
  const unfit = [...values].filter(([, v]) => dotenvValue(v) === undefined).map(([k]) => k);
  if (unfit.length > 0) {
    throw new UsageError(
      `${unfit.join(', ')} cannot be written as dotenv: the value holds ', " and \` together with a line break or #`,
      'use --format shell, json or yaml, or leave it out with --only',
    );
  }
  return [...values].map(([k, v]) => `${k}=${dotenvValue(v) as string}\n`).join('');
}

export function formatJson(values: TextValues): string {
  return `${JSON.stringify(Object.fromEntries(values), null, 2)}\n`;
}

export async function formatYaml(values: TextValues): Promise<string> {
  const { stringify } = await import('yaml');
  // No line folding: a long value comes back as the same one line.
  return stringify(Object.fromEntries(values), { lineWidth: 0 });
}

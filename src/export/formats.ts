import { yamlString } from '../support/yaml-text.js';

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

export function formatJson(values: TextValues): string {
  return `${JSON.stringify(Object.fromEntries(values), null, 2)}\n`;
}

/** One `"KEY": "value"` line per key, every scalar double-quoted (see support/yaml-text.ts). */
export function formatYaml(values: TextValues): string {
  if (values.size === 0) return '{}\n';
  return [...values].map(([k, v]) => `${yamlString(k)}: ${yamlString(v)}\n`).join('');
}

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

/**
 * A YAML double-quoted scalar that every YAML 1.1 and 1.2 reader (PyYAML, Ruby, Go yaml.v2/v3, the
 * `yaml` package) reads back as the same string: a plain or single-quoted scalar is typed by the reader
 * (`yes`, `off`, `12:30`, `1_000`, `~` and dates change type in YAML 1.1). JSON's string escapes are
 * valid YAML; what JSON leaves raw but YAML 1.1 treats as a line break (NEL, LS, PS) or refuses as
 * unprintable (DEL, C1, U+FEFF, U+FFFE/F) is escaped too.
 */
export function yamlString(s: string): string {
  // eslint-disable-next-line no-control-regex -- these characters, on purpose
  return JSON.stringify(s).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One `"KEY": "value"` line per key, every scalar double-quoted (see yamlString). */
export function formatYaml(values: TextValues): string {
  if (values.size === 0) return '{}\n';
  return [...values].map(([k, v]) => `${yamlString(k)}: ${yamlString(v)}\n`).join('');
}

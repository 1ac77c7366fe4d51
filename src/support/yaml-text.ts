/**
 * YAML that every YAML 1.1 and 1.2 reader (PyYAML, Ruby, Go yaml.v2/v3, the `yaml` package) reads back
 * with the same strings. Plain and single-quoted scalars are typed by the reader (`yes`, `off`, `12:30`,
 * `1_000`, `~` and dates change type in YAML 1.1; `0o17` in 1.2), so every string is double-quoted with
 * JSON's escapes, which YAML shares. What JSON leaves raw but YAML 1.1 reads as a line break (NEL, LS,
 * PS) or refuses as unprintable (DEL, C1, U+FEFF, U+FFFE/F) is escaped as well.
 */

const YAML_RAW = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

/** `text` in which every string scalar is JSON-quoted: the characters above escaped inside them. */
function escapeRaw(text: string): string {
  return text.replace(YAML_RAW, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** One string as a YAML double-quoted scalar. */
export function yamlString(s: string): string {
  return escapeRaw(JSON.stringify(s));
}

/** `-o yaml`: any JSON-shaped data, block style, every key and string double-quoted (see above). */
export async function yamlDocument(data: unknown): Promise<string> {
  const { stringify } = await import('yaml');
  // With every scalar string JSON-quoted, a raw character of YAML_RAW can only sit inside one of them.
  return escapeRaw(stringify(data, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'QUOTE_DOUBLE', doubleQuotedAsJSON: true, lineWidth: 0 }));
}

import { UsageError } from '../errors.js';
import { isStoredKey, KEY_RULE } from '../core/scope.js';
import { fieldText, jsonObjectFields } from '../deploy/expand.js';
import { fewNames } from '../support/few-names.js';

/**
 * `{{ secret "KEY" }}` or `{{secret 'KEY'}}`, any spacing inside the braces; `{{ secret "KEY" "field" }}`
 * reads one top-level field of a JSON-object value.
 */
const REFERENCE = /\{\{\s*secret\s+(?:"([^"\n]*)"|'([^'\n]*)')(?:\s+(?:"([^"\n]*)"|'([^'\n]*)'))?\s*\}\}/g;
/** Anything that starts like a reference must be one: a typo fails instead of passing through. */
const OPENING = /\{\{\s*secret\b/g;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A template's text, byte for byte: bytes that are not UTF-8 are refused at their line and byte offset
 * rather than turned into U+FFFD, which would change the file outside every reference without a word.
 */
export function templateText(bytes: Buffer, source: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    const offset = firstBadByte(bytes);
    const line = bytes.subarray(0, offset).toString('latin1').split('\n').length;
    throw new UsageError(
      `${source}:${line}: not UTF-8 text (byte offset ${offset})`,
      'render fills text templates: convert the file to UTF-8, or hand binary secrets over with scoped run --file KEY=NAME',
    );
  }
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstBadByte(bytes: Buffer): number {
  // The lenient decoder gives one U+FFFD per bad sequence; a U+FFFD that was really in the file is EF BF BD.
  let offset = 0;
  for (const ch of new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)) {
    if (ch === '\uFFFD' && !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return offset;
    offset += Buffer.byteLength(ch);
  }
  return offset;
}

function lineOf(text: string, index: number): number {
  return text.slice(0, index).split('\n').length;
}

/** The keys a template refers to, in order of first use. Malformed references and bad keys are usage errors. */
export function templateKeys(text: string, source: string): string[] {
  const complete = new Set<number>();
  const keys: string[] = [];
  for (const m of text.matchAll(REFERENCE)) {
    complete.add(m.index);
    const key = (m[1] ?? m[2]) as string;
    if (!isStoredKey(key)) throw new UsageError(`${source}:${lineOf(text, m.index)}: invalid key ${JSON.stringify(key)} in ${m[0]}: use ${KEY_RULE}`);
    if (!keys.includes(key)) keys.push(key);
  }
  for (const m of text.matchAll(OPENING)) {
    if (!complete.has(m.index)) {
      throw new UsageError(`${source}:${lineOf(text, m.index)}: malformed secret reference`, 'write {{ secret "KEY" }} or {{ secret "KEY" "field" }}');
    }
  }
  return keys;
}

/** One field of KEY's value; a value that is not a JSON object, or lacks the field, is a usage error (never showing the value). */
function field(values: Map<string, string>, key: string, name: string, where: string): string {
  const fields = jsonObjectFields(values.get(key) as string);
  if (fields === undefined)
    throw new UsageError(`${where}: {{ secret "${key}" "${name}" }}: the value of ${key} is not a JSON object`, `write {{ secret "${key}" }} for the whole value`);
  if (!Object.hasOwn(fields, name)) {
    throw new UsageError(`${where}: {{ secret "${key}" "${name}" }}: ${key} has no field ${JSON.stringify(name)}`, `its fields: ${fewNames(Object.keys(fields)) || '(none)'}`);
  }
  return fieldText(fields[name]);
}

/**
 * Each reference replaced by its value (or its field's: strings as they are, null empty, others as JSON
 * text), as is (no quoting: the template decides how a value sits in it). `source` names the template in errors.
 */
export function fillTemplate(text: string, values: Map<string, string>, source = 'template'): string {
  return text.replace(REFERENCE, (_m, dq: string | undefined, sq: string | undefined, fdq: string | undefined, fsq: string | undefined, offset: number) => {
    const key = (dq ?? sq) as string;
    const name = fdq ?? fsq;
    return name === undefined ? (values.get(key) as string) : field(values, key, name, `${source}:${lineOf(text, offset)}`);
  });
}

import { UsageError } from '../errors.js';
import { isValidKey, KEY_RULE } from '../core/scope.js';

/** `{{ secret "KEY" }}` or `{{secret 'KEY'}}`, any spacing inside the braces. */
const REFERENCE = /\{\{\s*secret\s+(?:"([^"\n]*)"|'([^'\n]*)')\s*\}\}/g;
/** Anything that starts like a reference must be one: a typo fails instead of passing through. */
const OPENING = /\{\{\s*secret\b/g;

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
    if (!isValidKey(key)) throw new UsageError(`${source}:${lineOf(text, m.index)}: invalid key ${JSON.stringify(key)} in ${m[0]}: use ${KEY_RULE}`);
    if (!keys.includes(key)) keys.push(key);
  }
  for (const m of text.matchAll(OPENING)) {
    if (!complete.has(m.index)) {
      throw new UsageError(`${source}:${lineOf(text, m.index)}: malformed secret reference`, 'write {{ secret "KEY" }}');
    }
  }
  return keys;
}

/** Each reference replaced by its value, as is (no quoting: the template decides how a value sits in it). */
export function fillTemplate(text: string, values: Map<string, string>): string {
  return text.replace(REFERENCE, (_m, dq: string | undefined, sq: string | undefined) => values.get((dq ?? sq) as string) as string);
}

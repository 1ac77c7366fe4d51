import { randomBytes } from 'node:crypto';
import { jsonFieldTexts, MIN_MASK_CHARS } from '../run/mask.js';
import type { TextValues } from './formats.js';

/** A heredoc delimiter found in no value, so no value can end its block early or smuggle in a variable. */
export function heredocDelimiter(values: TextValues, random: () => string = () => randomBytes(16).toString('hex')): string {
  for (;;) {
    const delimiter = `ghadelimiter_${random()}`;
    if (![...values.values()].some((v) => v.includes(delimiter))) return delimiter;
  }
}

/** The lines to append to `$GITHUB_ENV`: `KEY<<DELIM`, the value (line breaks and all), `DELIM`. */
export function githubEnvBlock(values: TextValues, delimiter = heredocDelimiter(values)): string {
  return [...values].map(([k, v]) => `${k}<<${delimiter}\n${v}\n${delimiter}\n`).join('');
}

/** Workflow-command data escaping (as in @actions/core). */
function escapeData(s: string): string {
  return s.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/**
 * `::add-mask::` for every line of every value (GitHub masks line by line, so a multi-line value needs
 * each of its lines) and of every field of a JSON-object value, skipping lines under MIN_MASK_CHARS
 * characters like `run` does. Also returns the keys with a line too short to mask, for a warning.
 */
export function addMaskCommands(values: TextValues): { commands: string; short: string[] } {
  const lines = new Set<string>();
  const short: string[] = [];
  for (const [k, v] of values) {
    let skipped = false;
    // A JSON-object value's fields too: a later step may parse it and print one.
    for (const raw of [v, ...jsonFieldTexts(v)].flatMap((t) => t.split('\n'))) {
      const line = raw.replace(/\r$/, '');
      if ([...line].length >= MIN_MASK_CHARS) lines.add(line);
      else if (line !== '') skipped = true;
    }
    if (skipped) short.push(k);
  }
  return { commands: [...lines].map((l) => `::add-mask::${escapeData(l)}\n`).join(''), short };
}

import type { SecretValue } from '../store/types.js';
import type { Context } from './context.js';
import { printable } from './output.js';

/** The flag every command that prints stored values takes, so the raw path is asked for the same way. */
export const RAW_FLAG = ['--raw', 'on a terminal too, print values byte for byte (control characters are shown escaped there by default)'] as const;

export interface RevealOptions {
  /** --raw: byte for byte on a terminal too. */
  raw: boolean;
  /** Add a line break on a terminal when the value does not end in one (a revealed value, not a file). */
  endLine?: boolean;
}

/**
 * Stored text on its way to stdout: the store's values are written by whoever can write the store, so on
 * a terminal they may carry escape sequences (colours, OSC 52 clipboard writes, window titles, bidi
 * overrides) meant to act on it. Its one way out is `shown()`: on a terminal, control and bidi characters
 * come out escaped (as in tables), line breaks and tabs as they are; piped, or with --raw, byte for byte.
 * (Like gh's iostreams untrusted text: the safe way is the default, raw is asked for.)
 */
export class StoredText {
  constructor(private readonly value: SecretValue) {}

  /** What reaches stdout, and whether anything was escaped. */
  shown(terminal: boolean, raw: boolean): { out: string | Uint8Array; escaped: boolean } {
    if (!terminal || raw) return { out: this.value, escaped: false };
    const text = typeof this.value === 'string' ? this.value : bytesAsText(this.value);
    // Line breaks and tabs stay: they do no harm on a terminal and a multi-line value stays readable.
    const out = text
      .split(/(\n|\t)/)
      .map((part, i) => (i % 2 === 1 ? part : printable(part)))
      .join('');
    return { out, escaped: out !== text || typeof this.value !== 'string' };
  }
}

/** Bytes that are not text, for a terminal: printable ASCII as it is, anything else as `\xNN`. */
function bytesAsText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b === 0x0a || b === 0x09 || (b >= 0x20 && b < 0x7f) ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`;
  return s;
}

/**
 * Writes stored text (a revealed value, an export, a rendered template) to stdout: the only way the
 * commands send values there. On a terminal, escaped unless --raw, with one warning saying so.
 */
export function writeRevealed(ctx: Context, value: SecretValue | StoredText, o: RevealOptions): void {
  const text = value instanceof StoredText ? value : new StoredText(value);
  const terminal = ctx.io.stdout.isTTY === true;
  const { out, escaped } = text.shown(terminal, o.raw);
  if (escaped) ctx.warn('control characters in the output are shown escaped on this terminal; --raw prints them as they are');
  const endLine = o.endLine === true && terminal && typeof out === 'string' && !out.endsWith('\n');
  ctx.out(endLine ? `${out}\n` : out);
}

import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';
import { describeFsError } from './fs-errors.js';
import { canPrompt, readAll } from '../io.js';
import type { SecretValue } from '../store/types.js';
import type { Context } from './context.js';

export interface ValueSourceOptions {
  /** The VALUE argument. */
  arg?: string | undefined;
  /** --from-file PATH; `-` is stdin. */
  fromFile?: string | undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Text stays text (SecretString); bytes that are not UTF-8, or hold a NUL, stay binary (SecretBinary). */
export function bytesToValue(bytes: Buffer): SecretValue {
  if (!bytes.includes(0)) {
    try {
      return strictUtf8.decode(bytes);
    } catch {
      // not UTF-8: binary
    }
  }
  return new Uint8Array(bytes);
}

/** True when `readValue` would ask on the terminal: check what can fail first, so nobody types a secret for nothing. */
export function willPrompt(ctx: Context, opts: ValueSourceOptions): boolean {
  return opts.arg === undefined && opts.fromFile === undefined && ctx.io.stdinIsTTY;
}

/** After a command that took its value as an argument: once, on stderr. */
export function warnArgumentValue(ctx: Context, opts: ValueSourceOptions): void {
  if (opts.arg !== undefined) {
    ctx.warn('a value given as an argument is kept in shell history and visible to other processes; prefer stdin or --from-file');
  }
}

/**
 * The value for create/update, from (in order) the VALUE argument, --from-file, piped stdin, or a hidden
 * prompt on a terminal. Piped text loses one trailing newline (what `echo` adds); files are taken as they are.
 */
export async function readValue(ctx: Context, opts: ValueSourceOptions, what: string): Promise<SecretValue> {
  if (opts.arg !== undefined && opts.fromFile !== undefined) {
    throw new UsageError('give the value either as an argument or with --from-file, not both');
  }
  if (opts.arg !== undefined) return opts.arg;
  if (opts.fromFile !== undefined) {
    if (opts.fromFile === '-') return bytesToValue(await readAll(ctx.io.stdin));
    try {
      return bytesToValue(readFileSync(opts.fromFile));
    } catch (err) {
      throw new UsageError(`cannot read --from-file ${opts.fromFile}: ${describeFsError(err)}`);
    }
  }
  if (!ctx.io.stdinIsTTY) {
    const bytes = await readAll(ctx.io.stdin);
    if (bytes.length === 0) throw new UsageError(`no value for ${what}: stdin is empty and not a terminal`, 'give VALUE, --from-file PATH, or pipe the value in');
    const value = bytesToValue(bytes);
    if (typeof value === 'string') return value.replace(/\r?\n$/, '');
    return value;
  }
  if (canPrompt(ctx.io)) return ctx.io.prompter.password(`Value for ${what}:`);
  throw new UsageError(`no value for ${what}`, 'give VALUE, --from-file PATH, or pipe it on stdin');
}

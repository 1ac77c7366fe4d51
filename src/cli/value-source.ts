import { UsageError } from '../errors.js';
import { canPrompt } from '../io.js';
import { readInput, type InputLimit } from '../support/read-input.js';
import { MAX_VALUE_BYTES, type SecretValue } from '../store/types.js';
import type { Context } from './context.js';

export interface ValueSourceOptions {
  /** The VALUE argument. */
  arg?: string | undefined;
  /** --from-file PATH; `-` is stdin. */
  fromFile?: string | undefined;
}

// ignoreBOM: a leading U+FEFF is part of the value as given, not a marker to drop.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

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

/** Piped text may carry one line break past the limit (`echo`'s), which is taken off before the check. */
export const VALUE_LIMIT: InputLimit = {
  read: MAX_VALUE_BYTES + 2,
  stated: MAX_VALUE_BYTES,
  what: 'value',
  hint: 'store a smaller value, or keep a large file elsewhere and store its location',
  interrupted: 'nothing was stored',
  named: (source) => source,
};

/** `render`'s templates are config files: 4 MiB is far past any, and short of what an endless stdin would fill. */
export const TEMPLATE_LIMIT: InputLimit = {
  read: 4 * 1024 * 1024,
  stated: 4 * 1024 * 1024,
  what: 'template',
  hint: 'a template is read whole; split it, or render smaller files',
  interrupted: 'nothing was written',
  named: (source) => `template ${source}`,
};

/**
 * An `import` source: 10,000 keys of typical size are a few MiB; 32 MiB is far past a sensible file and
 * short of what `/dev/zero` or a stuck producer would fill.
 */
export const IMPORT_LIMIT: InputLimit = {
  read: 32 * 1024 * 1024,
  stated: 32 * 1024 * 1024,
  what: 'import source',
  hint: 'split it into several files',
  interrupted: 'nothing was written',
  named: (source) => source,
};

/**
 * The value for create/update, from (in order) the VALUE argument, --from-file, piped stdin, or a hidden
 * prompt on a terminal. Piped text loses one trailing newline (what `echo` adds); files are taken as they are.
 * Every byte else is kept, a leading byte-order mark included.
 */
export async function readValue(ctx: Context, opts: ValueSourceOptions, what: string): Promise<SecretValue> {
  if (opts.arg !== undefined && opts.fromFile !== undefined) {
    throw new UsageError('give the value either as an argument or with --from-file, not both');
  }
  if (opts.arg !== undefined) return opts.arg;
  if (opts.fromFile !== undefined) {
    return bytesToValue(await readInput(ctx, opts.fromFile, opts.fromFile === '-' ? 'stdin' : `--from-file ${opts.fromFile}`, VALUE_LIMIT));
  }
  if (!ctx.io.stdinIsTTY) {
    const bytes = await readInput(ctx, '-', 'stdin', VALUE_LIMIT);
    if (bytes.length === 0) throw new UsageError(`no value for ${what}: stdin is empty and not a terminal`, 'give VALUE, --from-file PATH, or pipe the value in');
    const value = bytesToValue(bytes);
    if (typeof value === 'string') return value.replace(/\r?\n$/, '');
    return value;
  }
  if (canPrompt(ctx.io)) return ctx.io.prompter.password(`Value for ${what}:`);
  throw new UsageError(`no value for ${what}`, 'give VALUE, --from-file PATH, or pipe it on stdin');
}

import { constants, createReadStream, openSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { isatty, ReadStream as TtyStream } from 'node:tty';
import { UsageError } from '../errors.js';
import { describeFsError } from '../support/fs-errors.js';
import { canPrompt, SignalledError, type SignalSource } from '../io.js';
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

/** How much input a command takes, and what it is called in the error past it. */
export interface InputLimit {
  /** Bytes reading stops after. */
  read: number;
  /** The limit as stated to the user. */
  stated: number;
  what: string;
  hint: string;
  /** What an interruption left undone. */
  interrupted: string;
  /** The source as named in "cannot read ...". */
  named(source: string): string;
}

/** Piped text may carry one line break past the limit (`echo`'s), which is taken off before the check. */
const VALUE_LIMIT: InputLimit = {
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

function tooLong(source: string, limit: InputLimit): UsageError {
  return new UsageError(`the ${limit.what} from ${source} is longer than the limit of ${limit.stated.toLocaleString('en-US')} bytes`, limit.hint);
}

/**
 * Opens and reads a stream to its end, but stops just past the limit (`/dev/zero`, an endless pipe) and
 * when SIGINT or SIGTERM arrives while waiting (a FIFO nobody writes to): memory stays bounded and Ctrl-C
 * works. The signals are listened to before anything is opened, so none falls between the two.
 */
export function readBounded(open: () => Promise<Readable>, source: string, signals: SignalSource | undefined, limit: InputLimit = VALUE_LIMIT): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let stream: Readable | undefined;
    let settled = false;
    const stops: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
    const finish = (settle: () => void): void => {
      if (settled) return;
      settled = true;
      for (const sig of stops) signals?.off(sig, onSignal);
      stream?.off('data', onData);
      stream?.destroy();
      settle();
    };
    const onSignal = (sig: NodeJS.Signals): void => finish(() => reject(new SignalledError(sig, `reading the ${limit.what} from ${source}`, limit.interrupted)));
    const onData = (chunk: Buffer | string): void => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > limit.read) return finish(() => reject(tooLong(source, limit)));
      chunks.push(buf);
    };
    for (const sig of stops) signals?.on(sig, onSignal);
    open().then(
      (opened) => {
        stream = opened;
        if (settled) return void opened.destroy();
        opened.on('data', onData);
        opened.once('end', () => finish(() => resolve(Buffer.concat(chunks))));
        opened.once('error', (err) => finish(() => reject(new UsageError(`cannot read ${limit.named(source)}: ${describeFsError(err)}`))));
      },
      (err: unknown) => finish(() => reject(err)),
    );
  });
}

function openOrFail(path: string, flags: number, fail: (err: unknown) => UsageError): number {
  try {
    return openSync(path, flags);
  } catch (err) {
    throw fail(err);
  }
}

/**
 * A file as a stream. A FIFO is opened without blocking and read as a pipe, so waiting for its writer
 * never ties up a thread and a signal ends the wait; a regular file over the limit fails unread.
 */
async function openInput(path: string, source: string, limit: InputLimit): Promise<Readable> {
  const fail = (err: unknown): UsageError => new UsageError(`cannot read ${limit.named(source)}: ${describeFsError(err)}`);
  const info = await stat(path).catch((err: unknown) => {
    throw fail(err);
  });
  if (info.isDirectory()) throw fail(Object.assign(new Error('directory'), { code: 'EISDIR' }));
  if (info.isFile() && info.size > limit.read) throw tooLong(source, limit);
  if (info.isCharacterDevice()) {
    // A terminal (`--from-file /dev/tty`) is read as a stream too: a blocking read of it in a worker
    // thread would outlive a signal and keep the process from exiting.
    const fd = openOrFail(path, constants.O_RDONLY, fail);
    return isatty(fd) ? new TtyStream(fd) : createReadStream(path, { fd });
  }
  if (!info.isFIFO()) return createReadStream(path);
  return new Socket({ fd: openOrFail(path, constants.O_RDONLY | constants.O_NONBLOCK, fail), readable: true, writable: false });
}

/**
 * The bytes of PATH, or of stdin for `-`, within `limit` and interruptible (see readBounded). `source`
 * names it in messages: `--from-file PATH`, `stdin`, a template's PATH.
 */
export async function readInput(ctx: Context, path: string, source: string, limit: InputLimit = VALUE_LIMIT): Promise<Buffer> {
  const open = async (): Promise<Readable> => {
    ctx.debug(`reading the ${limit.what} from ${source}`);
    return path === '-' ? (ctx.io.stdin as Readable) : openInput(resolve(ctx.io.cwd, path), source, limit);
  };
  return readBounded(open, source, ctx.io.signals, limit);
}

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
    return bytesToValue(await readInput(ctx, opts.fromFile, opts.fromFile === '-' ? 'stdin' : `--from-file ${opts.fromFile}`));
  }
  if (!ctx.io.stdinIsTTY) {
    const bytes = await readInput(ctx, '-', 'stdin');
    if (bytes.length === 0) throw new UsageError(`no value for ${what}: stdin is empty and not a terminal`, 'give VALUE, --from-file PATH, or pipe the value in');
    const value = bytesToValue(bytes);
    if (typeof value === 'string') return value.replace(/\r?\n$/, '');
    return value;
  }
  if (canPrompt(ctx.io)) return ctx.io.prompter.password(`Value for ${what}:`);
  throw new UsageError(`no value for ${what}`, 'give VALUE, --from-file PATH, or pipe it on stdin');
}

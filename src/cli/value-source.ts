import { constants, createReadStream, openSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { UsageError } from '../errors.js';
import { describeFsError } from './fs-errors.js';
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

/** Piped text may carry one line break past the limit (`echo`'s), which is taken off before the check. */
const READ_LIMIT = MAX_VALUE_BYTES + 2;

function tooLong(source: string): UsageError {
  return new UsageError(`the value from ${source} is longer than the limit of ${MAX_VALUE_BYTES.toLocaleString('en-US')} bytes`, 'store a smaller value, or keep a large file elsewhere and store its location');
}

/**
 * Reads `stream` to its end, but stops just past READ_LIMIT (`/dev/zero`, an endless pipe) and when
 * SIGINT or SIGTERM arrives while waiting (a FIFO nobody writes to): memory stays bounded and Ctrl-C works.
 */
export function readBounded(stream: Readable, source: string, signals: SignalSource | undefined): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stops: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
    const finish = (settle: () => void): void => {
      for (const sig of stops) signals?.off(sig, onSignal);
      stream.off('data', onData);
      stream.destroy();
      settle();
    };
    const onSignal = (sig: NodeJS.Signals): void => finish(() => reject(new SignalledError(sig, `reading the value from ${source}`)));
    const onData = (chunk: Buffer | string): void => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (size > READ_LIMIT) return finish(() => reject(tooLong(source)));
      chunks.push(buf);
    };
    for (const sig of stops) signals?.on(sig, onSignal);
    stream.on('data', onData);
    stream.once('end', () => finish(() => resolve(Buffer.concat(chunks))));
    stream.once('error', (err) => finish(() => reject(new UsageError(`cannot read ${source}: ${describeFsError(err)}`))));
  });
}

/**
 * `--from-file PATH` as a stream. A FIFO is opened without blocking and read as a pipe, so waiting for its
 * writer never ties up a thread and a signal ends the wait; a regular file over the limit fails unread.
 */
async function openValueFile(path: string, source: string): Promise<Readable> {
  const fail = (err: unknown): UsageError => new UsageError(`cannot read ${source}: ${describeFsError(err)}`);
  const info = await stat(path).catch((err: unknown) => {
    throw fail(err);
  });
  if (info.isDirectory()) throw fail(Object.assign(new Error('directory'), { code: 'EISDIR' }));
  if (info.isFile() && info.size > READ_LIMIT) throw tooLong(source);
  if (!info.isFIFO()) return createReadStream(path);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw fail(err);
  }
  return new Socket({ fd, readable: true, writable: false });
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
  const signals = ctx.io.signals;
  if (opts.fromFile !== undefined) {
    const source = opts.fromFile === '-' ? 'stdin' : `--from-file ${opts.fromFile}`;
    ctx.debug(`reading the value from ${source}`);
    const stream = opts.fromFile === '-' ? (ctx.io.stdin as Readable) : await openValueFile(opts.fromFile, source);
    const bytes = await readBounded(stream, source, signals);
    return bytesToValue(bytes);
  }
  if (!ctx.io.stdinIsTTY) {
    ctx.debug('reading the value from stdin');
    const bytes = await readBounded(ctx.io.stdin as Readable, 'stdin', signals);
    if (bytes.length === 0) throw new UsageError(`no value for ${what}: stdin is empty and not a terminal`, 'give VALUE, --from-file PATH, or pipe the value in');
    const value = bytesToValue(bytes);
    if (typeof value === 'string') return value.replace(/\r?\n$/, '');
    return value;
  }
  if (canPrompt(ctx.io)) return ctx.io.prompter.password(`Value for ${what}:`);
  throw new UsageError(`no value for ${what}`, 'give VALUE, --from-file PATH, or pipe it on stdin');
}

import { constants, createReadStream, openSync, readFileSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { isatty, ReadStream as TtyStream } from 'node:tty';
import { UsageError } from '../errors.js';
import { describeFsError } from './fs-errors.js';
import { SignalledError, type IO, type SignalSource } from '../io.js';

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

function tooLong(source: string, limit: InputLimit): UsageError {
  return new UsageError(`the ${limit.what} from ${source} is longer than the limit of ${limit.stated.toLocaleString('en-US')} bytes`, limit.hint);
}

/**
 * Opens and reads a stream to its end, but stops just past the limit (`/dev/zero`, an endless pipe) and
 * when SIGINT or SIGTERM arrives while waiting (a FIFO nobody writes to): memory stays bounded and Ctrl-C
 * works. The signals are listened to before anything is opened, so none falls between the two.
 */
export function readBounded(open: () => Promise<Readable>, source: string, signals: SignalSource | undefined, limit: InputLimit): Promise<Buffer> {
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
 * A regular file within the limit, read at once: nothing to wait for, so no stream (nor Node's stream modules,
 * which a pinned read would otherwise load for its pin file). Undefined for anything else, or when it cannot
 * be looked at: openInput then reads it, or says why not.
 */
function readRegularFile(path: string, source: string, limit: InputLimit): Buffer | undefined {
  try {
    const info = statSync(path);
    if (!info.isFile() || info.size > limit.read) return undefined;
  } catch {
    return undefined;
  }
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (err) {
    throw new UsageError(`cannot read ${limit.named(source)}: ${describeFsError(err)}`);
  }
  // It grew since it was looked at.
  if (data.length > limit.read) throw tooLong(source, limit);
  return data;
}

/** Where `readInput` reads from: the process's stdin and working folder, its signals, and a debug line. */
export interface InputSource {
  readonly io: Pick<IO, 'stdin' | 'cwd' | 'signals'>;
  debug(line: string): void;
}

/**
 * The bytes of PATH, or of stdin for `-`, within `limit` and interruptible (see readBounded). `source`
 * names it in messages: `--from-file PATH`, `stdin`, a template's PATH.
 */
export async function readInput(from: InputSource, path: string, source: string, limit: InputLimit): Promise<Buffer> {
  const regular = path === '-' ? undefined : readRegularFile(resolve(from.io.cwd, path), source, limit);
  if (regular !== undefined) {
    from.debug(`reading the ${limit.what} from ${source}`);
    return regular;
  }
  const open = async (): Promise<Readable> => {
    from.debug(`reading the ${limit.what} from ${source}`);
    return path === '-' ? (from.io.stdin as Readable) : openInput(resolve(from.io.cwd, path), source, limit);
  };
  return readBounded(open, source, from.io.signals, limit);
}

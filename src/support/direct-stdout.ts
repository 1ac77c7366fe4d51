import { fstatSync, statSync, writeSync } from 'node:fs';

/** What Node's stdout stream offers that this needs when it hands over. */
export interface NodeStdout {
  write(chunk: string | Uint8Array): unknown;
}

/** An io.ts OutStream (not imported: io.ts imports this). */
export interface DirectStdout {
  readonly isTTY: false;
  write(chunk: string | Uint8Array): boolean;
  /** The first write error other than EPIPE (ENOSPC, EIO), if any. */
  failure(): NodeJS.ErrnoException | undefined;
}

/** fd may be a terminal: a character device other than /dev/null (or fstat failed); a pipe, a file or a socket is not. */
export function mayBeTerminal(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    return st.isCharacterDevice() && st.rdev !== statSync('/dev/null').rdev;
  } catch {
    return true;
  }
}

/**
 * stdout written with write(2), without creating `process.stdout`: Node builds that stream, and loads its
 * stream modules, on first touch (about 2 ms, most of what printing a Tab's few lines costs). For a pipe,
 * a file, a socket or /dev/null; undefined for another character device (a terminal, which Node's stream
 * knows the width of). A reader that went away (EPIPE) ends the output quietly; another error is kept for
 * `failure()`; a full non-blocking pipe (EAGAIN) hands this and every later write to `fallback()`, whose
 * stream waits for the reader. `write` is fs.writeSync, or a test's.
 */
export function directStdout(fd: number, fallback: () => NodeStdout, write: (fd: number, data: Uint8Array) => number = writeSync): DirectStdout | undefined {
  // /dev/null is a character device too, which takes every write: written here as well.
  if (mayBeTerminal(fd)) return undefined;
  let failed: NodeJS.ErrnoException | undefined;
  let gone = false;
  let stream: NodeStdout | undefined;
  return {
    isTTY: false,
    write(chunk) {
      if (stream) return stream.write(chunk) !== false;
      if (gone || failed) return false;
      let rest = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      while (rest.length > 0) {
        try {
          rest = rest.subarray(write(fd, rest));
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') {
            stream = fallback();
            stream.write(rest);
            return false;
          }
          if (code === 'EPIPE') gone = true;
          else failed = err as NodeJS.ErrnoException;
          return false;
        }
      }
      return true;
    },
    failure: () => failed,
  };
}

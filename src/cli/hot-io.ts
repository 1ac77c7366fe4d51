import type { IO, OutStream } from '../io.js';

/**
 * The hot entry's stand-in for the real IO (src/cli/hot-entry.ts): stdout and stderr are held in order until the
 * command has finished, so that a line the entry gives up on (an error, something it does not handle) has
 * written nothing and the full CLI can run it from the start. Input is never read here: touching stdin or a
 * prompt gives up (`decline`), as does anything calling `decline` on the way.
 */
export class HotDecline extends Error {
  constructor(readonly why: string) {
    super(`the hot entry does not handle this line (${why})`);
  }
}

let gaveUp = false;

/** Gives up on this line: remembered, so that catching the error (a fallback, a cache miss) cannot hide it. */
export function decline(why: string): never {
  gaveUp = true;
  throw new HotDecline(why);
}

export interface HeldIO {
  io: IO;
  /** Whether anything on the way gave up, even if the error it threw was caught and handled. */
  declined(): boolean;
  /** Writes what was held to the real streams, in the order it was written. */
  flush(): void;
}

export function holdIO(real: IO): HeldIO {
  const held: [OutStream, string | Uint8Array][] = [];
  const holding = (name: 'stdout' | 'stderr'): OutStream => ({
    write(chunk) {
      // A chunk may be a buffer the caller reuses: kept as a copy.
      held.push([real[name], typeof chunk === 'string' ? chunk : Uint8Array.prototype.slice.call(chunk)]);
      return true;
    },
    get isTTY() {
      return real[name].isTTY;
    },
    get columns() {
      return real[name].columns;
    },
  });
  const stdout = holding('stdout');
  const stderr = holding('stderr');
  const io: IO = {
    stdout,
    stderr,
    get stdin(): NodeJS.ReadableStream {
      return decline('stdin');
    },
    get stdinIsTTY(): boolean {
      return decline('stdin');
    },
    env: real.env,
    cwd: real.cwd,
    prompter: { password: () => decline('a prompt'), confirm: () => decline('a prompt') },
    ...(real.stdoutClosed === undefined ? {} : { stdoutClosed: real.stdoutClosed }),
    ...(real.surelyNotTTY === undefined ? {} : { surelyNotTTY: real.surelyNotTTY }),
  };
  return {
    io,
    declined: () => gaveUp,
    flush() {
      for (const [stream, chunk] of held.splice(0)) stream.write(chunk);
    },
  };
}

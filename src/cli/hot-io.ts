import type { IO, OutStream, SignalSource } from '../io.js';

/**
 * The hot entry's stand-in for the real IO (src/cli/hot-entry.ts): stdout and stderr are held in order until the
 * command has finished, so that a line the entry gives up on (an error, something it does not handle) has
 * written nothing and the full CLI can run it from the start. Input is never read here: touching stdin or a
 * prompt gives up (`decline`), as does anything calling `decline` on the way.
 *
 * `run` (`startsChild`) holds its output only until the child is about to start: src/run/child.ts asks for the
 * streams' descriptors (`fds`) just before it spawns, and that is when the line is answered: what was held is
 * written (or, if anything gave up on the way, the line is declined there, before the child exists), and from
 * then on the real IO is used as is (the child's output is never held; its stdin, its signals, Node's stdout
 * stream for the masked copy). Whether stdin is a terminal is read for it (the signal relay asks), not stdin.
 * Every line has the real signals (a read that waits, a pin file on a FIFO, ends on SIGINT/SIGTERM as in the full
 * CLI); a signal caught before the answer is noted (`caught`).
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
  /** Whether the line was answered on the way (`startsChild`: the child was about to start): it cannot decline now. */
  answered(): boolean;
  /**
   * The signals a listener caught before the line was answered (run's relay, or a read that waits): the caller
   * raises them again if the line is then declined, rather than lose them.
   */
  caught(): NodeJS.Signals[];
}

export function holdIO(real: IO, options: { startsChild?: boolean } = {}): HeldIO {
  const held: [OutStream, string | Uint8Array][] = [];
  let live = false;
  const flush = (): void => {
    for (const [stream, chunk] of held.splice(0)) stream.write(chunk);
  };
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
  const prompter: IO['prompter'] = { password: () => decline('a prompt'), confirm: () => decline('a prompt') };
  const io: IO = {
    get stdout() {
      return live ? real.stdout : stdout;
    },
    get stderr() {
      return live ? real.stderr : stderr;
    },
    get stdin(): NodeJS.ReadableStream {
      return live ? real.stdin : decline('stdin');
    },
    get stdinIsTTY(): boolean {
      return options.startsChild === true ? real.stdinIsTTY : decline('stdin');
    },
    env: real.env,
    cwd: real.cwd,
    get prompter() {
      return live ? real.prompter : prompter;
    },
    ...(real.stdoutClosed === undefined ? {} : { stdoutClosed: real.stdoutClosed }),
    ...(real.surelyNotTTY === undefined ? {} : { surelyNotTTY: real.surelyNotTTY }),
  };
  const caught = new Set<NodeJS.Signals>();
  // The real signals for every line (a read that waits ends on SIGINT/SIGTERM, as in the full CLI), each listener
  // through one that notes a signal that comes before the answer.
  const source = real.signals;
  const standIns = new Map<string, Map<(signal: NodeJS.Signals) => void, (signal: NodeJS.Signals) => void>>();
  const of = (sig: NodeJS.Signals) => standIns.get(sig) ?? standIns.set(sig, new Map()).get(sig)!;
  const signals: SignalSource | undefined = source && {
    on(sig, listener) {
      const standIn = (got: NodeJS.Signals): void => {
        if (!live) caught.add(sig);
        listener(got);
      };
      of(sig).set(listener, standIn);
      return source.on(sig, standIn);
    },
    off(sig, listener) {
      const standIn = of(sig).get(listener);
      if (standIn === undefined) return undefined;
      of(sig).delete(listener);
      return source.off(sig, standIn);
    },
  };
  if (signals !== undefined) io.signals = signals;
  if (options.startsChild === true) {
    if (real.discards !== undefined) io.discards = real.discards;
    // Read by src/run/child.ts just before it spawns: the line is answered here, or declined before the child exists.
    // (A getter defined on the object: spreading one would read it.)
    Object.defineProperty(io, 'fds', {
      enumerable: true,
      get() {
        if (!live) {
          if (gaveUp) decline('gave up on the way');
          flush();
          live = true;
        }
        return real.fds;
      },
    });
  }
  return { io, declined: () => gaveUp && !live, flush, answered: () => live, caught: () => [...caught] };
}

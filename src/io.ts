import { fstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { builtin } from './support/builtin.js';
import { InterruptedError } from './errors.js';
import { directStdout, mayBeTerminal } from './support/direct-stdout.js';

/** A stream we write to. Real ones are process.stdout/stderr; tests pass string buffers. */
export interface OutStream {
  write(chunk: string | Uint8Array): unknown;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
}

export interface Prompter {
  /**
   * Hidden input. Cancelling (Ctrl-C, or Ctrl-D: the end of input) throws InterruptedError; SIGINT or SIGTERM
   * while it waits, SignalledError.
   */
  password(message: string): Promise<string>;
  confirm(message: string): Promise<boolean>;
}

/**
 * Every input and output a command may touch. Commands never use `process` directly, so they run the
 * same under tests (`testIO`) as for real (`systemIO`).
 */
export interface IO {
  stdout: OutStream;
  stderr: OutStream;
  stdin: NodeJS.ReadableStream;
  stdinIsTTY: boolean;
  env: Record<string, string | undefined>;
  cwd: string;
  prompter: Prompter;
  /**
   * Waits until stdout has taken everything written; the first error writing it (ENOSPC, EBADF, EIO),
   * if any. A reader that went away (EPIPE, `| head`) is not an error: nothing more can be shown.
   */
  settleOut?(): Promise<NodeJS.ErrnoException | undefined>;
  /** stdout was closed when we started (`>&-`): Node puts a read-write /dev/null in its place. */
  stdoutClosed?(): boolean;
  /**
   * The stream is surely no terminal (a pipe, a file, a socket, /dev/null), told without creating Node's
   * stream for it (and loading its modules); false when it may be one: then ask the stream.
   */
  surelyNotTTY?(stream: 'stdout' | 'stderr'): boolean;
  /**
   * The real streams' file descriptors (0, 1, 2): `run` hands them to its child as they are, without
   * Node's streams being created. Absent in tests, whose streams are copied.
   */
  fds?: { stdin: number; stdout: number; stderr: number } | undefined;
  /** Writes to the stream reach no one (/dev/null): `run` need not mask what goes there. */
  discards?(stream: 'stdout' | 'stderr'): boolean;
  /** Where SIGINT/SIGTERM come from while a command waits on input (`process` for real; absent in tests). */
  signals?: SignalSource | undefined;
}

/** `process`, or an EventEmitter in tests. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

/**
 * A wait (reading a value) ended by a signal. `main` exits 128 + its number, as a shell reports a
 * process the signal killed (130 for SIGINT, 143 for SIGTERM), after one line saying what was stopped.
 */
export class SignalledError extends InterruptedError {
  constructor(
    readonly signal: NodeJS.Signals,
    what: string,
    hint?: string,
  ) {
    super(`interrupted (${signal}) while ${what}`, hint);
  }
}

export function canPrompt(io: IO): boolean {
  return io.stdinIsTTY && io.stderr.isTTY === true;
}

/**
 * The stream is a terminal: told by fstat, else by isatty(3) on its descriptor (`fds`), else by asking the
 * stream (a test's; for real, asking creates Node's stream, a tty.WriteStream on a terminal).
 */
export function isTerminal(io: IO, stream: 'stdout' | 'stderr'): boolean {
  if (io.surelyNotTTY?.(stream) === true) return false;
  if (io.fds !== undefined) return builtin('node:tty').isatty(io.fds[stream]);
  return io[stream].isTTY === true;
}

/** Colour on a terminal only (each stream decides for itself), never with NO_COLOR or --no-color. */
export function colorEnabled(io: IO, noColorFlag: boolean, stream: 'stdout' | 'stderr' = 'stdout'): boolean {
  if (noColorFlag) return false;
  const noColor = io.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  if (io.surelyNotTTY?.(stream) === true) return false;
  return io[stream].isTTY === true;
}

function isPromptCancel(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}

/** The signals that end an open prompt as they end a wait for a value: 128 + N, one line. */
const PROMPT_STOPS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Prompts through @inquirer/prompts, loaded on first use, drawn on stderr so stdout stays data. */
function inquirerPrompter(): Prompter {
  // Built on first prompt: touching process.stdin creates a stream, which most runs never need.
  const context = (signal: AbortSignal) => ({ input: process.stdin, output: process.stderr, clearPromptOnDone: false, signal });
  const wrap = async <T>(ask: (signal: AbortSignal) => Promise<T>): Promise<T> => {
    const stop = new AbortController();
    // End of input (Ctrl-D on an empty line) closes the prompt's readline without settling the prompt: nothing
    // holds the event loop then, and the library rejects only from its exit hook, once the process is already
    // exiting with 0 (the 130 came too late). The loop draining while the prompt is open is that case: nothing can
    // answer it any more. Cancelled here, before the exit, so the command stops and `main` returns 130.
    const onDrain = (): void => stop.abort();
    // A signal from outside (the terminal's Ctrl-C is a key while the prompt holds it, not a signal): as a wait
    // for a value ends, one line and 128 + N, instead of the library's exit hook killing the process silently.
    let signalled: NodeJS.Signals | undefined;
    const onSignal = (signal: NodeJS.Signals): void => {
      signalled = signal;
      stop.abort();
    };
    process.on('beforeExit', onDrain);
    for (const s of PROMPT_STOPS) process.on(s, onSignal);
    try {
      return await ask(stop.signal);
    } catch (err) {
      if (signalled !== undefined) throw new SignalledError(signalled, 'waiting for an answer at the prompt');
      if (isPromptCancel(err)) throw new InterruptedError('cancelled');
      throw err;
    } finally {
      process.off('beforeExit', onDrain);
      for (const s of PROMPT_STOPS) process.off(s, onSignal);
    }
  };
  return {
    password: async (message) => {
      const { password } = await import('@inquirer/prompts');
      return wrap((signal) => password({ message, mask: false }, context(signal)));
    },
    confirm: async (message) => {
      const { confirm } = await import('@inquirer/prompts');
      return wrap((signal) => confirm({ message, default: false }, context(signal)));
    },
  };
}

/** fd is /dev/null (a character device with its device number). */
function isDevNull(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    return st.isCharacterDevice() && st.rdev === statSync('/dev/null').rdev;
  } catch {
    return false;
  }
}

/**
 * Linux: fd 1 is the /dev/null Node opened read-write in place of a closed stdout. A `>/dev/null` of the
 * user's is write-only. (Elsewhere: unknown, so false.)
 */
function stdoutWasClosed(): boolean {
  try {
    if (readlinkSync('/proc/self/fd/1') !== '/dev/null') return false;
    const flags = /^flags:\s*([0-7]+)$/m.exec(readFileSync('/proc/self/fdinfo/1', 'utf8'))?.[1];
    return flags !== undefined && (parseInt(flags, 8) & 3) === 2;
  } catch {
    return false;
  }
}
// node:tty (and the net and stream modules it loads) only when a command asks whether stdin is a
// terminal: help and Tab never do.

/** Node's stdout stream, with its write errors kept (not thrown) and a wait for what it still holds. */
function nodeStdout(): { stream: NodeJS.WriteStream; settle(): Promise<NodeJS.ErrnoException | undefined> } {
  let failed: NodeJS.ErrnoException | undefined;
  // `scoped get secret --all | head -1`: the reader went away, nothing more can be shown. Other write
  // errors (a full disk) are kept for `main` to report in one line, never thrown as a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') failed ??= err;
  });
  return {
    stream: process.stdout,
    settle: () =>
      new Promise((resolve) => {
        if (failed || process.stdout.destroyed) return resolve(failed);
        process.stdout.write('', () => setImmediate(() => resolve(failed)));
      }),
  };
}

/**
 * The process's real streams. `directStdout`: writes go straight to a pipe, a file or /dev/null without
 * creating Node's stdout stream (support/direct-stdout.ts); bin/scoped.cjs asks for it on every line but `run`'s.
 * Node's stream is created on first use (a terminal's; `run` never writes to stdout itself).
 */
export function systemIO(options: { directStdout?: boolean } = {}): IO {
  let node: ReturnType<typeof nodeStdout> | undefined;
  const stream = () => (node ??= nodeStdout()).stream;
  const direct = options.directStdout === true ? directStdout(1, stream) : undefined;
  return {
    get stdout() {
      return direct ?? stream();
    },
    // A getter: Node creates process.stderr on first touch, and help or a Tab rarely writes to it.
    get stderr() {
      return process.stderr;
    },
    // A getter: creating process.stdin costs start-up time, and most commands never read it.
    get stdin() {
      return process.stdin;
    },
    // fstat first: a pipe, a file or /dev/null is told without loading node:tty (and net).
    get stdinIsTTY() {
      return mayBeTerminal(0) && builtin('node:tty').isatty(0);
    },
    env: process.env,
    cwd: process.cwd(),
    prompter: inquirerPrompter(),
    signals: process,
    fds: { stdin: 0, stdout: 1, stderr: 2 },
    discards: (name) => isDevNull(name === 'stdout' ? 1 : 2),
    settleOut: async () => direct?.failure() ?? (await node?.settle()),
    stdoutClosed: stdoutWasClosed,
    surelyNotTTY: (name) => !mayBeTerminal(name === 'stdout' ? 1 : 2),
  };
}

import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import type { OutStream, SignalSource } from '../io.js';
import type { Masker } from './mask.js';

/** What to run: an argv array (never a shell string) and the complete environment. */
export interface ChildSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}

export interface ChildStreams {
  stdin: NodeJS.ReadableStream;
  stdout: OutStream;
  stderr: OutStream;
  /** The streams' file descriptors, known without touching the streams (io.ts `fds`). */
  fds?: { stdin: number; stdout: number; stderr: number } | undefined;
}

/** How the child ended: its exit code (128 + N when killed by signal N), or why it could not start. */
export type ChildOutcome = { started: true; exitCode: number } | { started: false; error: NodeJS.ErrnoException };

export type { SignalSource };

export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Catches SIGINT, SIGTERM and SIGHUP while a child runs, so this process outlives it and can clean up,
 * and passes them on. SIGINT is not passed on when `forwardInterrupt` is false: at a terminal, Ctrl-C
 * already reaches the child (same foreground process group), and a second copy would turn a graceful stop
 * into a forced one. A signal that comes before any child exists (SIGINT too: no child got that Ctrl-C) is
 * kept (`caughtBeforeChild`): `run` then starts no child and ends as that signal would have ended it before
 * the relay; were a child attached after it all the same, it would be sent the signal at once.
 */
export class SignalRelay {
  private child: ChildProcess | undefined;
  private early: NodeJS.Signals | undefined;
  private readonly listeners = new Map<NodeJS.Signals, () => void>();

  constructor(
    private readonly source: SignalSource,
    private readonly forwardInterrupt: boolean,
  ) {
    for (const sig of FORWARDED_SIGNALS) {
      const listener = (): void => this.relay(sig);
      this.listeners.set(sig, listener);
      source.on(sig, listener);
    }
  }

  /** The first signal caught while no child had been attached yet (none once one has). */
  caughtBeforeChild(): NodeJS.Signals | undefined {
    return this.early;
  }

  /** The child to pass signals on to (`run --watch` attaches each new child after a restart). */
  attach(child: ChildProcess): void {
    this.child = child;
    const early = this.early;
    this.early = undefined;
    if (early && alive(child)) child.kill(early);
  }

  dispose(): void {
    for (const [sig, listener] of this.listeners) this.source.off(sig, listener);
  }

  private relay(sig: NodeJS.Signals): void {
    if (!this.child) {
      this.early ??= sig;
      return;
    }
    if (sig === 'SIGINT' && !this.forwardInterrupt) return;
    if (alive(this.child)) this.child.kill(sig);
  }
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

function fdOf(stream: unknown): number | undefined {
  const fd = (stream as { fd?: unknown }).fd;
  return typeof fd === 'number' ? fd : undefined;
}

interface Emitter {
  on(event: string, fn: (...args: unknown[]) => void): unknown;
  off(event: string, fn: (...args: unknown[]) => void): unknown;
  once(event: string, fn: () => void): unknown;
}

function emitter(stream: unknown): Emitter | undefined {
  const s = stream as Partial<Emitter>;
  return typeof s.once === 'function' && typeof s.on === 'function' && typeof s.off === 'function' ? (s as Emitter) : undefined;
}

/**
 * Copies the child's output to ours through the masker, keeping back-pressure. If our side breaks
 * (EPIPE: `scoped run -- cmd | head`), reading stops and `broken` is called, so the child can be told
 * the way writing there itself would have told it. Our stream is asked for (`out()`, which creates
 * Node's stream) at the first byte to write: a child that prints nothing costs none. Returns a function
 * that detaches the error listener.
 */
function pump(from: Readable, out: () => OutStream, masker: Masker | undefined, broken: () => void): () => void {
  let to: OutStream | undefined;
  let target: Emitter | undefined;
  const onError = (): void => {
    broken(); // first, so the signal is pending before the child sees its write fail
    from.destroy();
  };
  const write = (buf: Buffer): void => {
    if (buf.length === 0) return;
    if (to === undefined) {
      to = out();
      target = emitter(to);
      target?.on('error', onError);
    }
    if (to.write(buf) === false && target) {
      from.pause();
      target.once('drain', () => from.resume());
    }
  };
  from.on('data', (chunk: Buffer) => write(masker ? masker.push(chunk) : chunk));
  from.on('end', () => {
    if (masker) write(masker.end());
  });
  return () => target?.off('error', onError);
}

function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  const n = signal ? constants.signals[signal] : undefined;
  return n === undefined ? 1 : 128 + n;
}

/**
 * Runs the child and waits until it has exited and its output has been passed on. A stream without a
 * masker is handed to the child directly when it is a real file descriptor (so a terminal stays a
 * terminal) and copied otherwise.
 */
export function runChild(
  spec: ChildSpec,
  io: ChildStreams,
  masks: { stdout?: Masker | undefined; stderr?: Masker | undefined },
  relay: SignalRelay,
  started?: (child: ChildProcess) => void,
): Promise<ChildOutcome> {
  // fds first: Node's stream for a descriptor is not created only to read its number.
  const fd = (name: 'stdin' | 'stdout' | 'stderr'): number | undefined => io.fds?.[name] ?? fdOf(io[name]);
  const outFd = (name: 'stdout' | 'stderr', masker: Masker | undefined): number | 'pipe' => (masker ? 'pipe' : (fd(name) ?? 'pipe'));
  const stdio: StdioOptions = [fd('stdin') ?? 'pipe', outFd('stdout', masks.stdout), outFd('stderr', masks.stderr)];
  return new Promise((resolve) => {
    const child = spawn(spec.command, spec.args, { env: spec.env, cwd: spec.cwd, stdio, windowsHide: true });
    const detach: (() => void)[] = [];
    // What the kernel does to a writer whose reader is gone.
    const sigpipe = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGPIPE');
    };
    if (child.stdout) detach.push(pump(child.stdout, () => io.stdout, masks.stdout, sigpipe));
    if (child.stderr) detach.push(pump(child.stderr, () => io.stderr, masks.stderr, sigpipe));
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // the child may exit without reading its input
      io.stdin.pipe(child.stdin);
    }
    let settled = false;
    const settle = (outcome: ChildOutcome): void => {
      if (settled) return;
      settled = true;
      detach.forEach((d) => d());
      if (child.stdin) io.stdin.unpipe(child.stdin);
      resolve(outcome);
    };
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (child.pid === undefined) settle({ started: false, error: err });
    });
    child.once('close', (code, signal) => {
      if (child.pid !== undefined) settle({ started: true, exitCode: exitCodeOf(code, signal) });
    });
    if (child.pid !== undefined) {
      relay.attach(child);
      started?.(child);
    }
  });
}

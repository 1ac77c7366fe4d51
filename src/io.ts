import { createRequire } from 'node:module';
import { InterruptedError } from './errors.js';

/** A stream we write to. Real ones are process.stdout/stderr; tests pass string buffers. */
export interface OutStream {
  write(chunk: string | Uint8Array): unknown;
  readonly isTTY?: boolean | undefined;
  readonly columns?: number | undefined;
}

export interface Prompter {
  /** Hidden input. Cancelling (Ctrl-C) throws InterruptedError. */
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
}

export function canPrompt(io: IO): boolean {
  return io.stdinIsTTY && io.stderr.isTTY === true;
}

/** Colour on a terminal only (each stream decides for itself), never with NO_COLOR or --no-color. */
export function colorEnabled(io: IO, noColorFlag: boolean, stream: 'stdout' | 'stderr' = 'stdout'): boolean {
  if (noColorFlag) return false;
  const noColor = io.env.NO_COLOR;
  if (noColor !== undefined && noColor !== '') return false;
  return io[stream].isTTY === true;
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

function isPromptCancel(err: unknown): boolean {
  return err instanceof Error && (err.name === 'ExitPromptError' || err.name === 'AbortPromptError');
}

/** Prompts through @inquirer/prompts, loaded on first use, drawn on stderr so stdout stays data. */
function inquirerPrompter(): Prompter {
  // Built on first prompt: touching process.stdin creates a stream, which most runs never need.
  const context = () => ({ input: process.stdin, output: process.stderr, clearPromptOnDone: false });
  const wrap = async <T>(ask: () => Promise<T>): Promise<T> => {
    try {
      return await ask();
    } catch (err) {
      if (isPromptCancel(err)) throw new InterruptedError('cancelled');
      throw err;
    }
  };
  return {
    password: async (message) => {
      const { password } = await import('@inquirer/prompts');
      return wrap(() => password({ message, mask: false }, context()));
    },
    confirm: async (message) => {
      const { confirm } = await import('@inquirer/prompts');
      return wrap(() => confirm({ message, default: false }, context()));
    },
  };
}

// node:tty (and the net and stream modules it loads) only when a command asks whether stdin is a
// terminal: help and Tab never do.
const builtin = createRequire(import.meta.url);

export function systemIO(): IO {
  // `scoped get secret --all | head -1`: the reader went away. Nothing more can be shown; no stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    // A getter: creating process.stdin costs start-up time, and most commands never read it.
    get stdin() {
      return process.stdin;
    },
    get stdinIsTTY() {
      return (builtin('node:tty') as typeof import('node:tty')).isatty(0);
    },
    env: process.env,
    cwd: process.cwd(),
    prompter: inquirerPrompter(),
  };
}

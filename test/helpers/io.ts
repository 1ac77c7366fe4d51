import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { IO, OutStream, Prompter } from '../../src/io.js';
import { main } from '../../src/main.js';

export class Buffered implements OutStream {
  chunks: Buffer[] = [];
  constructor(
    readonly isTTY: boolean,
    /** The terminal's width, as process.stdout.columns (tables fit it). */
    readonly columns?: number,
  ) {}
  write(chunk: string | Uint8Array): boolean {
    this.chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
    return true;
  }
  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export interface TestIOOptions {
  /** As on a terminal (stdin, stdout, stderr all TTYs) or piped. */
  tty?: boolean;
  stdin?: string | Buffer;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** stdout's terminal width (only with tty). */
  columns?: number;
  /** Answers for prompts, in order: strings for password(), booleans for confirm(). */
  answers?: (string | boolean)[];
}

export interface TestIO extends IO {
  stdout: Buffered;
  stderr: Buffered;
  prompts: string[];
}

export function testIO(o: TestIOOptions = {}): TestIO {
  const tty = o.tty ?? false;
  const answers = [...(o.answers ?? [])];
  const prompts: string[] = [];
  const next = (message: string): string | boolean => {
    prompts.push(message);
    if (answers.length === 0) throw new Error(`unexpected prompt: ${message}`);
    return answers.shift() as string | boolean;
  };
  const prompter: Prompter = {
    password: async (m) => String(next(m)),
    confirm: async (m) => next(m) === true,
  };
  return {
    stdout: new Buffered(tty, tty ? o.columns : undefined),
    stderr: new Buffered(tty),
    stdin: Readable.from(o.stdin === undefined ? [] : [Buffer.from(o.stdin)]),
    stdinIsTTY: tty,
    env: { ...o.env },
    cwd: o.cwd ?? process.cwd(),
    prompter,
    prompts,
  };
}

/** A temp store home with a fixed key; `run` calls `main` with a testIO on that store. */
export interface Sandbox {
  dir: string;
  home: string;
  env: Record<string, string>;
  run(argv: string[], o?: TestIOOptions): Promise<{ code: number; stdout: string; stderr: string; io: TestIO }>;
  cleanup(): void;
}

export function sandbox(extraEnv: Record<string, string> = {}): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'scoped-test-'));
  const home = join(dir, 'store');
  const env = { SCOPED_HOME: home, HOME: dir, XDG_CONFIG_HOME: join(dir, 'config'), ...extraEnv };
  return {
    dir,
    home,
    env,
    async run(argv, o = {}) {
      const io = testIO({ cwd: dir, ...o, env: { ...env, ...o.env } });
      const code = await main(argv, io);
      return { code, stdout: io.stdout.text, stderr: io.stderr.text, io };
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

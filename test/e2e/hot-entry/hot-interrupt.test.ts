/**
 * A stop signal while a line of the hot entry (src/cli/hot-entry.ts) waits on a read: `--pinned FIFO` that nobody
 * writes to, for `run` (before its child exists) and `export`. The full CLI reports the wait it ended in one line and
 * exits 128 + N (130 for SIGINT, 143 for SIGTERM); the hot entry says the same, byte for byte, rather than decline
 * (the full CLI would then run the line again and wait again) or end silently by the signal. No child is started.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../../helpers/bin.js';

let dir: string;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-hot-interrupt-'));
  env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    LANG: 'C.UTF-8',
    XDG_CACHE_HOME: join(dir, 'cache'),
    SCOPED_HOME: join(dir, 'store'),
    SCOPED_LOCAL_KEY: Buffer.alloc(32, 7).toString('base64'),
    SCOPED_ORG: 'acme',
  };
  const r = spawnSync(process.execPath, [BIN, 'create', 'secret', 'K1', '--from-file', '-'], { env, cwd: dir, input: 'k1-canary', encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  expect(spawnSync('mkfifo', [join(dir, 'fifo')]).status).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The FIFO's write end, opened once a reader holds the other (before that, a non-blocking open fails with ENXIO):
 * scoped is then waiting on it, with its signal listeners in place (read-input.ts listens before it opens). Kept
 * open and silent, so the read waits until the signal.
 */
async function writerOnceRead(fifo: string, exited: () => boolean): Promise<number> {
  for (;;) {
    try {
      return openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENXIO') throw err;
      if (exited()) throw new Error('scoped ended before it read the FIFO');
      await sleep(10);
    }
  }
}

interface End {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The built binary on `args` (with the hot entry, or SCOPED_NO_HOT=1), sent `signal` while it waits on the FIFO. */
async function interrupted(args: string[], hot: boolean, signal: NodeJS.Signals): Promise<End> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: hot ? env : { ...env, SCOPED_NO_HOT: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  let over = false;
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, sig) => {
      over = true;
      resolve({ code, signal: sig });
    }),
  );
  const writer = await writerOnceRead(join(dir, 'fifo'), () => over);
  try {
    child.kill(signal);
    return { ...(await done), stdout, stderr };
  } finally {
    closeSync(writer);
  }
}

describe('a stop signal while a hot line waits on a read', () => {
  const marker = () => join(dir, 'started');
  const cases: [string[], NodeJS.Signals, number][] = [
    [['run', '--pinned', 'fifo', '--', 'sh', '-c', `touch '${join('.', 'started')}'`], 'SIGTERM', 143],
    [['run', '--only', 'K1', '--pinned', 'fifo', '--', 'true'], 'SIGINT', 130],
    [['export', '--pinned', 'fifo'], 'SIGTERM', 143],
    [['--org', 'acme', 'export', '--format', 'json', '--pinned', 'fifo'], 'SIGINT', 130],
  ];

  it.each(cases)('%j, %s: one line and 128 + N, as the full CLI says it', async (args, signal, code) => {
    const full = await interrupted(args, false, signal);
    expect(full).toEqual({ code, signal: null, stdout: '', stderr: `scoped: interrupted (${signal}) while reading the pin file from fifo; nothing was read\n` });
    const hot = await interrupted(args, true, signal);
    expect(hot).toEqual(full);
    expect(existsSync(marker()), 'no child started').toBe(false);
  });
});

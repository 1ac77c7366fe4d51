/**
 * The built binary: SIGTERM to `scoped run --watch` while its first re-check waits, after its signal relay is
 * listening and before the child is started, ends scoped as SIGTERM would have ended it before the relay: exit 143,
 * one line saying so, nothing on stdout, and no child started. Before, the child was started and killed at once,
 * and scoped said nothing.
 *
 * The wait is real: `--pinned FIFO`, read once for the values (the test writes the pin) and again by the re-check
 * (`run/watch.ts` reads the pin file's bytes), which waits until the test writes it again. The relay is made in the
 * same turn as the line `secrets override DB_PASS from the environment` is written (commands/run.ts), so the signal
 * is sent once that line is seen.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, binSandbox } from '../../helpers/bin.js';

let sb: ReturnType<typeof binSandbox>;
let pin: string;
beforeEach(() => {
  sb = binSandbox();
  const created = sb.run(['create', 'secret', 'DB_PASS', '--from-file', '-'], { stdin: 'db-s3cret value' });
  expect(created.code, created.stderr).toBe(0);
  const pinned = sb.run(['pin', '--out', '-']);
  expect(pinned.code, pinned.stderr).toBe(0);
  pin = pinned.stdout;
  expect(spawnSync('mkfifo', [join(sb.home, 'fifo')]).status).toBe(0);
});
afterEach(() => sb.cleanup());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for `ready` (polled; a hang guard, not a timed assertion, gives up after 20 s). */
async function until(ready: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (ready()) return;
    await sleep(10);
  }
  throw new Error(`hang guard: never saw ${what}`);
}

/** The FIFO's write end, opened once a reader holds the other (before that, a non-blocking open fails with ENXIO). */
async function writer(fifo: string, exited: () => boolean): Promise<number> {
  let fd: number | undefined;
  await until(() => {
    try {
      fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENXIO') throw err;
      if (exited()) throw new Error('scoped ended before it read the FIFO');
      return false;
    }
  }, 'scoped reading the FIFO');
  return fd as number;
}

/** Writes the pin to the FIFO's next reader, then closes it: that read ends. */
async function feedPin(fifo: string, exited: () => boolean): Promise<void> {
  const fd = await writer(fifo, exited);
  try {
    writeSync(fd, pin);
  } finally {
    closeSync(fd);
  }
}

describe('scoped run --watch stopped before its first child (built binary)', () => {
  it('SIGTERM while the first re-check waits: exit 143, one line, no child started', async () => {
    const fifo = join(sb.home, 'fifo');
    const marker = join(sb.home, 'ran');
    const p = spawn(
      process.execPath,
      [BIN, 'run', '--watch', '--interval', '1h', '--pinned', 'fifo', '--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, '')`],
      { cwd: sb.home, env: { ...sb.env, DB_PASS: 'from the parent' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    let over = false;
    const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      p.on('close', (code, signal) => {
        over = true;
        resolve({ code, signal });
      }),
    );
    try {
      // The first read (the values), then the relay, in the turn that writes this line.
      await feedPin(fifo, () => over);
      const overrides = 'secrets override DB_PASS from the environment';
      await until(() => stderr.includes(overrides) || over, 'the line written as the relay is made');
      expect(over, stderr).toBe(false);
      p.kill('SIGTERM');
      // The re-check's read, answered after the signal: then the child would start.
      await feedPin(fifo, () => over);
      const end = await done;
      expect({ ...end, stdout }).toEqual({ code: 143, signal: null, stdout: '' });
      const lines = stderr.trimEnd().split('\n');
      expect(lines.at(-1)).toBe(`scoped: interrupted (SIGTERM) while starting ${JSON.stringify(process.execPath)}; the command was not run`);
      expect(existsSync(marker)).toBe(false);
      expect(stderr).not.toContain('db-s3cret');
    } finally {
      if (!over) p.kill('SIGKILL');
    }
  });
});

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnavailableError, UsageError } from '../../../src/errors.js';
import { acquireLock, holderAlive, processStart, readHolder } from '../../../src/store/local/lock.js';

let dir: string;
let lock: string;
const children: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-lock-'));
  lock = join(dir, 'scope.lock');
});
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** A process holding the lock: resolves once it has it. */
function holder(holdMs: number, doneFile?: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', '..', 'fixtures', 'lock-holder.mjs'), lock, String(holdMs), doneFile ?? ''], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
  });
}
const exited = (c: ChildProcess) => new Promise((resolve) => (c.exitCode !== null || c.signalCode !== null ? resolve(undefined) : c.once('exit', resolve)));

describe('the local store lock', () => {
  it('records its holder: pid, start time, host', async () => {
    const held = await acquireLock(lock, { timeoutMs: 0, what: 'test' });
    const h = readHolder(lock);
    expect(h).toMatchObject({ pid: process.pid, host: hostname() });
    if (process.platform === 'linux') expect(h?.start).toBe(processStart(process.pid));
    expect(held.stillHeld()).toBe(true);
    held.release();
    expect(existsSync(lock)).toBe(false);
  });

  it('is never taken from a live holder: a waiter gives up after its timeout, naming the holder', async () => {
    const child = await holder(60_000);
    const err = await acquireLock(lock, { timeoutMs: 300, what: 'scope a/b of local store X' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as Error).message).toBe(`scope a/b of local store X is locked by process ${child.pid}, still running after 0 s`);
    expect(readHolder(lock)?.pid).toBe(child.pid);
  });

  it('waits for a live holder however long it holds, and gets the lock only after its release', async () => {
    const done = join(dir, 'done');
    // Longer than proper-lockfile's stale time (2 s), which handed such a lock to a second writer.
    await holder(2_500, done);
    const held = await acquireLock(lock, { timeoutMs: 30_000, what: 'test' });
    expect(existsSync(done)).toBe(true);
    held.release();
  });

  it('recovers a killed holder at once (no timeout)', async () => {
    const child = await holder(60_000);
    child.kill('SIGKILL');
    await exited(child);
    expect(readHolder(lock)?.pid).toBe(child.pid);
    const held = await acquireLock(lock, { timeoutMs: 0, what: 'test' });
    expect(readHolder(lock)?.pid).toBe(process.pid);
    held.release();
  });

  it('treats a reused pid (same pid, later start) as a dead holder', async () => {
    const start = processStart(process.pid);
    if (start === undefined) return; // no /proc: only the pid can be checked
    writeFileSync(lock, JSON.stringify({ pid: process.pid, start: start - 1, host: hostname(), nonce: 'old' }));
    expect(holderAlive({ pid: process.pid, start: start - 1, host: hostname(), nonce: 'old' })).toBe(false);
    const held = await acquireLock(lock, { timeoutMs: 0, what: 'test' });
    expect(readHolder(lock)?.nonce).not.toBe('old');
    held.release();
  });

  it('cannot tell about a holder on another host: it waits', async () => {
    writeFileSync(lock, JSON.stringify({ pid: 1, host: `not-${hostname()}`, nonce: 'far' }));
    await expect(acquireLock(lock, { timeoutMs: 100, what: 'test' })).rejects.toThrow(/locked by process 1 on not-/);
  });

  it('refuses a lock path that is a folder or a file that is not a lock, in words', async () => {
    mkdirSync(lock);
    await expect(acquireLock(lock, { timeoutMs: 0, what: 'test' })).rejects.toThrow(`lock path ${lock} is not a scoped lock file`);
    rmSync(lock, { recursive: true });
    writeFileSync(lock, 'hello');
    await expect(acquireLock(lock, { timeoutMs: 0, what: 'test' })).rejects.toBeInstanceOf(UsageError);
    expect(readFileSync(lock, 'utf8')).toBe('hello');
  });

  it('two waiters breaking the same dead lock: exactly one holds it at a time', async () => {
    const child = await holder(60_000);
    child.kill('SIGKILL');
    await exited(child);
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        const held = await acquireLock(lock, { timeoutMs: 10_000, what: 'test' });
        inside++;
        most = Math.max(most, inside);
        await new Promise((resolve) => setTimeout(resolve, 5));
        inside--;
        held.release();
      }),
    );
    expect(most).toBe(1);
  });
});

import { randomBytes } from 'node:crypto';
import { closeSync, constants, openSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { UnavailableError, UsageError } from '../../errors.js';
import { createExclusive } from './exclusive-file.js';

/**
 * A cross-process lock file that is never taken from a live holder and is recovered at once from a dead
 * one. The file holds its holder (pid, the process's start time, host, a nonce); it is written whole to a
 * temp file and hard-linked into place, so it exists complete or not at all, and only one process can
 * link it. A waiter that finds the holder gone (no such pid, or the pid reused by a process that started
 * later) removes the lock under a short "break" lock, re-checking that it is still the dead holder's.
 * No timeout ever decides that a holder is dead: a write may take as long as it takes.
 */
export interface Holder {
  pid: number;
  /** Clock ticks since boot when the holder started (Linux /proc); undefined where unknown. */
  start?: number | undefined;
  host: string;
  nonce: string;
}

export interface LockOptions {
  /** How long to wait for a live holder before giving up with UnavailableError. */
  timeoutMs: number;
  /** What is locked, for messages: `scope scoped/acme/_/_ of local store /home/me/.local/share/scoped`. */
  what: string;
}

const BREAK_STALE_MS = 5_000;

/** The start time of a process (field 22 of /proc/<pid>/stat), or undefined where /proc is not there. */
export function processStart(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = Number(fields[19]);
    return Number.isFinite(start) ? start : undefined;
  } catch {
    return undefined;
  }
}

let self: Holder | undefined;
function me(): Holder {
  self ??= { pid: process.pid, start: processStart(process.pid), host: hostname(), nonce: '' };
  return { ...self, nonce: randomBytes(8).toString('hex') };
}

/** Whether the holder may still be running. A holder on another host cannot be checked: it is alive. */
export function holderAlive(h: Holder): boolean {
  if (h.host !== hostname()) return true;
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  // Alive (or EPERM: alive under another user). A pid reused by a later process is not the holder.
  if (h.start === undefined) return true;
  const start = processStart(h.pid);
  return start === undefined || start === h.start;
}

/** The holder written in a lock file; undefined when there is no lock file. */
export function readHolder(path: string): Holder | undefined {
  let text: string;
  try {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      text = readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR' || code === 'ELOOP') throw foreign(path);
    throw err;
  }
  try {
    const h = JSON.parse(text) as Partial<Holder>;
    if (typeof h.pid === 'number' && typeof h.host === 'string' && typeof h.nonce === 'string') return h as Holder;
  } catch {
    // fall through: not one of ours
  }
  throw foreign(path);
}

function foreign(path: string): UsageError {
  return new UsageError(`lock path ${path} is not a scoped lock file`, 'if no scoped process is running, remove it and retry');
}

/** Links a complete file holding `holder` at `path`; false if a lock is already there. */
function tryLink(path: string, holder: Holder): boolean {
  if (createExclusive(path, JSON.stringify(holder))) return true;
  // A folder (or anything else that is not our file) at the lock path is not a lock we can wait for.
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat && !stat.isFile()) throw foreign(path);
  return false;
}

/**
 * Removes a dead holder's lock. Two waiters may find the same dead holder; the break lock makes sure only
 * one removes it, and that it removes the dead holder's file, never a live lock linked since.
 */
function breakDead(path: string, dead: Holder): void {
  const breakPath = `${path}.break`;
  if (!tryLink(breakPath, me())) {
    // Another waiter is breaking it now (microseconds); one that died doing so left this behind.
    const b = readHolder(breakPath);
    const age = Date.now() - (statSync(breakPath, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (b && !holderAlive(b) && age > BREAK_STALE_MS) unlinkSync(breakPath);
    return;
  }
  try {
    if (readHolder(path)?.nonce === dead.nonce) unlinkSync(path);
  } finally {
    unlinkSync(breakPath);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A held lock: `stillHeld()` before committing, `release()` once. */
export interface HeldLock {
  stillHeld(): boolean;
  release(): void;
}

export async function acquireLock(path: string, options: LockOptions): Promise<HeldLock> {
  const holder = me();
  const deadline = Date.now() + options.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    if (tryLink(path, holder)) break;
    const current = readHolder(path);
    if (current && !holderAlive(current)) {
      breakDead(path, current);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = current ? `process ${current.pid}${current.host === holder.host ? '' : ` on ${current.host}`}` : 'another process';
      throw new UnavailableError(
        `${options.what} is locked by ${who}, still running after ${Math.round(options.timeoutMs / 1000)} s`,
        'retry when it has finished, or wait longer with --timeout SECONDS (SCOPED_TIMEOUT)',
      );
    }
    await sleep(Math.min(100, 2 + attempt * 4) * (0.5 + Math.random()));
  }
  return {
    stillHeld: () => readHolder(path)?.nonce === holder.nonce,
    release: () => {
      if (readHolder(path)?.nonce === holder.nonce) unlinkSync(path);
    },
  };
}

/** `work` under the lock, released when it has finished (awaited, if it returns a promise). */
export async function withLock<T>(path: string, options: LockOptions, work: () => T | Promise<T>): Promise<T> {
  const lock = await acquireLock(path, options);
  try {
    return await work();
  } finally {
    lock.release();
  }
}

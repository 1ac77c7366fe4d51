import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { holdIO, HotDecline, decline } from '../../src/cli/hot-io.js';
import type { IO, OutStream } from '../../src/io.js';

/** A real IO's stand-in: what reached its streams, its own signal source. */
function fakeIO() {
  const written: string[] = [];
  const stream = (name: string): OutStream => ({ write: (chunk) => (written.push(`${name}:${String(chunk)}`), true), isTTY: false });
  const signals = new EventEmitter();
  const io: IO = {
    stdout: stream('out'),
    stderr: stream('err'),
    stdin: 'real stdin' as unknown as NodeJS.ReadableStream,
    stdinIsTTY: false,
    env: {},
    cwd: '/',
    prompter: { password: async () => 'x', confirm: async () => true },
    signals,
    fds: { stdin: 0, stdout: 1, stderr: 2 },
    discards: () => false,
  };
  return { io, written, signals };
}

/**
 * The hot entry's IO for `run` (src/cli/hot-io.ts `startsChild`): held until the child is about to start.
 * (Giving up is remembered for the process, as a line is: the tests that give up come last.)
 */
describe('holdIO for run', () => {
  it('holds stderr until fds is read (the spawn), then writes it and passes everything through', () => {
    const real = fakeIO();
    const held = holdIO(real.io, { startsChild: true });
    held.io.stderr.write('warning: before\n');
    expect(real.written).toEqual([]);
    expect(held.io.stdinIsTTY).toBe(false);
    expect(held.answered()).toBe(false);
    expect(held.io.fds).toEqual({ stdin: 0, stdout: 1, stderr: 2 });
    expect(held.answered()).toBe(true);
    expect(real.written).toEqual(['err:warning: before\n']);
    // The real streams themselves now (the child's output pump listens on them), and stdin.
    expect(held.io.stdout).toBe(real.io.stdout);
    expect(held.io.stderr).toBe(real.io.stderr);
    expect(held.io.stdin).toBe('real stdin');
    expect(held.declined()).toBe(false);
  });

  it('notes a signal the relay caught before the answer (raised again if the line is declined), not one after', () => {
    const real = fakeIO();
    const held = holdIO(real.io, { startsChild: true });
    const got: string[] = [];
    const listener = (sig: NodeJS.Signals) => got.push(sig);
    held.io.signals?.on('SIGTERM', listener);
    held.io.signals?.on('SIGHUP', listener);
    real.signals.emit('SIGTERM', 'SIGTERM');
    expect(held.caught()).toEqual(['SIGTERM']);
    void held.io.fds;
    real.signals.emit('SIGHUP', 'SIGHUP');
    expect(held.caught()).toEqual(['SIGTERM']);
    expect(got).toEqual(['SIGTERM', 'SIGHUP']);
    held.io.signals?.off('SIGTERM', listener);
    held.io.signals?.off('SIGHUP', listener);
    expect(real.signals.listenerCount('SIGTERM') + real.signals.listenerCount('SIGHUP')).toBe(0);
  });

  it('declines at the spawn, before any child, when something gave up on the way', () => {
    const real = fakeIO();
    const held = holdIO(real.io, { startsChild: true });
    held.io.stderr.write('held\n');
    expect(() => decline('a cache miss, caught by a fallback')).toThrow(HotDecline);
    expect(() => held.io.fds).toThrow(HotDecline);
    expect(held.answered()).toBe(false);
    expect(held.declined()).toBe(true);
    expect(real.written).toEqual([]);
  });

  it('without startsChild: stdin and whether it is a terminal decline, and there is no fds; the signals are the real ones (a read that waits ends on one)', () => {
    const real = fakeIO();
    const held = holdIO(real.io);
    expect(() => held.io.stdinIsTTY).toThrow(HotDecline);
    expect(held.io.fds).toBeUndefined();
    const got: string[] = [];
    const listener = (sig: NodeJS.Signals) => got.push(sig);
    held.io.signals?.on('SIGINT', listener);
    real.signals.emit('SIGINT', 'SIGINT');
    held.io.signals?.off('SIGINT', listener);
    real.signals.emit('SIGINT', 'SIGINT');
    expect(got).toEqual(['SIGINT']);
    expect(held.caught()).toEqual(['SIGINT']);
  });
});

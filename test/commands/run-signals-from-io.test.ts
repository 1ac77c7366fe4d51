/**
 * `run` takes the signals it passes on to the child from its IO (`process` for real), not from `process`
 * itself: with testIO and an EventEmitter as the source, a SIGTERM emitted there stops the child.
 */
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/main.js';
import { sandbox, testIO, type Sandbox } from '../helpers/io.js';

describe('run: signals from the injected IO', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = sandbox();
  });
  afterEach(() => sb.cleanup());

  it('listens on io.signals while the child runs (never on process), passes SIGTERM on, and stops listening after', async () => {
    const signals = new EventEmitter();
    const io = Object.assign(testIO({ cwd: sb.dir, env: { ...sb.env, PATH: process.env.PATH } }), { signals });
    const before = process.listenerCount('SIGTERM');
    // A child that waits until a signal ends it.
    const done = main(['run', '--', process.execPath, '-e', 'setInterval(() => {}, 1000)'], io);
    await vi.waitFor(() => expect(signals.listenerCount('SIGTERM')).toBe(1), { timeout: 20_000 });
    expect(process.listenerCount('SIGTERM')).toBe(before);
    signals.emit('SIGTERM', 'SIGTERM');
    expect(await done).toBe(143);
    expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => signals.listenerCount(s))).toEqual([0, 0, 0]);
  });
});

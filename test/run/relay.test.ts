import { EventEmitter } from 'node:events';
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SignalRelay } from '../../src/run/child.js';

function fakeChild(): ChildProcess & { got: string[] } {
  const got: string[] = [];
  return { exitCode: null, signalCode: null, got, kill: (sig: NodeJS.Signals) => got.push(sig) > 0 } as unknown as ChildProcess & { got: string[] };
}

describe('SignalRelay', () => {
  it('forwards SIGINT, SIGTERM and SIGHUP when not at a terminal', () => {
    const source = new EventEmitter();
    const relay = new SignalRelay(source, true);
    const child = fakeChild();
    relay.attach(child);
    for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) source.emit(sig);
    expect(child.got).toEqual(['SIGINT', 'SIGTERM', 'SIGHUP']);
    relay.dispose();
    expect(source.listenerCount('SIGTERM')).toBe(0);
  });

  it('at a terminal, swallows SIGINT (Ctrl-C reached the child already) but forwards the others', () => {
    const source = new EventEmitter();
    const child = fakeChild();
    new SignalRelay(source, false).attach(child);
    source.emit('SIGINT');
    source.emit('SIGTERM');
    expect(child.got).toEqual(['SIGTERM']);
  });

  it('delivers a signal that came before the child existed, and none after it exited', () => {
    const source = new EventEmitter();
    const relay = new SignalRelay(source, true);
    source.emit('SIGTERM');
    const child = fakeChild();
    relay.attach(child);
    expect(child.got).toEqual(['SIGTERM']);
    (child as { exitCode: number | null }).exitCode = 0;
    source.emit('SIGHUP');
    expect(child.got).toEqual(['SIGTERM']);
  });
});

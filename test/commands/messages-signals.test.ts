import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { Context } from '../../src/cli/context.js';
import { interruptedLine, reportingSignals } from '../../src/cli/write-signals.js';
import type { SecretStore, WriteManyResult, WriteOp } from '../../src/store/types.js';
import { testIO } from '../helpers/io.js';

/** SIGINT/SIGTERM/SIGHUP during a bulk write: one line saying what was written, then the signal (issue 18). */

function harness() {
  const io = testIO();
  const source = new EventEmitter();
  io.signals = { on: (s, l) => source.on(s, l), off: (s, l) => source.off(s, l) };
  const ctx = new Context(io, { color: false, debug: false, quiet: false, yes: false });
  const raised: NodeJS.Signals[] = [];
  let release: (r: WriteManyResult) => void = () => undefined;
  const written: WriteOp[][] = [];
  const store = {
    marker: 'the store itself',
    writeMany(ops: readonly WriteOp[]) {
      written.push([...ops]);
      return new Promise<WriteManyResult>((resolve) => (release = resolve));
    },
    who(this: { marker: string }) {
      return this.marker;
    },
  } as unknown as SecretStore & { who(): string };
  const ops: WriteOp[] = [
    { kind: 'put', name: 'scoped/o/_/_/A', value: 'a-value' },
    { kind: 'put', name: 'scoped/o/_/_/B', value: 'b-value' },
  ];
  return { io, source, ctx, raised, store, ops, written, release: (r: WriteManyResult) => release(r), raise: (s: NodeJS.Signals) => raised.push(s) };
}

const WHAT = 'importing into org o';

describe('a stop signal during a bulk write', () => {
  it('before the write: "nothing written", then the signal is raised again', async () => {
    const h = harness();
    await reportingSignals(h.ctx, h.store, { what: WHAT, atomic: false, raise: h.raise }, async () => {
      h.source.emit('SIGTERM', 'SIGTERM');
    });
    expect(h.raised).toEqual(['SIGTERM']);
    expect(h.io.stderr.text).toBe('scoped: interrupted (SIGTERM) while importing into org o: nothing written\n');
  });

  it('during the write on Secrets Manager: some may be written', async () => {
    const h = harness();
    await reportingSignals(h.ctx, h.store, { what: WHAT, atomic: false, raise: h.raise }, async (store) => {
      const pending = store.writeMany(h.ops);
      h.source.emit('SIGHUP', 'SIGHUP');
      h.release({ written: new Map(), errors: new Map() });
      await pending;
    });
    expect(h.raised).toEqual(['SIGHUP']);
    expect(h.io.stderr.text).toBe(
      'scoped: interrupted (SIGHUP) while importing into org o: some of 2 keys may be written; run the same command again to finish: what was written counts as unchanged\n',
    );
    expect(h.written).toEqual([h.ops]);
  });

  it('during the write on the local store: all or none, as it commits at once', async () => {
    const h = harness();
    await reportingSignals(h.ctx, h.store, { what: WHAT, atomic: true, raise: h.raise }, async (store) => {
      const pending = store.writeMany(h.ops);
      h.source.emit('SIGINT', 'SIGINT');
      h.release({ written: new Map(), errors: new Map() });
      await pending;
    });
    expect(h.io.stderr.text).toMatch(
      /^scoped: interrupted \(SIGINT\) while importing into org o: the local store writes all 2 keys at once, so either all or none are written; run the same command again/,
    );
  });

  it('after the write: what was written', async () => {
    const h = harness();
    await reportingSignals(h.ctx, h.store, { what: WHAT, atomic: false, raise: h.raise }, async (store) => {
      const pending = store.writeMany(h.ops);
      h.release({ written: new Map([['scoped/o/_/_/A', 'v1']]), errors: new Map([['scoped/o/_/_/B', new Error('x')]]) });
      await pending;
      h.source.emit('SIGTERM', 'SIGTERM');
    });
    expect(h.io.stderr.text).toBe('scoped: interrupted (SIGTERM) while importing into org o, after the write: 1 written, 1 not written\n');
  });

  it('one line for the first signal; the handlers are gone once the work ends', async () => {
    const h = harness();
    await reportingSignals(h.ctx, h.store, { what: WHAT, atomic: false, raise: h.raise }, async () => {
      h.source.emit('SIGTERM', 'SIGTERM');
      h.source.emit('SIGTERM', 'SIGTERM');
    });
    expect(h.io.stderr.text.split('\n').filter(Boolean)).toHaveLength(1);
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) expect(h.source.listenerCount(s)).toBe(0);
  });

  it('the watched store calls every other method on the store itself', async () => {
    const h = harness();
    const who = await reportingSignals(h.ctx, h.store, { what: WHAT, atomic: false, raise: h.raise }, async (store) => (store as unknown as { who(): string }).who());
    expect(who).toBe('the store itself');
  });

  it('the line is printable: a control character in what it names is escaped', async () => {
    const h = harness();
    expect(interruptedLine('SIGTERM', 'x', { at: 'before' }, false)).toBe('scoped: interrupted (SIGTERM) while x: nothing written');
    await reportingSignals(h.ctx, h.store, { what: 'importing a\u001b[2J', atomic: false, raise: h.raise }, async () => {
      h.source.emit('SIGTERM', 'SIGTERM');
    });
    expect(h.io.stderr.text).toBe('scoped: interrupted (SIGTERM) while importing a\\x1b[2J: nothing written\n');
  });
});

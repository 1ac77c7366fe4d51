import { EventEmitter } from 'node:events';
import { expect, it } from 'vitest';
import { Context } from '../../src/cli/context.js';
import { withStopReport } from '../../src/commands/rollback.js';
import type { PinnedStep } from '../../src/history/pinned-rollback.js';
import { testIO } from '../helpers/io.js';

/** A rollback to a pin stopped by a signal: one line naming the keys moved and the rest, then the signal again. */
it('SIGTERM between two moves: the line names what moved and what did not, the signal is raised again', async () => {
  const io = testIO();
  const source = new EventEmitter();
  io.signals = { on: (s, l) => source.on(s, l), off: (s, l) => source.off(s, l) };
  const ctx = new Context(io, { color: false, debug: false, quiet: false, yes: false });
  const step = (key: string): PinnedStep => ({ key, scope: { org: 'acme' }, name: `scoped/acme/_/_/${key}`, from: 'f'.repeat(36), to: 't'.repeat(36), state: 'move' });
  const moves = [step('A'), step('B'), step('C')];
  const raised: NodeJS.Signals[] = [];
  await withStopReport(
    ctx,
    'r1.pin.json',
    moves,
    async (moved) => {
      moved(moves[0] as PinnedStep);
      source.emit('SIGTERM', 'SIGTERM');
    },
    (s) => raised.push(s),
  );
  expect(raised).toEqual(['SIGTERM']);
  expect(io.stderr.text).toBe(
    'scoped: interrupted (SIGTERM) while rolling back to pin file r1.pin.json: moved to their pinned versions: A at org acme; not moved (or in flight): B at org acme, C at org acme; run the same rollback again to finish\n',
  );
  expect(source.listenerCount('SIGINT')).toBe(0);
});

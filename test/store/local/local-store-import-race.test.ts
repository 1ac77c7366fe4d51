import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RACE_ROUNDS } from '../../../src/import/transfer.js';
import { LocalStore } from '../../../src/store/local/local-store.js';
import type { WriteOp } from '../../../src/store/types.js';
import { sandbox, type Sandbox } from '../../helpers/io.js';

/**
 * `import` when another writer changes the target keys between the plan and the write, made to happen
 * deterministically: a rival write runs just before each of the import's writeMany calls.
 */
const KEY = Buffer.alloc(32, 8).toString('base64');
const KEYS = ['A', 'B', 'C'];
const name = (k: string) => `scoped/default/billing/_/${k}`;
let sb: Sandbox;
beforeEach(() => {
  sb = sandbox({ SCOPED_LOCAL_KEY: KEY });
});
afterEach(() => {
  vi.restoreAllMocks();
  sb.cleanup();
});

const original = LocalStore.prototype.writeMany;
/** Runs `rival` (on its own store) before each writeMany of the import; returns the calls' op kinds. */
function rivalBefore(rival: (store: LocalStore, call: number) => Promise<void>): string[][] {
  const calls: string[][] = [];
  let rivalling = false;
  vi.spyOn(LocalStore.prototype, 'writeMany').mockImplementation(async function (this: LocalStore, ops: readonly WriteOp[]) {
    if (rivalling) return original.call(this, ops);
    calls.push(ops.map((op) => op.kind));
    rivalling = true;
    try {
      await rival(new LocalStore({ home: sb.home, envKey: KEY }), calls.length);
    } finally {
      rivalling = false;
    }
    return original.call(this, ops);
  });
  return calls;
}
const input = (tag: string) => `${KEYS.map((k) => `${k}=${tag}-${k}`).join('\n')}\n`;
const value = async (k: string) => (await new LocalStore({ home: sb.home, envKey: KEY }).getValue(name(k))).value;

describe('import overtaken by another writer', () => {
  it('--on-conflict update: keys created meanwhile are planned again and updated', async () => {
    const calls = rivalBefore(async (store, call) => {
      if (call === 1) await store.createMany(KEYS.map((k) => ({ name: name(k), value: `rival-${k}`, tags: {} })));
    });
    const r = await sb.run(['import', '-', '--format', 'dotenv', '-p', 'billing', '--on-conflict', 'update', '-o', 'json'], { stdin: input('mine') });
    expect([r.code, r.stderr], r.stderr).toEqual([0, '✓ Imported into org default, project billing: 0 created, 3 updated, 0 unchanged, 0 skipped\n']);
    expect(calls).toEqual([
      ['create', 'create', 'create'],
      ['put', 'put', 'put'],
    ]);
    expect(JSON.parse(r.stdout).keys.map((k: { action: string }) => k.action)).toEqual(['update', 'update', 'update']);
    for (const k of KEYS) expect(await value(k)).toBe(`mine-${k}`);
  });

  it('--on-conflict skip keeps what the other writer stored', async () => {
    rivalBefore(async (store, call) => {
      if (call === 1) await store.createMany([{ name: name('B'), value: 'rival-B', tags: {} }]);
    });
    const r = await sb.run(['import', '-', '--format', 'dotenv', '-p', 'billing', '--on-conflict', 'skip'], { stdin: input('mine') });
    expect([r.code, r.stderr]).toEqual([0, '✓ Imported into org default, project billing: 2 created, 0 updated, 0 unchanged, 1 skipped\n']);
    expect(await value('B')).toBe('rival-B');
    expect(await value('A')).toBe('mine-A');
  });

  it('the default fails in one line for the keys now holding other values, after writing the rest', async () => {
    rivalBefore(async (store, call) => {
      if (call === 1)
        await store.createMany([
          { name: name('A'), value: 'rival-A', tags: {} },
          { name: name('C'), value: 'mine-C', tags: {} },
        ]);
    });
    const r = await sb.run(['import', '-', '--format', 'dotenv', '-p', 'billing'], { stdin: input('mine') });
    expect([r.code, r.stdout]).toEqual([4, '']);
    expect(r.stderr).toBe(
      'scoped: import into org default, project billing: 1 of 3 write(s) failed: another writer stored another value since the plan; written: B; run the same command again to finish: what was written now counts as unchanged\n',
    );
    expect(await value('A')).toBe('rival-A');
    expect(await value('B')).toBe('mine-B');
  });

  it(`gives up after ${RACE_ROUNDS} rounds of being overtaken, in one summarised line (exit 4)`, async () => {
    const many = Array.from({ length: 40 }, (_, i) => `K${i}`);
    const calls = rivalBefore(async (store) => {
      // Every round: the keys appear if absent and vanish if present, so each write is overtaken again.
      const existing = new Set(await store.listNames(['scoped/default/billing/_/']));
      for (const k of many) {
        if (existing.has(name(k))) await store.delete(name(k), { force: true });
        else await store.create({ name: name(k), value: `rival-${k}`, tags: {} });
      }
    });
    const r = await sb.run(['import', '-', '--format', 'dotenv', '-p', 'billing', '--on-conflict', 'update'], { stdin: `${many.map((k) => `${k}=mine`).join('\n')}\n` });
    expect(calls).toHaveLength(RACE_ROUNDS);
    expect([r.code, r.stdout]).toEqual([4, '']);
    expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
    expect(r.stderr).toBe(
      'scoped: import into org default, project billing: 40 of 40 write(s) failed: other writers changed them in each of 5 rounds of planning; nothing written; run the same command again when the other writers are done\n',
    );
  });
});

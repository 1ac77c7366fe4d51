import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scopeTags, secretName } from '../../src/core/naming.js';
import type { Scope } from '../../src/core/scope.js';
import { UnavailableError } from '../../src/errors.js';
import { applyPinnedRollback, planPinnedRollback } from '../../src/history/pinned-rollback.js';
import { PIN_FORMAT, type Pin } from '../../src/pin/pin-file.js';
import { LocalStore } from '../../src/store/local/local-store.js';
import type { SecretStore } from '../../src/store/types.js';

const KEY = Buffer.alloc(32, 23).toString('base64');
const D: Scope = { org: 'acme', project: 'billing', domain: 'production' };
const KEYS = ['A_KEY', 'B_KEY', 'C_KEY'];

let dir: string;
let store: LocalStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-pinned-rollback-'));
  mkdirSync(join(dir, 'home'), { mode: 0o700 });
  store = new LocalStore({ home: join(dir, 'home'), envKey: KEY });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const name = (key: string) => secretName('scoped/', D, key);

/** Three keys pinned at v1, then each updated to v2. */
async function pinned(): Promise<Pin> {
  const secrets = [];
  for (const key of KEYS) {
    const { versionId } = await store.create({ name: name(key), value: `${key}-v1`, tags: scopeTags(D, key) });
    secrets.push({ key, scope: D, name: name(key), versionId });
    await store.putValue(name(key), `${key}-v2`);
  }
  return { format: PIN_FORMAT, org: 'acme', prefix: 'scoped/', backend: 'local', deployment: D, created: '2026-12-01T00:00:00Z', secrets };
}

describe('rollback to a pin: the moves', () => {
  it('one key failing stops the rest: the keys moved before it are named, the ones after untouched', async () => {
    const pin = await pinned();
    const plan = await planPinnedRollback(store, pin);
    expect(plan.steps.map((s) => s.state)).toEqual(['move', 'move', 'move']);
    const down = new UnavailableError('the scope is locked by another writer');
    const failing: SecretStore = Object.assign(Object.create(store) as SecretStore, {
      updateStage: (n: string, stage: string, move: { to?: string; from?: string }) => (n === name('B_KEY') ? Promise.reject(down) : store.updateStage(n, stage, move)),
    });
    const outcome = await applyPinnedRollback(failing, plan);
    expect(outcome.moved.map((s) => s.key)).toEqual(['A_KEY']);
    expect(outcome.failed?.step.key).toBe('B_KEY');
    expect(outcome.failed?.error).toBe(down);
    expect(outcome.untouched.map((s) => s.key)).toEqual(['C_KEY']);
    const current = await store.getValues(KEYS.map(name));
    expect(KEYS.map((k) => current.values.get(name(k))?.value)).toEqual(['A_KEY-v1', 'B_KEY-v2', 'C_KEY-v2']);
  });

  it('a pinned version no longer kept, and a key deleted for good, are in the plan as such', async () => {
    const pin = await pinned();
    await store.delete(name('C_KEY'), { force: true });
    const gone = { ...pin, secrets: pin.secrets.map((e) => (e.key === 'A_KEY' ? { ...e, versionId: '00000000-0000-4000-8000-000000000000' } : e)) };
    const plan = await planPinnedRollback(store, gone);
    expect(plan.steps.map((s) => [s.key, s.state])).toEqual([
      ['A_KEY', 'version-gone'],
      ['B_KEY', 'move'],
      ['C_KEY', 'gone'],
    ]);
  });
});

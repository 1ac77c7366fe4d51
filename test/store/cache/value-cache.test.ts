import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CachingStore, ValueCache } from '../../../src/store/cache/value-cache.js';
import { SnapshotStore } from '../../../src/store/cache/snapshots.js';
import { clearCache } from '../../../src/store/cache/files.js';
import type { ReadResult, SecretStore } from '../../../src/store/types.js';

const KEY = Buffer.alloc(32, 9);
const MARKER = 'cache-canary-value-5b1e';
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'scoped-cache-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const read = (name: string, versionId: string, value: ReadResult['value'] = `${MARKER}-${name}`): ReadResult => ({ name, versionId, value, stages: ['AWSCURRENT'] });
const files = (dir: string) => readdirSync(dir).map((f) => join(dir, f));

/** Every file under the cache folder holds no value in clear (text, base64 or UTF-16). */
function expectNoValueIn(dir: string): void {
  for (const f of files(dir)) {
    const bytes = readFileSync(f);
    for (const form of [Buffer.from(MARKER), Buffer.from(Buffer.from(MARKER).toString('base64').slice(0, 16)), Buffer.from(MARKER, 'utf16le')])
      expect(bytes.includes(form)).toBe(false);
  }
}

describe('the value cache', () => {
  it('keeps a value by backend, name and version id: sealed, in 0600 files of a 0700 folder', () => {
    const dir = join(root, 'scoped', 'values');
    const cache = new ValueCache(dir, KEY, 'aws:us-east-1');
    cache.put(read('scoped/acme/_/_/A', 'v1'));
    cache.put(read('scoped/acme/_/_/B', 'v1', new Uint8Array([0, 1, 2, 255])));
    expect(cache.get('scoped/acme/_/_/A', 'v1')?.value).toBe(`${MARKER}-scoped/acme/_/_/A`);
    expect(cache.get('scoped/acme/_/_/B', 'v1')?.value).toEqual(new Uint8Array([0, 1, 2, 255]));
    // Another version, another backend, another key: nothing.
    expect(cache.get('scoped/acme/_/_/A', 'v2')).toBeUndefined();
    expect(new ValueCache(dir, KEY, 'aws:eu-west-1').get('scoped/acme/_/_/A', 'v1')).toBeUndefined();
    expect(new ValueCache(dir, Buffer.alloc(32, 1), 'aws:us-east-1').get('scoped/acme/_/_/A', 'v1')).toBeUndefined();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const f of files(dir)) {
      expect(statSync(f).mode & 0o777).toBe(0o600);
      // Neither the value nor the secret's name in clear.
      expect(readFileSync(f, 'utf8')).not.toContain('acme');
    }
    expectNoValueIn(dir);
  });

  it('a damaged or foreign file is a miss, not an error', () => {
    const dir = join(root, 'values');
    const cache = new ValueCache(dir, KEY, 'x');
    cache.put(read('N', 'v1'));
    const [f] = files(dir);
    writeFileSync(f as string, '{"format":"scoped-cache/1","sealed":{"iv":"AAAA","data":"AAAA","tag":"AAAA"}}');
    expect(cache.get('N', 'v1')).toBeUndefined();
    writeFileSync(f as string, 'not json');
    expect(cache.get('N', 'v1')).toBeUndefined();
  });

  it('past its bound, the least recently used values are evicted (a hit makes a value recent)', () => {
    const dir = join(root, 'values');
    const probe = new ValueCache(dir, KEY, 'x');
    probe.put(read('A', 'v1', 'x'.repeat(1000)));
    const size = statSync(files(dir)[0] as string).size;
    rmSync(dir, { recursive: true });
    // Room for three values, not four.
    const cache = new ValueCache(dir, KEY, 'x', size * 3 + size / 2);
    for (const [i, name] of ['A', 'B', 'C'].entries()) {
      cache.put(read(name, 'v1', 'x'.repeat(1000)));
      // Distinct, ordered use times without waiting: A oldest.
      const newest = files(dir).sort((p, q) => statSync(q).mtimeMs - statSync(p).mtimeMs)[0] as string;
      utimesSync(newest, 1_000 + i, 1_000 + i);
    }
    expect(files(dir)).toHaveLength(3);
    // A is read: now the most recent; B is the least recently used.
    expect(cache.get('A', 'v1')).toBeDefined();
    cache.put(read('D', 'v1', 'x'.repeat(1000)));
    expect(files(dir)).toHaveLength(3);
    expect(cache.get('B', 'v1')).toBeUndefined();
    for (const name of ['A', 'C', 'D']) expect(cache.get(name, 'v1'), name).toBeDefined();
  });

  it('scoped cache clear removes values and snapshots, not the code cache', () => {
    const base = join(root, 'scoped');
    new ValueCache(join(base, 'values'), KEY, 'x').put(read('A', 'v1'));
    new SnapshotStore(join(base, 'snapshots'), KEY).save(['d'], new Map([['A', 'a']]), true);
    const code = join(base, 'code');
    new ValueCache(code, KEY, 'x').put(read('keep', 'v1'));
    expect(clearCache(base)).toBe(2);
    expect(readdirSync(base).sort()).toEqual(['code']);
    expect(clearCache(base)).toBe(0);
  });
});

describe('the caching store', () => {
  function counting(): { store: SecretStore; made: number; reads: number } {
    const state = { made: 0, reads: 0, store: undefined as unknown as SecretStore };
    const inner = {
      backend: 'aws',
      getValue: async (name: string, s?: { versionId?: string }) => {
        state.reads++;
        return read(name, s?.versionId ?? 'current');
      },
    } as unknown as SecretStore;
    state.store = new CachingStore('aws', new ValueCache(join(root, 'v'), KEY, 'x'), async () => {
      state.made++;
      return inner;
    });
    return state;
  }

  it('a read by version id is served from the cache once kept: the backend is not even made', async () => {
    const first = counting();
    expect((await first.store.getValue('N', { versionId: 'v1' })).value).toBe(`${MARKER}-N`);
    expect([first.made, first.reads]).toEqual([1, 1]);
    const second = counting();
    expect((await second.store.getValue('N', { versionId: 'v1' })).value).toBe(`${MARKER}-N`);
    expect([second.made, second.reads]).toEqual([0, 0]);
    // A read of the current value always goes to the backend.
    await second.store.getValue('N');
    await second.store.getValue('N', { versionStage: 'AWSPREVIOUS' });
    expect([second.made, second.reads]).toEqual([1, 2]);
  });
});

describe('last-known-good snapshots', () => {
  it('a full read stands for the deployment; a partial one adds its keys; the oldest key sets the age', () => {
    let now = 1_000_000;
    const snaps = new SnapshotStore(join(root, 's'), KEY, undefined, () => now);
    expect(snaps.load(['d'], undefined)).toBeUndefined();
    snaps.save(
      ['d'],
      new Map([
        ['A', 'a1'],
        ['B', 'b1'],
      ]),
      false,
    );
    // No full read yet: only named keys.
    expect(snaps.load(['d'], undefined)).toBeUndefined();
    expect(snaps.load(['d'], ['A'])?.values).toEqual(new Map([['A', 'a1']]));
    now += 5000;
    snaps.save(
      ['d'],
      new Map([
        ['A', 'a2'],
        ['C', 'c2'],
      ]),
      true,
    );
    expect(snaps.load(['d'], undefined)).toEqual({
      values: new Map([
        ['A', 'a2'],
        ['C', 'c2'],
      ]),
      savedAt: 1_005_000,
    });
    now += 5000;
    snaps.save(['d'], new Map([['C', 'c3']]), false);
    expect(snaps.load(['d'], undefined)).toEqual({
      values: new Map([
        ['A', 'a2'],
        ['C', 'c3'],
      ]),
      savedAt: 1_005_000,
    });
    expect(snaps.load(['d'], ['C'])?.savedAt).toBe(1_010_000);
    expect(snaps.load(['d'], ['Z'])).toBeUndefined();
    expect(snaps.load(['other'], undefined)).toBeUndefined();
    for (const f of files(join(root, 's'))) expect(statSync(f).mode & 0o777).toBe(0o600);
  });
});

describe('current values read in a batch', () => {
  it('are kept by their version ids, links excepted: a later read of those versions needs no backend', async () => {
    const dir = join(root, 'v');
    const inner = {
      backend: 'aws',
      getValues: async () => ({
        values: new Map<string, ReadResult>([
          ['A', read('A', 'va')],
          ['L', { ...read('L', 'vl'), link: { arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:x' } }],
        ]),
        errors: new Map(),
      }),
    } as unknown as SecretStore;
    await new CachingStore('aws', new ValueCache(dir, KEY, 'x'), async () => inner).getValues(['A', 'L']);
    let made = 0;
    const later = new CachingStore('aws', new ValueCache(dir, KEY, 'x'), async () => {
      made++;
      return { getValue: async () => read('L', 'vl', 'from the backend') } as unknown as SecretStore;
    });
    expect((await later.getValue('A', { versionId: 'va' })).value).toBe(`${MARKER}-A`);
    expect(made).toBe(0);
    expect((await later.getValue('L', { versionId: 'vl' })).value).toBe('from the backend');
    expect(made).toBe(1);
  });
});

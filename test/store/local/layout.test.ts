import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSegment, encodeSegment, scopeOf, shardPath } from '../../../src/store/local/layout.js';
import { LocalStore } from '../../../src/store/local/local-store.js';

describe('shard paths', () => {
  it.each([
    ['acme', 'acme'],
    ['_', '_'],
    ['Acme', '%41cme'],
    ['..', '%2E%2E'],
    ['', '%'],
    ['a.b@c', 'a%2Eb%40c'],
    ['ü', '%C3%BC'],
  ])('segment %j is %j on disk and back', (segment, encoded) => {
    expect(encodeSegment(segment)).toBe(encoded);
    expect(decodeSegment(encoded)).toBe(segment);
  });

  it("a name's scope is everything before its last /; its shard mirrors it as folders", () => {
    expect(scopeOf('scoped/acme/billing/_/API_KEY')).toBe('scoped/acme/billing/_');
    expect(scopeOf('KEY')).toBeUndefined();
    expect(shardPath('/r', 'scoped/acme/billing/_')).toBe('/r/scoped/acme/billing/_.shard');
    expect(shardPath('/r', undefined)).toBe('/r/@root.shard');
    expect(shardPath('/r', '../x')).toBe('/r/%2E%2E/x.shard');
  });
});

describe('listing by prefix over shards', () => {
  const names = [
    'scoped/acme/_/_/A',
    'scoped/acme/_/production/B',
    'scoped/acme/billing/_/C',
    'scoped/acme/billing/production/D',
    'scoped/acme/billing2/_/E',
    'scoped/acme2/_/_/F',
    'scoped/acme/_/_/deep/G',
    'team.x/Acme/_/_/H',
    'a//b/I',
    '/lead/J',
    'nos',
    'nos2',
    'ünï/cödé/K',
    '../x/L',
  ];
  let dir: string;
  let store: LocalStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scoped-layout-'));
    store = new LocalStore({ home: join(dir, 'home'), envKey: Buffer.alloc(32, 1).toString('base64') });
    await store.createMany(names.map((name) => ({ name, value: `v-${name}`, tags: {} })));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every prefix of every name lists exactly the names that start with it', async () => {
    const prefixes = new Set<string>(['', 'x', 'scoped/acme/billing/production/', 'zzz/']);
    for (const n of names) for (let i = 0; i <= n.length; i++) prefixes.add(n.slice(0, i));
    for (const p of prefixes) {
      const want = names.filter((n) => n.startsWith(p)).sort();
      expect((await store.listNames([p])).sort(), p).toEqual(want);
      expect((await store.list([p])).map((s) => s.name).sort(), p).toEqual(want);
    }
    const two = await store.listNames(['scoped/acme/_/_/', 'scoped/acme/billing/_/']);
    expect(two.sort()).toEqual(['scoped/acme/_/_/A', 'scoped/acme/_/_/deep/G', 'scoped/acme/billing/_/C']);
  });

  it('reads each name back from its shard', async () => {
    const batch = await store.getValues(names);
    expect(batch.errors.size).toBe(0);
    for (const n of names) expect(batch.values.get(n)?.value).toBe(`v-${n}`);
  });
});

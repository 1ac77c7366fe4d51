import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listOrgNames } from '../../../src/completion/org-names.js';
import { loadConfig } from '../../../src/config.js';
import { StoreCorruptError } from '../../../src/errors.js';
import { LocalStore } from '../../../src/store/local/local-store.js';
import { readLocalNames } from '../../../src/store/local/names-reader.js';

/**
 * The names-only reader a Tab uses: the same names as the store's own listing, deleted ones until their
 * purge time, damage reported, and the full store left to answer what only it can (a store to migrate,
 * a folder it refuses).
 */
const KEY = Buffer.alloc(32, 9).toString('base64');
const DAY = 86_400_000;
let dir: string;
let home: string;
const name = (scope: string, key: string) => `scoped/acme/${scope}/${key}`;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-names-'));
  home = join(dir, 'store');
  const store = new LocalStore({ home, envKey: KEY, now: () => new Date(0) });
  await store.createMany(['_/_/ORG', 'billing/_/PROJ', 'billing/production/PD', 'web/_/GONE', 'web/_/SOON'].map((n) => ({ name: `scoped/acme/${n}`, value: 'v', tags: {} })));
  // Deleted at time 0: GONE purges after 7 days, SOON after 30.
  await store.delete(name('web/_', 'GONE'), { force: false, recoveryDays: 7 });
  await store.delete(name('web/_', 'SOON'), { force: false, recoveryDays: 30 });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const all = ['scoped/acme/'];

describe('readLocalNames', () => {
  it('lists what the store lists: live names, and deleted ones until they are purged', async () => {
    const now = 10 * DAY;
    const got = readLocalNames(home, all, { liveOnly: false, now });
    expect(got?.names.sort()).toEqual([name('_/_', 'ORG'), name('billing/_', 'PROJ'), name('billing/production', 'PD')]);
    expect(got?.deleted).toEqual([name('web/_', 'SOON')]);
    const store = new LocalStore({ home, envKey: KEY, now: () => new Date(now) });
    expect((await store.listNames(all)).sort()).toEqual(got?.names);
    expect(readLocalNames(home, all, { liveOnly: true, now })?.deleted).toEqual([]);
  });

  it('reads only the scopes the prefixes name', () => {
    writeFileSync(join(home, 'secrets', 'scoped', 'acme', 'web', '_.shard'), 'damaged\n');
    expect(readLocalNames(home, [name('billing/production', ''), name('billing/_', '')], { liveOnly: true, now: 0 })?.names.sort()).toEqual([
      name('billing/_', 'PROJ'),
      name('billing/production', 'PD'),
    ]);
  });

  it('reports a damaged index (a Tab then offers nothing)', () => {
    const shard = join(home, 'secrets', 'scoped', 'acme', 'billing', '_.shard');
    writeFileSync(shard, '0000000000000000000000 {"format":"scoped-local/2","names":{},"data":"x"}\n{}');
    expect(() => readLocalNames(home, all, { liveOnly: true, now: 0 })).toThrow(StoreCorruptError);
  });

  it('an absent store has no names', () => {
    expect(readLocalNames(join(dir, 'none'), all, { liveOnly: true, now: 0 })).toEqual({ names: [], deleted: [] });
  });

  it('leaves to the full store an old store.json to migrate, a folder open to others, a file in its place', () => {
    writeFileSync(join(home, 'store.json'), '');
    expect(readLocalNames(home, all, { liveOnly: true, now: 0 })).toBeUndefined();
    rmSync(join(home, 'store.json'));
    chmodSync(home, 0o755);
    expect(readLocalNames(home, all, { liveOnly: true, now: 0 })).toBeUndefined();
    const file = join(dir, 'file');
    writeFileSync(file, '');
    expect(readLocalNames(file, all, { liveOnly: true, now: 0 })).toBeUndefined();
  });
});

describe('a Tab on a store.json store', () => {
  it('migrates it through the full store and offers its names', async () => {
    const legacyHome = join(dir, 'legacy');
    mkdirSync(legacyHome, { mode: 0o700 });
    copyFileSync(join(import.meta.dirname, 'fixtures', 'store-v1.json'), join(legacyHome, 'store.json'));
    const env = { SCOPED_HOME: legacyHome, SCOPED_ORG: 'acme', SCOPED_LOCAL_KEY: Buffer.alloc(32, 42).toString('base64') };
    const config = await loadConfig({}, env, dir);
    const got = await listOrgNames(config, env, { prefixes: ['scoped/acme/billing/production/'], liveOnly: true });
    expect(got.names.sort()).toEqual(['scoped/acme/billing/production/API_KEY', 'scoped/acme/billing/production/CERT']);
    expect(existsSync(join(legacyHome, 'store.json'))).toBe(false);
    expect(readLocalNames(legacyHome, ['scoped/acme/billing/production/'], { liveOnly: true, now: 0 })?.names.sort()).toEqual(got.names);
  });
});

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStore } from '../../../src/store/local/local-store.js';
import { sandbox } from '../../helpers/io.js';

/**
 * A store moved from store.json into shards, then written by an older build (which knows only store.json
 * and writes a new one): the newer build merges that file into the shards, never removing it unread.
 * test/store/local/fixtures/store-v1.json is the store before the move; store-v1-after-migration.json is what the
 * older build wrote after it (same key, 32 bytes of 42):
 * - scoped/acme/billing/production/NEW_ONE = 'written-by-old-build' (2026-11-01T12:00:00Z), a new name;
 * - scoped/acme/_/_/ORG_TOKEN = 'org-token-old-build' (12:00:01Z), re-created: newer than the shard's;
 * - scoped/acme/_/production/DB_URL = 'db-url-old-clock' (dated 2026-10-15, older than the shard's).
 */
const FIXTURES = join(import.meta.dirname, 'fixtures');
const KEY = Buffer.alloc(32, 42).toString('base64');
const now = () => new Date('2026-11-02T00:00:00Z');
const ORG_V3 = 'cce1896e';
const OLD_BUILD_ORG = 'befd2f19-73ed-4ecf-a037-239287d3c1cb';
const OLD_BUILD_DB = '937622d7-75a4-45cb-8d04-d557aab47603';

let dir: string;
let home: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-merge-'));
  home = join(dir, 'home');
  mkdirSync(home, { mode: 0o700 });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = (envKey = KEY) => new LocalStore({ home, envKey, now });

/** The fixture store migrated (store.json gone), then the older build's store.json put beside it. */
async function migratedThenOldBuildWrote(): Promise<void> {
  copyFileSync(join(FIXTURES, 'store-v1.json'), join(home, 'store.json'));
  await open().listNames(['scoped/']);
  expect(existsSync(join(home, 'store.json'))).toBe(false);
  copyFileSync(join(FIXTURES, 'store-v1-after-migration.json'), join(home, 'store.json'));
}

describe('a store.json that appears after the move to shards', () => {
  it('is merged: a new name is added, a newer write becomes current, an older one stays readable by id; then store.json goes', async () => {
    await migratedThenOldBuildWrote();
    const store = open();
    expect((await store.getValue('scoped/acme/billing/production/NEW_ONE')).value).toBe('written-by-old-build');
    expect(existsSync(join(home, 'store.json'))).toBe(false);
    // ORG_TOKEN: the older build's write is the newest: current; the shard's current is now previous.
    expect((await store.getValue('scoped/acme/_/_/ORG_TOKEN')).value).toBe('org-token-old-build');
    expect((await store.getValue('scoped/acme/_/_/ORG_TOKEN', { versionStage: 'AWSPREVIOUS' })).value).toBe('org-token-v3');
    const org = await store.listVersions('scoped/acme/_/_/ORG_TOKEN');
    expect(org.map((v) => [v.versionId.slice(0, 8), v.stages])).toEqual([
      [OLD_BUILD_ORG.slice(0, 8), ['AWSCURRENT']],
      [ORG_V3, ['AWSPREVIOUS']],
      ['51e10438', []],
    ]);
    expect((await store.describe('scoped/acme/_/_/ORG_TOKEN')).description).toBe('recreated by the old build');
    // DB_URL: the shard's version is newer: it stays current; the older build's is kept, readable by id.
    expect((await store.getValue('scoped/acme/_/production/DB_URL')).value).not.toBe('db-url-old-clock');
    expect((await store.getValue('scoped/acme/_/production/DB_URL', { versionId: OLD_BUILD_DB })).value).toBe('db-url-old-clock');
    // Everything else as it was.
    expect((await store.getValue('scoped/acme/billing/_/API_KEY')).value).toBeTypeOf('string');
    expect((await store.getValue('team/acme/_/_/PREFIXED')).value).toBe('prefixed');
  });

  it('merging again (a kill before store.json was removed) changes nothing', async () => {
    await migratedThenOldBuildWrote();
    await open().listNames(['scoped/']);
    const shard = join(home, 'secrets', 'scoped', 'acme', '_', '_.shard');
    const before = readFileSync(shard, 'utf8');
    copyFileSync(join(FIXTURES, 'store-v1.json'), join(home, 'store.json'));
    await open().listNames(['scoped/']);
    copyFileSync(join(FIXTURES, 'store-v1-after-migration.json'), join(home, 'store.json'));
    await open().listNames(['scoped/']);
    expect(readFileSync(shard, 'utf8')).toBe(before);
    expect(existsSync(join(home, 'store.json'))).toBe(false);
    expect((await open().getValue('scoped/acme/_/_/ORG_TOKEN')).value).toBe('org-token-old-build');
  });

  it('sealed with another key: refused in one line (exit 5), store.json and the shards left as they are', async () => {
    copyFileSync(join(FIXTURES, 'store-v1.json'), join(home, 'store.json'));
    await open().listNames(['scoped/']);
    // A store.json of another store (another key) dropped in.
    const other = join(dir, 'other');
    mkdirSync(other, { mode: 0o700 });
    const otherKey = Buffer.alloc(32, 1).toString('base64');
    await new LocalStore({ home: other, envKey: otherKey }).create({ name: 'scoped/acme/_/_/STRANGER', value: 'x', tags: {} });
    const keyCheck = readFileSync(join(other, 'key-check'), 'utf8').trim();
    writeFileSync(
      join(home, 'store.json'),
      `${JSON.stringify({ format: 'scoped-local/1', keyCheck, names: {} })}\n${JSON.stringify({ format: 'scoped-local/1', keyCheck, secrets: {} })}`,
    );
    const text = readFileSync(join(home, 'store.json'), 'utf8');
    const err = await open()
      .getValue('scoped/acme/_/_/ORG_TOKEN')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      exitCode: 5,
      message: expect.stringMatching(/store\.json \(the single-file format, written by an older scoped\) was sealed with another key than local store .*; it was not merged/),
    });
    expect(readFileSync(join(home, 'store.json'), 'utf8')).toBe(text);
  });

  it("through the CLI: the older build's write is read, and get secret --all lists it", async () => {
    const sb = sandbox({ SCOPED_LOCAL_KEY: KEY, SCOPED_ORG: 'acme' });
    try {
      mkdirSync(sb.home, { mode: 0o700 });
      copyFileSync(join(FIXTURES, 'store-v1.json'), join(sb.home, 'store.json'));
      expect((await sb.run(['get', 'secret', '--all'])).code).toBe(0);
      copyFileSync(join(FIXTURES, 'store-v1-after-migration.json'), join(sb.home, 'store.json'));
      const all = await sb.run(['get', 'secret', '--all', '-o', 'json']);
      expect(all.code, all.stderr).toBe(0);
      expect(all.stdout).toContain('NEW_ONE');
      const r = await sb.run(['get', 'secret', 'NEW_ONE', '-p', 'billing', '-d', 'production', '--reveal']);
      expect([r.code, r.stdout, r.stderr]).toEqual([0, 'written-by-old-build', '']);
    } finally {
      sb.cleanup();
    }
  });
});

import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreCorruptError, UsageError } from '../../../src/errors.js';
import { LocalStore } from '../../../src/store/local/local-store.js';
import { shardText } from '../../../src/store/local/shard-file.js';

let dir: string;
let home: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-local-'));
  home = join(dir, 'home');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const KEY = Buffer.alloc(32, 7).toString('base64');
/** The shard of scope n/a/_/_ (line 1 its index, line 2 its data). */
const storeFile = () => join(home, 'secrets', 'n', 'a', '_', '_.shard');
/** Edits the data line of the shard and rewrites it with valid sums: the damage is in the entries only. */
const tamper = (edit: (data: any) => void) => {
  const data = JSON.parse(readFileSync(storeFile(), 'utf8').split('\n')[1] as string);
  edit(data);
  writeFileSync(storeFile(), shardText(data.secrets));
};

describe('local store on disk', () => {
  it('creates the home 0700, key file and store 0600, and holds no plaintext', async () => {
    const store = new LocalStore({ home });
    await store.create({ name: 'scoped/acme/_/_/K', value: 'plain-text-canary', tags: {} });
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, 'local.key')).mode & 0o777).toBe(0o600);
    const shard = join(home, 'secrets', 'scoped', 'acme', '_', '_.shard');
    expect(statSync(shard).mode & 0o777).toBe(0o600);
    for (const dir of ['secrets', 'secrets/scoped', 'secrets/scoped/acme', 'secrets/scoped/acme/_']) {
      expect(statSync(join(home, dir)).mode & 0o777).toBe(0o700);
    }
    for (const f of readdirSync(home, { recursive: true, encoding: 'utf8' })) {
      if (statSync(join(home, f)).isFile()) expect(readFileSync(join(home, f), 'utf8')).not.toContain('plain-text-canary');
    }
    expect((await new LocalStore({ home }).getValue('scoped/acme/_/_/K')).value).toBe('plain-text-canary');
  });

  it('uses SCOPED_LOCAL_KEY and writes no key file', async () => {
    const store = new LocalStore({ home, envKey: KEY });
    await store.create({ name: 'n/a/_/_/K', value: 'v', tags: {} });
    expect(readdirSync(home)).not.toContain('local.key');
    const wrong = new LocalStore({ home, envKey: Buffer.alloc(32, 8).toString('base64') });
    await expect(wrong.getValue('n/a/_/_/K')).rejects.toThrow(`SCOPED_LOCAL_KEY is not the key of local store ${home}`);
  });

  it('rejects a malformed SCOPED_LOCAL_KEY', async () => {
    const store = new LocalStore({ home, envKey: 'c2hvcnQ=' });
    await expect(store.create({ name: 'n/a/_/_/K', value: 'v', tags: {} })).rejects.toBeInstanceOf(UsageError);
  });

  it('refuses a key file readable by others', async () => {
    await new LocalStore({ home }).create({ name: 'n/a/_/_/K', value: 'v', tags: {} });
    chmodSync(join(home, 'local.key'), 0o644);
    await expect(new LocalStore({ home }).getValue('n/a/_/_/K')).rejects.toMatchObject({ hint: expect.stringMatching(/chmod 600/) });
  });

  it('a value moved to another name fails to decrypt, naming the file', async () => {
    const store = new LocalStore({ home, envKey: KEY });
    await store.create({ name: 'n/a/_/_/A', value: 'alpha', tags: {} });
    await store.create({ name: 'n/a/_/_/B', value: 'bravo', tags: {} });
    tamper((d) => {
      d.secrets['n/a/_/_/B'].versions = d.secrets['n/a/_/_/A'].versions;
    });
    const err = await store.getValue('n/a/_/_/B').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreCorruptError);
    expect(String((err as Error).message)).toContain(storeFile());
    expect((await store.getValue('n/a/_/_/A')).value).toBe('alpha');
  });

  it('a flipped ciphertext byte or a changed version id fails', async () => {
    const store = new LocalStore({ home, envKey: KEY });
    await store.create({ name: 'n/a/_/_/A', value: 'alpha', tags: {} });
    tamper((d) => {
      d.secrets['n/a/_/_/A'].versions[0].id = 'other-version';
    });
    await expect(store.getValue('n/a/_/_/A')).rejects.toBeInstanceOf(StoreCorruptError);
  });

  it.each([
    ['a flipped byte in the index', (t: string) => t.replace('n/a/_/_/A', 'n/a/_/_/Z'), /_\.shard has a damaged index/],
    ['a flipped byte in the data', (t: string) => t.replace('"binary":false', '"binary":true '), /_\.shard has damaged data/],
    ['a truncated shard', (t: string) => t.slice(0, t.indexOf('\n')), /_\.shard is truncated/],
    ['a shard cut inside its index', (t: string) => t.slice(0, 40), /_\.shard is truncated/],
  ])('%s is an error naming the file, for reads, listings and writes, and is never overwritten', async (_what, damage, message) => {
    const store = new LocalStore({ home, envKey: KEY });
    await store.create({ name: 'n/a/_/_/A', value: 'alpha', tags: {} });
    const broken = damage(readFileSync(storeFile(), 'utf8'));
    writeFileSync(storeFile(), broken);
    await expect(store.list(['n/'])).rejects.toThrow(message);
    await expect(store.getValue('n/a/_/_/A')).rejects.toThrow(message);
    await expect(store.create({ name: 'n/a/_/_/B', value: 'b', tags: {} })).rejects.toBeInstanceOf(StoreCorruptError);
    await expect(store.delete('n/a/_/_/A', { force: true })).rejects.toBeInstanceOf(StoreCorruptError);
    if (!/data/.test(String(message))) await expect(store.listNames(['n/'])).rejects.toThrow(message);
    expect(readFileSync(storeFile(), 'utf8')).toBe(broken);
  });

  it('purges a deleted secret once its recovery window has passed', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const store = new LocalStore({ home, envKey: KEY, now: () => now });
    await store.create({ name: 'n/a/_/_/A', value: 'alpha', tags: {} });
    await store.delete('n/a/_/_/A', { recoveryDays: 7 });
    now = new Date('2026-01-07T23:00:00Z');
    expect((await store.describe('n/a/_/_/A')).deletedAt).toBeDefined();
    now = new Date('2026-01-08T00:00:01Z');
    await expect(store.describe('n/a/_/_/A')).rejects.toThrow(/not found/);
    await store.create({ name: 'n/a/_/_/A', value: 'again', tags: {} });
    expect((await store.getValue('n/a/_/_/A')).value).toBe('again');
  });
});

describe('createMany', () => {
  it('creates every name it can and throws the first failure', async () => {
    const store = new LocalStore({ home, envKey: KEY });
    await store.createMany([
      { name: 'n/a/_/_/A', value: 'a', tags: {} },
      { name: 'n/a/_/_/B', value: 'b', tags: {} },
    ]);
    await expect(
      store.createMany([
        { name: 'n/a/_/_/C', value: 'c', tags: {} },
        { name: 'n/a/_/_/A', value: 'again', tags: {} },
      ]),
    ).rejects.toThrow(/already exists/);
    expect((await store.list(['n/'])).map((s) => s.name).sort()).toEqual(['n/a/_/_/A', 'n/a/_/_/B', 'n/a/_/_/C']);
    expect((await store.getValue('n/a/_/_/A')).value).toBe('a');
  });
});

describe('the key must match the store', () => {
  const OTHER = Buffer.alloc(32, 9).toString('base64');

  it('refuses another SCOPED_LOCAL_KEY before writing anything (exit 5)', async () => {
    await new LocalStore({ home, envKey: KEY }).create({ name: 'n/a/_/_/A', value: 'a', tags: {} });
    const before = readFileSync(storeFile(), 'utf8');
    const err = await new LocalStore({ home, envKey: OTHER }).create({ name: 'n/a/_/_/B', value: 'b', tags: {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 5, message: `SCOPED_LOCAL_KEY is not the key of local store ${home}` });
    expect(readFileSync(storeFile(), 'utf8')).toBe(before);
  });

  it('does not make a new key file beside a store that has secrets', async () => {
    await new LocalStore({ home, envKey: KEY }).create({ name: 'n/a/_/_/A', value: 'a', tags: {} });
    const err = await new LocalStore({ home }).create({ name: 'n/a/_/_/B', value: 'b', tags: {} }).catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 5, message: expect.stringMatching(/has secrets but its key file .*local\.key is missing/) });
    expect(readdirSync(home)).not.toContain('local.key');
  });

  it('refuses a replaced key file', async () => {
    await new LocalStore({ home }).create({ name: 'n/a/_/_/A', value: 'a', tags: {} });
    writeFileSync(join(home, 'local.key'), `${OTHER}\n`, { mode: 0o600 });
    await expect(new LocalStore({ home }).putValue('n/a/_/_/A', 'b')).rejects.toMatchObject({ exitCode: 5 });
    await expect(new LocalStore({ home }).getValue('n/a/_/_/A')).rejects.toMatchObject({ exitCode: 5 });
  });

  it('delete, restore, tag and description changes need the key too', async () => {
    await new LocalStore({ home, envKey: KEY }).create({ name: 'n/a/_/_/A', value: 'a', tags: {} });
    const before = readFileSync(storeFile(), 'utf8');
    const wrong = new LocalStore({ home, envKey: OTHER });
    for (const attempt of [
      () => wrong.delete('n/a/_/_/A', { force: true }),
      () => wrong.delete('n/a/_/_/A', { recoveryDays: 7 }),
      () => wrong.restore('n/a/_/_/A'),
      () => wrong.updateDescription('n/a/_/_/A', 'd'),
      () => wrong.describe('n/a/_/_/A'),
      () => new LocalStore({ home }).delete('n/a/_/_/A', { force: true }),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ exitCode: 5 });
    }
    expect(readFileSync(storeFile(), 'utf8')).toBe(before);
  });

  it('listings stay readable without the key', async () => {
    await new LocalStore({ home, envKey: KEY }).create({ name: 'n/a/_/_/A', value: 'a', tags: {} });
    expect((await new LocalStore({ home, envKey: OTHER }).list(['n/'])).map((s) => s.name)).toEqual(['n/a/_/_/A']);
  });
});

describe('damaged entries', () => {
  it.each([
    ['versions', (s: any) => (s.versions = 'x'), /damaged entry for n\/a\/_\/_\/A \(versions\)/],
    ['dates', (s: any) => (s.createdAt = 'x'), /\(dates\)/],
    ['a sealed value', (s: any) => delete s.versions[0].tag, /\(a sealed value\)/],
    ['tags', (s: any) => (s.tags = { k: 1 }), /\(tags\)/],
  ])('%s: every command fails naming the file and the secret, and nothing is written', async (_what, damage, message) => {
    const store = new LocalStore({ home, envKey: KEY });
    await store.create({ name: 'n/a/_/_/A', value: 'a', tags: {} });
    tamper((d) => damage(d.secrets['n/a/_/_/A']));
    const before = readFileSync(storeFile(), 'utf8');
    await expect(store.list(['n/'])).rejects.toThrow(message);
    await expect(store.getValue('n/a/_/_/A')).rejects.toBeInstanceOf(StoreCorruptError);
    await expect(store.create({ name: 'n/a/_/_/B', value: 'b', tags: {} })).rejects.toThrow(/_\.shard has a damaged entry/);
    expect(readFileSync(storeFile(), 'utf8')).toBe(before);
  });
});

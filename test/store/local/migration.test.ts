import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStore } from '../../../src/store/local/local-store.js';
import { readShard } from '../../../src/store/local/shard-file.js';
import { BIN } from '../../helpers/bin.js';

/** test/store/local/fixtures/store-v1.json was written by the store.json code (before shards), key = 32 bytes of 42. */
const FIXTURE = join(import.meta.dirname, 'fixtures', 'store-v1.json');
const KEY = Buffer.alloc(32, 42).toString('base64');
// The fixture's secret OLD is in its recovery window until 2026-12-01.
const now = () => new Date('2026-11-02T00:00:00Z');

let dir: string;
let home: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-migrate-'));
  home = join(dir, 'home');
  mkdirSync(home, { mode: 0o700 });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const open = () => new LocalStore({ home, envKey: KEY, now });

async function expectFixtureContents(store: LocalStore): Promise<void> {
  expect(await store.listNames(['scoped/acme/'])).toEqual(
    expect.arrayContaining([
      'scoped/acme/_/_/ORG_TOKEN',
      'scoped/acme/_/production/DB_URL',
      'scoped/acme/billing/_/API_KEY',
      'scoped/acme/billing/production/API_KEY',
      'scoped/acme/billing/production/CERT',
    ]),
  );
  expect(await store.listNames(['scoped/acme/billing/production/'])).not.toContain('scoped/acme/billing/production/OLD');
  expect((await store.getValue('scoped/acme/_/_/ORG_TOKEN')).value).toBe('org-token-v3');
  expect((await store.getValue('scoped/acme/_/_/ORG_TOKEN', { versionStage: 'AWSPREVIOUS' })).value).toBe('org-token-v2');
  expect((await store.listVersions('scoped/acme/_/_/ORG_TOKEN')).length).toBe(2);
  expect(await store.describe('scoped/acme/_/_/ORG_TOKEN')).toMatchObject({ description: 'org wide', tags: { 'scoped:org': 'acme', 'scoped:key': 'ORG_TOKEN' } });
  expect(Buffer.from((await store.getValue('scoped/acme/billing/production/CERT')).value as Uint8Array)).toEqual(Buffer.from([0, 1, 2, 255, 10, 13]));
  expect((await store.describe('scoped/acme/billing/production/OLD')).deletedAt).toBeInstanceOf(Date);
  await store.restore('scoped/acme/billing/production/OLD');
  expect((await store.getValue('scoped/acme/billing/production/OLD')).value).toBe('old-value');
  expect((await store.getValue('scoped/other/_/_/X')).value).toBe('other-org');
  expect((await store.getValue('team/acme/_/_/PREFIXED')).value).toBe('prefixed');
}

describe('migrating a store.json store', () => {
  it('moves every secret, version, stage, tag and deletion into shards on first use, and removes store.json', async () => {
    copyFileSync(FIXTURE, join(home, 'store.json'));
    expect(existsSync(join(home, 'local.key'))).toBe(false);
    // The first use is a listing (no key needed): it migrates too.
    expect(await new LocalStore({ home, now }).listNames(['scoped/acme/_/_/'])).toEqual(['scoped/acme/_/_/ORG_TOKEN']);
    expect(existsSync(join(home, 'store.json'))).toBe(false);
    expect(readdirSync(join(home, 'secrets', 'scoped', 'acme', 'billing')).sort()).toEqual(['_.shard', 'production.shard']);
    await expectFixtureContents(open());
  });

  it('makes no new key file beside a migrated store that has secrets (exit 5)', async () => {
    copyFileSync(FIXTURE, join(home, 'store.json'));
    const err = await new LocalStore({ home, now }).getValue('scoped/acme/_/_/ORG_TOKEN').catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: 5, message: expect.stringMatching(/has secrets but its key file .*local\.key is missing/) });
    expect(existsSync(join(home, 'local.key'))).toBe(false);
  });

  it('keeps the key check: a wrong key is refused after migration, nothing written', async () => {
    copyFileSync(FIXTURE, join(home, 'store.json'));
    const wrong = new LocalStore({ home, envKey: Buffer.alloc(32, 1).toString('base64'), now });
    await expect(wrong.create({ name: 'scoped/acme/_/_/NEW', value: 'x', tags: {} })).rejects.toMatchObject({ exitCode: 5 });
    await expect(wrong.getValue('scoped/acme/_/_/ORG_TOKEN')).rejects.toMatchObject({ exitCode: 5 });
    await expectFixtureContents(open());
  });

  it('finishes a migration killed after its commit (secrets/ in place, store.json still there)', async () => {
    copyFileSync(FIXTURE, join(home, 'store.json'));
    await open().listNames(['x/']);
    copyFileSync(FIXTURE, join(home, 'store.json'));
    await open().create({ name: 'scoped/acme/_/_/AFTER', value: 'after', tags: {} });
    expect(existsSync(join(home, 'store.json'))).toBe(false);
    expect((await open().getValue('scoped/acme/_/_/AFTER')).value).toBe('after');
    await expectFixtureContents(open());
  });

  it('redoes a migration killed before its commit (a staging folder left behind)', async () => {
    copyFileSync(FIXTURE, join(home, 'store.json'));
    mkdirSync(join(home, '.secrets.migrating-dead'), { recursive: true });
    writeFileSync(join(home, '.secrets.migrating-dead', 'junk.shard'), 'half');
    await expectFixtureContents(open());
    expect(readdirSync(home).filter((e) => e.startsWith('.secrets.migrating-'))).toEqual([]);
  });

  it('refuses a symlinked store.json in words (exit 2), changing nothing', async () => {
    copyFileSync(FIXTURE, join(dir, 'elsewhere.json'));
    symlinkSync(join(dir, 'elsewhere.json'), join(home, 'store.json'));
    await expect(open().listNames(['scoped/'])).rejects.toMatchObject({
      exitCode: 2,
      message: `${join(home, 'store.json')} in the local store is a symbolic link; scoped does not follow links inside its store`,
    });
    expect(existsSync(join(home, 'secrets'))).toBe(false);
  });

  it('refuses a damaged store.json in words and leaves it as it is', async () => {
    const text = readFileSync(FIXTURE, 'utf8');
    writeFileSync(join(home, 'store.json'), text.slice(0, text.length - 20));
    await expect(open().listNames(['scoped/'])).rejects.toThrow(/store\.json is not valid JSON/);
    expect(readFileSync(join(home, 'store.json'), 'utf8')).toBe(text.slice(0, text.length - 20));
    expect(existsSync(join(home, 'secrets'))).toBe(false);
  });
});

/** A big store.json in the old format: made by the sharded store, then joined into one file as the old code wrote it. */
async function bigLegacyStore(count: number): Promise<void> {
  const build = new LocalStore({ home, envKey: KEY });
  await build.createMany(
    Array.from({ length: count }, (_, i) => ({ name: `scoped/acme/p${i % 40}/${i % 3 ? 'production' : '_'}/K${i}`, value: `value-${i}-${'x'.repeat(200)}`, tags: {} })),
  );
  const secrets: Record<string, unknown> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.shard')) Object.assign(secrets, readShard(join(d, e.name)));
    }
  };
  walk(join(home, 'secrets'));
  const keyCheck = readFileSync(join(home, 'key-check'), 'utf8').trim();
  const names = Object.fromEntries(Object.keys(secrets).map((n) => [n, 0]));
  rmSync(join(home, 'secrets'), { recursive: true });
  rmSync(join(home, 'key-check'));
  writeFileSync(join(home, 'store.json'), `${JSON.stringify({ format: 'scoped-local/1', keyCheck, names })}\n${JSON.stringify({ format: 'scoped-local/1', keyCheck, secrets })}`, {
    mode: 0o600,
  });
}

const exited = (c: ChildProcess) => new Promise<{ code: number | null }>((resolve) => c.on('close', (code) => resolve({ code })));

describe('a kill -9 during migration', () => {
  it('leaves a store that opens with every secret, whenever it lands', async () => {
    const COUNT = 3_000;
    await bigLegacyStore(COUNT);
    const legacy = readFileSync(join(home, 'store.json'));
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, SCOPED_HOME: home, SCOPED_LOCAL_KEY: KEY, SCOPED_ORG: 'acme' };
    const reset = () => {
      rmSync(home, { recursive: true, force: true });
      mkdirSync(home, { mode: 0o700 });
      writeFileSync(join(home, 'store.json'), legacy, { mode: 0o600 });
    };
    // How long a whole migrating command takes here, so the kills sweep it from start to end.
    // stdout to a /dev/null of our own (write-only): `stdio: 'ignore'` is what a closed stdout looks like (exit 6).
    const sink = openSync('/dev/null', 'w');
    const stdio: StdioOptions = ['ignore', sink, 'ignore'];
    const t0 = Date.now();
    const probe = spawn(process.execPath, [BIN, 'get', 'secret', '--all', '-o', 'json'], { env, stdio });
    expect((await exited(probe)).code).toBe(0);
    const span = Date.now() - t0;
    let interrupted = 0;
    for (let trial = 0; trial < 8; trial++) {
      reset();
      const child = spawn(process.execPath, [BIN, 'get', 'secret', '--all', '-o', 'json'], { env, stdio });
      const timer = setTimeout(() => child.kill('SIGKILL'), (span * (trial + Math.random())) / 8);
      const r = await exited(child);
      clearTimeout(timer);
      if (r.code !== 0) interrupted++;
      const store = new LocalStore({ home, envKey: KEY });
      const names = await store.listNames(['scoped/acme/']);
      expect(names).toHaveLength(COUNT);
      const batch = await store.getValues(['scoped/acme/p1/production/K1', `scoped/acme/p0/_/K${COUNT - 120}`]);
      expect(batch.errors.size).toBe(0);
      expect(batch.values.get('scoped/acme/p1/production/K1')?.value).toBe(`value-1-${'x'.repeat(200)}`);
      expect(existsSync(join(home, 'store.json'))).toBe(false);
    }
    expect(interrupted).toBeGreaterThan(0);
    closeSync(sink);
  }, 120_000);
});

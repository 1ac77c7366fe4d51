import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StoreCorruptError } from '../../../src/errors.js';
import { LocalStore } from '../../../src/store/local/local-store.js';
import { readLocalNames } from '../../../src/store/local/names-reader.js';
import { MAX_VERSIONS } from '../../../src/store/local/secret-ops.js';
import { sandbox, type Sandbox } from '../../helpers/io.js';

/**
 * The local store keeps versions as Secrets Manager does: up to 100 per secret, every labelled one kept,
 * the oldest unlabelled ones dropped first; so a pin outlives later updates. Old (scoped-local/2) shards
 * read as they are and are rewritten in the current format by their next write.
 */
const KEY = Buffer.alloc(32, 42).toString('base64');
/** test/store/local/fixtures/shards-v2: written by the scoped-local/2 code (see its ABOUT.md). */
const FIXTURE = join(import.meta.dirname, 'fixtures', 'shards-v2');
const API_KEY = 'scoped/acme/billing/_/API_KEY';
const V2 = 'c41d31a4-13cc-433b-8e36-7623c49a34f1';
const V3 = '0c2b2117-9ca2-4d23-b44f-9c5b169c9a4e';

let dir: string;
let home: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-versions-'));
  home = join(dir, 'home');
  mkdirSync(home, { mode: 0o700 });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Each write a second after the last, so versions are ordered by time as on AWS. */
function clock(): () => Date {
  let t = Date.parse('2026-11-01T00:00:00Z');
  return () => new Date((t += 1000));
}
const shardOf = (h: string) => join(h, 'secrets', 'scoped', 'acme', 'billing', '_.shard');
const formatOf = (h: string) => (JSON.parse(readFileSync(shardOf(h), 'utf8').split('\n')[0]!.split(' ')[1]!) as { format: string }).format;

describe('versions kept on the local store', () => {
  it('a version read by id 20 updates later; every kept version listed newest first, deprecated ones without a stage', async () => {
    const store = new LocalStore({ home, envKey: KEY, now: clock() });
    const first = await store.create({ name: API_KEY, value: 'pinned-bytes', tags: {} });
    for (let i = 1; i <= 20; i++) await store.putValue(API_KEY, `value-${i}`);
    const fresh = new LocalStore({ home, envKey: KEY });
    expect((await fresh.getValue(API_KEY, { versionId: first.versionId })).value).toBe('pinned-bytes');
    expect((await fresh.getValue(API_KEY)).value).toBe('value-20');
    expect((await fresh.getValue(API_KEY, { versionStage: 'AWSPREVIOUS' })).value).toBe('value-19');
    const versions = await fresh.listVersions(API_KEY);
    expect(versions).toHaveLength(21);
    expect(versions.map((v) => v.stages)).toEqual([['AWSCURRENT'], ['AWSPREVIOUS'], ...Array.from({ length: 19 }, () => [])]);
    expect(versions.at(-1)?.versionId).toBe(first.versionId);
    // describe is DescribeSecret's VersionIdsToStages: labelled versions only.
    expect(Object.keys((await fresh.describe(API_KEY)).versions)).toHaveLength(2);
  });

  it(`${MAX_VERSIONS + 5} updates keep ${MAX_VERSIONS} versions: the oldest unlabelled ones go first, labelled ones stay`, async () => {
    const store = new LocalStore({ home, envKey: KEY, now: clock() });
    const ids = [(await store.create({ name: API_KEY, value: 'v0', tags: {} })).versionId];
    for (let i = 1; i <= MAX_VERSIONS + 5; i++) ids.push((await store.putValue(API_KEY, `v${i}`)).versionId);
    const versions = await store.listVersions(API_KEY);
    expect(versions).toHaveLength(MAX_VERSIONS);
    expect(versions.map((v) => v.versionId)).toEqual(ids.slice(-MAX_VERSIONS).reverse());
    expect(versions[0]?.stages).toEqual(['AWSCURRENT']);
    expect(versions[1]?.stages).toEqual(['AWSPREVIOUS']);
    const dropped = await store.getValue(API_KEY, { versionId: ids[5] as string }).catch((e: unknown) => e);
    expect(dropped).toMatchObject({ exitCode: 3, subject: 'version' });
    expect((await store.getValue(API_KEY, { versionId: ids[6] as string })).value).toBe('v6');
  });

  it('a version with a stage of its own is never dropped, however old', async () => {
    const store = new LocalStore({ home, envKey: KEY, now: clock() });
    const kept = (await store.create({ name: API_KEY, value: 'labelled', tags: {} })).versionId;
    await store.putValue(API_KEY, 'v1');
    // A label such as `pin --protect` puts on a version (written into the shard as the store would).
    const { readShard, writeShard } = await import('../../../src/store/local/shard-file.js');
    const secrets = readShard(shardOf(home), { deprecated: true });
    secrets[API_KEY]!.versions.find((v) => v.id === kept)!.stages = ['AWSPREVIOUS', 'release-1'];
    writeShard(shardOf(home), secrets);
    for (let i = 2; i <= MAX_VERSIONS + 10; i++) await store.putValue(API_KEY, `v${i}`);
    const versions = await store.listVersions(API_KEY);
    expect(versions).toHaveLength(MAX_VERSIONS);
    expect(versions.at(-1)).toMatchObject({ versionId: kept, stages: ['release-1'] });
    expect((await store.getValue(API_KEY, { versionStage: 'release-1' })).value).toBe('labelled');
  });

  it('reads of current values do not touch the deprecated versions: their damage shows only where they are needed', async () => {
    const store = new LocalStore({ home, envKey: KEY, now: clock() });
    const old = (await store.create({ name: API_KEY, value: 'oldest', tags: {} })).versionId;
    await store.putValue(API_KEY, 'two');
    await store.putValue(API_KEY, 'three');
    const path = shardOf(home);
    const text = readFileSync(path, 'utf8');
    const [index, data, deprecated] = text.split('\n') as [string, string, string];
    writeFileSync(path, `${index}\n${data}\n${deprecated.replace('"id"', '"iD"')}`);
    expect((await store.getValue(API_KEY)).value).toBe('three');
    expect((await store.getValues([API_KEY])).values.get(API_KEY)?.value).toBe('three');
    const byId = await store.getValue(API_KEY, { versionId: old }).catch((e: unknown) => e);
    expect(byId).toBeInstanceOf(StoreCorruptError);
    expect((byId as Error).message).toMatch(/_\.shard has damaged old versions \(checksum mismatch\)/);
    // A write never drops what it cannot read.
    await expect(store.putValue(API_KEY, 'four')).rejects.toBeInstanceOf(StoreCorruptError);
    expect(readFileSync(path, 'utf8')).toContain('"iD"');
  });
});

describe('a scoped-local/2 shard (fixture written by the earlier code)', () => {
  beforeEach(() => cpSync(FIXTURE, home, { recursive: true }));

  it('reads as it is, and names for a Tab come from its index line', async () => {
    const store = new LocalStore({ home, envKey: KEY, now: () => new Date('2026-10-02T00:00:00Z') });
    expect((await store.getValue(API_KEY)).value).toBe('api-v3');
    expect((await store.getValue(API_KEY, { versionId: V2 })).value).toBe('api-v2');
    expect((await store.getValue(API_KEY, { versionStage: 'AWSPREVIOUS' })).value).toBe('api-v2');
    expect(Buffer.from((await store.getValue('scoped/acme/billing/_/CERT')).value as Uint8Array)).toEqual(Buffer.from([0, 1, 2, 255, 10, 13]));
    expect((await store.listVersions(API_KEY)).map((v) => v.versionId)).toEqual([V3, V2]);
    expect(readLocalNames(home, ['scoped/acme/billing/'], { liveOnly: false, now: Date.parse('2026-10-02T00:00:00Z') })).toEqual({
      names: ['scoped/acme/billing/_/API_KEY', 'scoped/acme/billing/_/CERT'],
      deleted: ['scoped/acme/billing/_/OLD'],
    });
    expect(formatOf(home)).toBe('scoped-local/2');
  });

  it('is rewritten in the current format by its next write, losing nothing, and keeps its old versions from then on', async () => {
    const store = new LocalStore({ home, envKey: KEY, now: () => new Date('2026-10-02T00:00:00Z') });
    const v4 = (await store.putValue(API_KEY, 'api-v4')).versionId;
    expect(formatOf(home)).toBe('scoped-local/3');
    const fresh = new LocalStore({ home, envKey: KEY, now: () => new Date('2026-10-02T00:00:00Z') });
    expect((await fresh.listVersions(API_KEY)).map((v) => [v.versionId, v.stages])).toEqual([
      [v4, ['AWSCURRENT']],
      [V3, ['AWSPREVIOUS']],
      [V2, []],
    ]);
    expect((await fresh.getValue(API_KEY, { versionId: V2 })).value).toBe('api-v2');
    expect(Buffer.from((await fresh.getValue('scoped/acme/billing/_/CERT')).value as Uint8Array)).toEqual(Buffer.from([0, 1, 2, 255, 10, 13]));
    expect((await fresh.describe('scoped/acme/billing/_/OLD')).deletedAt).toBeInstanceOf(Date);
    expect((await fresh.describe(API_KEY)).description).toBe('the api key');
    expect(readLocalNames(home, ['scoped/acme/billing/'], { liveOnly: true, now: Date.parse('2026-10-02T00:00:00Z') })?.names).toEqual([
      'scoped/acme/billing/_/API_KEY',
      'scoped/acme/billing/_/CERT',
    ]);
  });
});

describe('a pin on the local store outlives 20 updates (run/export --pinned)', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = sandbox();
  });
  afterEach(() => sb.cleanup());

  it('reads the pinned bytes, while a plain read has the newest', async () => {
    const c = await sb.run(['create', 'secret', 'DB_URL', '-p', 'billing', '--from-file', '-'], { stdin: 'pinned-value' });
    expect(c.code, c.stderr).toBe(0);
    const pin = await sb.run(['pin', '-p', 'billing', '-d', 'production']);
    expect(pin.code, pin.stderr).toBe(0);
    for (let i = 1; i <= 20; i++) {
      const u = await sb.run(['update', 'secret', 'DB_URL', '-p', 'billing', '--from-file', '-'], { stdin: `newer-${i}` });
      expect(u.code, u.stderr).toBe(0);
    }
    const exported = await sb.run(['export', '--pinned', 'scoped.pin.json', '--format', 'dotenv']);
    expect([exported.code, exported.stderr]).toEqual([0, '']);
    expect(exported.stdout).toContain('pinned-value');
    const ran = await sb.run(['run', '--pinned', 'scoped.pin.json', '--no-mask', '--', process.execPath, '-e', 'process.stdout.write(process.env.DB_URL)']);
    expect([ran.code, ran.stdout], ran.stderr).toEqual([0, 'pinned-value']);
    const plain = await sb.run(['export', '-p', 'billing', '-d', 'production', '--format', 'dotenv']);
    expect(plain.stdout).toContain('newer-20');
    const versions = await sb.run(['get', 'secret', 'DB_URL', '-p', 'billing', '--versions', '-o', 'json']);
    expect(JSON.parse(versions.stdout).versions).toHaveLength(21);
  });
});

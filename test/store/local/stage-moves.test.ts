import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError } from '../../../src/errors.js';
import { LocalStore } from '../../../src/store/local/local-store.js';
import { MAX_VERSIONS } from '../../../src/store/local/secret-ops.js';
import { localWriter } from '../../../src/store/local/writer.js';

const KEY = Buffer.alloc(32, 7).toString('base64');
const NAME = 'scoped/acme/billing/_/API_KEY';

let dir: string;
let home: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-stages-'));
  home = join(dir, 'home');
  mkdirSync(home, { mode: 0o700 });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function clock(): () => Date {
  let t = Date.parse('2026-11-01T00:00:00Z');
  return () => new Date((t += 1000));
}

async function fiveVersions(store: LocalStore): Promise<string[]> {
  const ids = [(await store.create({ name: NAME, value: 'v0', tags: {} })).versionId];
  for (let i = 1; i < 5; i++) ids.push((await store.putValue(NAME, `v${i}`)).versionId);
  return ids;
}

describe('local store: staging labels and writers', () => {
  it('AWSCURRENT moved back to a deprecated version: its bytes are current, AWSPREVIOUS on the one it left, no new version', async () => {
    const store = new LocalStore({ home, envKey: KEY, now: clock(), writer: 'ana@laptop' });
    const ids = await fiveVersions(store);
    await store.updateStage(NAME, 'AWSCURRENT', { to: ids[1], from: ids[4] });
    const fresh = new LocalStore({ home, envKey: KEY });
    expect((await fresh.getValue(NAME)).value).toBe('v1');
    expect((await fresh.getValue(NAME, { versionStage: 'AWSPREVIOUS' })).value).toBe('v4');
    const versions = await fresh.listVersions(NAME);
    expect(versions.map((v) => v.versionId)).toEqual([...ids].reverse());
    expect(versions.map((v) => v.stages)).toEqual([['AWSPREVIOUS'], [], [], ['AWSCURRENT'], []]);
    expect(versions.every((v) => v.createdBy === 'ana@laptop')).toBe(true);
  });

  it('a stale `from` changes nothing (conflict, exit 4)', async () => {
    const store = new LocalStore({ home, envKey: KEY, now: clock() });
    const ids = await fiveVersions(store);
    await expect(store.updateStage(NAME, 'AWSCURRENT', { to: ids[0], from: ids[3] })).rejects.toBeInstanceOf(ConflictError);
    expect((await store.getValue(NAME)).value).toBe('v4');
  });

  it(`a labelled version outlives ${MAX_VERSIONS + 20} later updates`, async () => {
    const store = new LocalStore({ home, envKey: KEY, now: clock() });
    const ids = await fiveVersions(store);
    await store.updateStage(NAME, 'scoped-pin-abc', { to: ids[0] });
    for (let i = 0; i < MAX_VERSIONS + 20; i++) await store.putValue(NAME, `later-${i}`);
    const fresh = new LocalStore({ home, envKey: KEY });
    expect((await fresh.getValue(NAME, { versionId: ids[0] })).value).toBe('v0');
    expect((await fresh.getValue(NAME, { versionStage: 'scoped-pin-abc' })).value).toBe('v0');
    await expect(fresh.getValue(NAME, { versionId: ids[1] })).rejects.toThrow(/has no version/);
  });

  it('a put moves only AWSCURRENT and AWSPREVIOUS: the current version keeps a pin label through later puts', async () => {
    const store = new LocalStore({ home, envKey: KEY, now: clock() });
    const ids = await fiveVersions(store);
    await store.updateStage(NAME, 'scoped-pin-cur', { to: ids[4] });
    await store.putValue(NAME, 'v5');
    await store.putValue(NAME, 'v6');
    const stages = Object.fromEntries((await store.listVersions(NAME)).map((v) => [v.versionId, v.stages]));
    expect(stages[ids[4] as string]).toEqual(['scoped-pin-cur']);
  });

  it('20 labels on one version, then the 21st refused in words (exit 4)', async () => {
    const store = new LocalStore({ home, envKey: KEY, now: clock() });
    const ids = await fiveVersions(store);
    for (let i = 0; i < 19; i++) await store.updateStage(NAME, `label-${i}`, { to: ids[4] });
    await expect(store.updateStage(NAME, 'label-19', { to: ids[4] })).rejects.toMatchObject({ reason: 'quota', exitCode: 4 });
    expect((await store.listVersions(NAME))[0]?.stages).toHaveLength(20);
  });

  it('versions written before writers were recorded (a scoped-local/2 shard) list with no writer; a new write records one', async () => {
    cpSync(join(import.meta.dirname, 'fixtures', 'shards-v2'), home, { recursive: true });
    const store = new LocalStore({ home, envKey: Buffer.alloc(32, 42).toString('base64'), writer: 'ana@laptop' });
    const name = 'scoped/acme/billing/_/API_KEY';
    const old = await store.listVersions(name);
    expect(old.length).toBeGreaterThan(0);
    expect(old.every((v) => v.createdBy === undefined)).toBe(true);
    const { versionId } = await store.putValue(name, 'new');
    const now = await store.listVersions(name);
    expect(now.find((v) => v.versionId === versionId)?.createdBy).toBe('ana@laptop');
    expect(now.filter((v) => v.versionId !== versionId).every((v) => v.createdBy === undefined)).toBe(true);
  });

  it('the writer: the OS user, else USER, else LOGNAME (os.userInfo throws for a uid without a passwd entry); with the host; nothing usable is nothing', () => {
    const host = () => 'build-7';
    const noUser = () => {
      throw Object.assign(new Error('uv_os_get_passwd returned ENOENT'), { code: 'ENOENT' });
    };
    expect(localWriter({ USER: 'env-user' }, { userInfo: () => ({ username: 'ana' }), hostname: host })).toBe('ana@build-7');
    expect(localWriter({ USER: 'env-user', LOGNAME: 'log' }, { userInfo: noUser, hostname: host })).toBe('env-user@build-7');
    expect(localWriter({ LOGNAME: 'log' }, { userInfo: noUser, hostname: host })).toBe('log@build-7');
    expect(localWriter({}, { userInfo: noUser, hostname: host })).toBeUndefined();
    expect(localWriter({ USER: 'has space\nnewline' }, { userInfo: noUser, hostname: host })).toBeUndefined();
    expect(localWriter({ USER: 'ci' }, { userInfo: noUser, hostname: () => '' })).toBe('ci');
  });
});

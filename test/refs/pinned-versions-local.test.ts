/**
 * `refs --pinned`: a pinned version that is gone is exit 3 naming the key and the version, on the local
 * store (the application layer: the `refs` command itself wants the aws backend, for ARNs). The local store
 * keeps versions as Secrets Manager does (100, labelled ones always), so a version really ages out here.
 * One describe per key; a version list only for a pinned version that carries no label.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scopeTags, secretName } from '../../src/core/naming.js';
import type { Scope } from '../../src/core/scope.js';
import { NotFoundError, UsageError } from '../../src/errors.js';
import { deploymentRefs } from '../../src/refs/refs.js';
import { checkPinnedVersions, type PinnedRef } from '../../src/refs/pinned-versions.js';
import type { PinEntry } from '../../src/pin/pin-file.js';
import { LinkingStore } from '../../src/store/links.js';
import { LocalStore } from '../../src/store/local/local-store.js';
import { MAX_VERSIONS } from '../../src/store/local/secret-ops.js';
import type { SecretStore } from '../../src/store/types.js';

const KEY = Buffer.alloc(32, 61).toString('base64');
const D: Scope = { org: 'acme', project: 'billing', domain: 'production' };
const FILE = 'release.pin.json';
const FORGED = '00000000-0000-4000-8000-00000000dead';

let dir: string;
let store: SecretStore;
let calls: string[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-refs-pinned-'));
  mkdirSync(join(dir, 'home'), { mode: 0o700 });
  calls = [];
  const local = new LinkingStore(new LocalStore({ home: join(dir, 'home'), envKey: KEY }));
  // Counts the metadata calls the check makes, by operation and name.
  store = Object.assign(Object.create(local) as SecretStore, {
    describe: (n: string) => (calls.push(`describe ${n}`), local.describe(n)),
    listVersions: (n: string) => (calls.push(`listVersions ${n}`), local.listVersions(n)),
  });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const name = (key: string) => secretName('scoped/', D, key);

async function make(key: string): Promise<PinEntry> {
  const { versionId } = await store.create({ name: name(key), value: `${key}-v0`, tags: scopeTags(D, key) });
  return { key, scope: D, name: name(key), versionId };
}

async function refusal(pinned: PinnedRef[]): Promise<NotFoundError> {
  const err: unknown = await checkPinnedVersions(store, pinned, new Map(), FILE).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(NotFoundError);
  return err as NotFoundError;
}

describe('pinned versions on the local store', () => {
  it('current and deprecated-but-kept versions pass; a version list only for the one without a label', async () => {
    const a = await make('A_KEY');
    const b = await make('B_KEY');
    // B's pinned version is two writes old: no stage left, still kept.
    await store.putValue(b.name, 'B_KEY-v1');
    await store.putValue(b.name, 'B_KEY-v2');
    expect((await store.listVersions(b.name)).find((v) => v.versionId === b.versionId)?.stages).toEqual([]);
    calls = [];
    await checkPinnedVersions(store, [a, b], new Map(), FILE);
    expect(calls.sort()).toEqual([`describe ${a.name}`, `describe ${b.name}`, `listVersions ${b.name}`]);
  });

  it(`a version aged out (past ${MAX_VERSIONS} versions): exit 3 naming the key, the version and the pin file`, async () => {
    const a = await make('A_KEY');
    for (let i = 1; i <= MAX_VERSIONS; i++) await store.putValue(a.name, `A_KEY-v${i}`);
    expect((await store.listVersions(a.name)).some((v) => v.versionId === a.versionId)).toBe(false);
    const err = await refusal([a]);
    expect(err.exitCode).toBe(3);
    expect(err.subject).toBe('version');
    expect(err.message).toBe(
      `pinned version of A_KEY at org acme, project billing, domain production (version ${a.versionId}) no longer exists (deleted, or aged out of the secret's versions; pin file ${FILE})`,
    );
    expect(err.hint).toMatch(/scoped pin/);
  }, 60_000);

  it('several gone: one line naming each (the first five, then a count)', async () => {
    const entries = [];
    for (let i = 0; i < 7; i++) entries.push({ ...(await make(`K${i}`)), versionId: FORGED });
    const err = await refusal(entries);
    expect(err.message).toMatch(/^7 pinned versions no longer exist: K0 at .* \(version 0{8}-0000-4000-8000-00000000dead\), K1 at .*, K4 at .*, and 2 more \(deleted/);
    expect(err.message).not.toContain('K5');
    expect(err.message.split('\n')).toHaveLength(1);
  });

  it('a secret gone since the listing: named as the pinned secret, exit 3', async () => {
    const a = await make('A_KEY');
    await store.delete(a.name, { force: true });
    const err = await refusal([a]);
    expect(err.message).toBe(`A_KEY at org acme, project billing, domain production: the pinned secret no longer exists, or is scheduled for deletion (pin file ${FILE})`);
  });

  it('through deploymentRefs: the gone version named before the backend is found to have no ARNs', async () => {
    const a = await make('A_KEY');
    const b = await make('B_KEY');
    const pin = { file: FILE, secrets: [a, { ...b, versionId: FORGED }] };
    const request = { prefix: 'scoped/', deployment: D, only: [], expand: [], exclude: [] };
    const gone: unknown = await deploymentRefs(store, { ...request, pin }).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(NotFoundError);
    expect((gone as Error).message).toContain(`B_KEY at org acme, project billing, domain production (version ${FORGED})`);
    // A pin whose versions are all there gets as far as the ARNs, which the local store has none of.
    const fine: unknown = await deploymentRefs(store, { ...request, pin: { file: FILE, secrets: [a, b] } }).catch((e: unknown) => e);
    expect(fine).toBeInstanceOf(UsageError);
    // Without --pinned, no version is checked.
    calls = [];
    await deploymentRefs(store, request).catch(() => undefined);
    expect(calls.filter((c) => c.startsWith('listVersions') || c.startsWith('describe'))).toEqual([]);
  });
});

/**
 * What every backend must do, run against each of them (local in a temp dir; AWS on moto).
 * Call `runStoreContract` from a test file; it defines one describe block.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, UsageError } from '../../src/errors.js';
import { scopePrefix, scopeTags, secretName } from '../../src/core/naming.js';
import { STAGE_CURRENT, STAGE_PREVIOUS, type SecretStore } from '../../src/store/types.js';

export interface ContractFixture {
  store: SecretStore;
  prefix: string;
  cleanup(): Promise<void>;
}

export function runStoreContract(label: string, make: () => Promise<ContractFixture>): void {
  describe(`store contract: ${label}`, () => {
    let f: ContractFixture;
    let org: string;
    const name = (key: string, project?: string, domain?: string) => secretName(f.prefix, { org, project, domain }, key);
    const create = (n: string, value: string | Uint8Array, extra: Record<string, string> = {}) => f.store.create({ name: n, value, tags: { ...extra }, description: 'd' });

    beforeAll(async () => {
      f = await make();
    });
    afterAll(async () => {
      await f?.cleanup();
    });
    // Each test gets its own org so tests never see each other's secrets.
    const freshOrg = () => {
      org = `o${randomUUID().slice(0, 8)}`;
    };

    it('creates, describes and reads a string value', async () => {
      freshOrg();
      const n = name('API_TOKEN');
      const tags = scopeTags({ org }, 'API_TOKEN');
      const { versionId } = await f.store.create({ name: n, value: 'tok-1', tags, description: 'the token' });
      const d = await f.store.describe(n);
      expect(d.name).toBe(n);
      expect(d.description).toBe('the token');
      expect(d.tags).toMatchObject(tags);
      expect(d.versions[versionId]).toContain(STAGE_CURRENT);
      expect(d.deletedAt).toBeUndefined();
      const r = await f.store.getValue(n);
      expect(r).toMatchObject({ name: n, value: 'tok-1', versionId });
    });

    it('keeps binary values binary', async () => {
      freshOrg();
      const bytes = new Uint8Array([0, 1, 2, 255, 254, 10, 13]);
      await create(name('BLOB'), bytes);
      const r = await f.store.getValue(name('BLOB'));
      expect(r.value).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(r.value as Uint8Array).equals(Buffer.from(bytes))).toBe(true);
    });

    it('refuses to create an existing name', async () => {
      freshOrg();
      await create(name('DUP'), 'a');
      const err = await f.store.create({ name: name('DUP'), value: 'b', tags: {} }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as ConflictError).reason).toBe('exists');
      expect((await f.store.getValue(name('DUP'))).value).toBe('a');
    });

    it('moves AWSCURRENT to a new version and keeps AWSPREVIOUS', async () => {
      freshOrg();
      const n = name('ROTATED');
      const v1 = (await create(n, 'one')).versionId;
      const v2 = (await f.store.putValue(n, 'two')).versionId;
      expect((await f.store.getValue(n)).value).toBe('two');
      expect((await f.store.getValue(n, { versionStage: STAGE_PREVIOUS })).value).toBe('one');
      expect((await f.store.getValue(n, { versionId: v1 })).value).toBe('one');
      const versions = await f.store.listVersions(n);
      const stages = Object.fromEntries(versions.map((v) => [v.versionId, v.stages]));
      expect(stages[v2]).toContain(STAGE_CURRENT);
      expect(stages[v1]).toContain(STAGE_PREVIOUS);
      const v3 = (await f.store.putValue(n, 'three')).versionId;
      const d = await f.store.describe(n);
      expect(d.versions[v3]).toContain(STAGE_CURRENT);
      expect(d.versions[v2]).toContain(STAGE_PREVIOUS);
      expect(d.versions[v1] ?? []).not.toContain(STAGE_PREVIOUS);
    });

    it('keeps a version that lost its stages readable by id, and lists it (deprecated, no stage)', async () => {
      freshOrg();
      const n = name('DEPRECATED');
      const v1 = (await create(n, 'first')).versionId;
      await f.store.putValue(n, 'second');
      const v3 = (await f.store.putValue(n, 'third')).versionId;
      expect((await f.store.getValue(n, { versionId: v1 })).value).toBe('first');
      const versions = await f.store.listVersions(n);
      expect(versions).toHaveLength(3);
      expect(versions.find((v) => v.versionId === v1)?.stages).toEqual([]);
      expect(versions.find((v) => v.versionId === v3)?.stages).toEqual([STAGE_CURRENT]);
      expect(Object.keys((await f.store.describe(n)).versions)).not.toContain(v1);
    });

    it('updates the description', async () => {
      freshOrg();
      await create(name('DESC'), 'x');
      await f.store.updateDescription(name('DESC'), 'new words');
      expect((await f.store.describe(name('DESC'))).description).toBe('new words');
    });

    it('reports missing secrets and versions as not found', async () => {
      freshOrg();
      await expect(f.store.describe(name('NOPE'))).rejects.toBeInstanceOf(NotFoundError);
      await expect(f.store.getValue(name('NOPE'))).rejects.toBeInstanceOf(NotFoundError);
      await expect(f.store.putValue(name('NOPE'), 'x')).rejects.toBeInstanceOf(NotFoundError);
      await expect(f.store.restore(name('NOPE'))).rejects.toBeInstanceOf(NotFoundError);
      await create(name('ONE'), 'x');
      await expect(f.store.getValue(name('ONE'), { versionStage: STAGE_PREVIOUS })).rejects.toBeInstanceOf(NotFoundError);
    });

    it('lists by prefix, exactly, across several prefixes', async () => {
      freshOrg();
      await create(name('A'), '1');
      await create(name('B', 'billing'), '2');
      await create(name('C', 'billing2'), '3');
      await create(name('D', 'billing', 'prod'), '4');
      const names = async (prefixes: string[]) => (await f.store.list(prefixes)).map((s) => s.name).sort();
      expect(await names([scopePrefix(f.prefix, { org, project: 'billing' })])).toEqual([name('B', 'billing')]);
      expect(await names([scopePrefix(f.prefix, { org }), scopePrefix(f.prefix, { org, project: 'billing', domain: 'prod' })])).toEqual(
        [name('A'), name('D', 'billing', 'prod')].sort(),
      );
      const all = await f.store.list([`${f.prefix}${org}/`]);
      expect(all).toHaveLength(4);
      expect((await f.store.listNames([scopePrefix(f.prefix, { org }), scopePrefix(f.prefix, { org, project: 'billing' })])).sort()).toEqual(
        [name('A'), name('B', 'billing')].sort(),
      );
      expect(all.every((s) => s.tags !== undefined)).toBe(true);
    });

    it('deletes with a recovery window, blocks re-create, restores', async () => {
      freshOrg();
      const n = name('GONE');
      await create(n, 'keep me');
      const { deletionDate } = await f.store.delete(n, { recoveryDays: 7 });
      expect(deletionDate).toBeInstanceOf(Date);
      expect((await f.store.describe(n)).deletedAt).toBeInstanceOf(Date);
      expect(await f.store.list([`${f.prefix}${org}/`])).toHaveLength(0);
      expect(await f.store.listNames([`${f.prefix}${org}/`])).toEqual([]);
      expect((await f.store.list([`${f.prefix}${org}/`], { includeDeleted: true })).map((s) => s.name)).toEqual([n]);
      const err = await f.store.create({ name: n, value: 'other', tags: {} }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as ConflictError).reason).toBe('scheduled-for-deletion');
      const read = await f.store.getValue(n).catch((e: unknown) => e);
      expect(read).toBeInstanceOf(ConflictError);
      await f.store.restore(n);
      expect(await f.store.listNames([`${f.prefix}${org}/`])).toEqual([n]);
      expect((await f.store.getValue(n)).value).toBe('keep me');
      expect((await f.store.describe(n)).deletedAt).toBeUndefined();
    });

    it('force-deletes at once', async () => {
      freshOrg();
      const n = name('NOW');
      await create(n, 'x');
      await f.store.delete(n, { force: true });
      await expect(f.store.describe(n)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('reads many values, reporting each missing one', async () => {
      freshOrg();
      const names = Array.from({ length: 45 }, (_, i) => name(`K${i}`));
      for (const [i, n] of names.entries()) await create(n, `value-${i}`);
      const missing = name('MISSING');
      const batch = await f.store.getValues([...names, missing]);
      expect(batch.values.size).toBe(45);
      expect(batch.values.get(names[44] as string)?.value).toBe('value-44');
      expect(batch.errors.get(missing)).toBeInstanceOf(NotFoundError);
    });

    it('writes many: creates and puts reported by name, a failed op writing nothing', async () => {
      freshOrg();
      await create(name('WM_OLD'), 'old');
      const result = await f.store.writeMany([
        { kind: 'create', input: { name: name('WM_NEW'), value: 'new', tags: { team: 'a' } } },
        { kind: 'put', name: name('WM_OLD'), value: 'newer' },
        { kind: 'create', input: { name: name('WM_OLD'), value: 'clash', tags: {} } },
        { kind: 'put', name: name('WM_MISSING'), value: 'x' },
      ]);
      expect([...result.written.keys()].sort()).toEqual([name('WM_NEW'), name('WM_OLD')].sort());
      expect(result.errors.get(name('WM_OLD'))).toBeInstanceOf(ConflictError);
      expect(result.errors.get(name('WM_MISSING'))).toBeInstanceOf(NotFoundError);
      expect((await f.store.getValue(name('WM_OLD'))).value).toBe('newer');
      expect((await f.store.getValue(name('WM_NEW'))).value).toBe('new');
      expect((await f.store.describe(name('WM_NEW'))).tags).toMatchObject({ team: 'a' });
      await expect(f.store.writeMany([{ kind: 'create', input: { name: name('WM_BIG'), value: 'x'.repeat(65_537), tags: {} } }])).rejects.toBeInstanceOf(UsageError);
    });

    it('enforces the value and description limits', async () => {
      freshOrg();
      await expect(create(name('EMPTY'), '')).rejects.toBeInstanceOf(UsageError);
      await expect(create(name('HUGE'), 'x'.repeat(65_537))).rejects.toBeInstanceOf(UsageError);
      await create(name('MAX'), 'y'.repeat(65_536));
      expect(((await f.store.getValue(name('MAX'))).value as string).length).toBe(65_536);
      await expect(f.store.create({ name: name('LONGDESC'), value: 'x', tags: {}, description: 'd'.repeat(2049) })).rejects.toBeInstanceOf(UsageError);
      await expect(f.store.delete(name('MAX'), { recoveryDays: 6 })).rejects.toBeInstanceOf(UsageError);
    });
  });
}

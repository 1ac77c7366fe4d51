/**
 * AwsStore.updateStage on moto behind the counting proxy: the local store's label rules refused in our
 * words before anything is sent (moto checks none of them), a label already in place not sent again, and
 * AWSCURRENT's move taking AWSPREVIOUS with it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError } from '../../../src/errors.js';
import type { SecretStore } from '../../../src/store/types.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { describeWithMoto, motoStore } from '../../helpers/moto.js';

describeWithMoto('AwsStore.updateStage (moto)', (moto) => {
  let proxy: FaultProxy;
  let store: SecretStore;
  let n = 0;
  let name: string;
  let ids: string[];
  beforeAll(async () => {
    proxy = await startFaultProxy(moto().endpoint);
    store = await motoStore(proxy.endpoint);
  });
  afterAll(async () => proxy?.close());
  beforeEach(async () => {
    name = `scoped/acme/_/_/STAGE_${++n}`;
    ids = [(await store.create({ name, value: 'v0', tags: {} })).versionId];
    for (let i = 1; i < 3; i++) ids.push((await store.putValue(name, `v${i}`)).versionId);
    proxy.reset();
  });
  const sent = () => proxy.counts.get('UpdateSecretVersionStage') ?? 0;
  const stages = async () => Object.fromEntries((await store.listVersions(name)).map((v) => [v.versionId, v.stages]));

  describe('refused before the request', () => {
    it('a stale `from` is a conflict (exit 4); an unknown version not found (exit 3)', async () => {
      await expect(store.updateStage(name, 'AWSCURRENT', { to: ids[0], from: ids[1] })).rejects.toBeInstanceOf(ConflictError);
      const missing = await store.updateStage(name, 'AWSCURRENT', { to: '00000000-0000-4000-8000-000000000000', from: ids[2] }).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(NotFoundError);
      expect((missing as NotFoundError).subject).toBe('version');
      expect(sent()).toBe(0);
    });

    it('the 21st label on a version (exit 4)', async () => {
      for (let i = 0; i < 19; i++) await store.updateStage(name, `l${i}`, { to: ids[2] });
      expect(sent()).toBe(19);
      await expect(store.updateStage(name, 'l19', { to: ids[2] })).rejects.toMatchObject({ reason: 'quota', exitCode: 4 });
      expect(sent()).toBe(19);
    });
  });

  it('a label already on the version is not sent again', async () => {
    await store.updateStage(name, 'scoped-pin-x', { to: ids[0] });
    await store.updateStage(name, 'scoped-pin-x', { to: ids[0] });
    expect(sent()).toBe(1);
    expect((await stages())[ids[0] as string]).toEqual(['scoped-pin-x']);
  });

  it('AWSCURRENT moved back: AWSPREVIOUS on the version it left, no new version', async () => {
    await store.updateStage(name, 'AWSCURRENT', { to: ids[0], from: ids[2] });
    expect(await stages()).toEqual({ [ids[2] as string]: ['AWSPREVIOUS'], [ids[1] as string]: [], [ids[0] as string]: ['AWSCURRENT'] });
  });
});

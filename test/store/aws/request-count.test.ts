/**
 * Resolving a deployment costs few requests: at most ceil(listed/100) ListSecrets pages +
 * ceil(keys/20) BatchGetSecretValue calls + 4, counted at a proxy in front of moto.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scopeTags, secretName } from '../../../src/core/naming.js';
import type { Scope } from '../../../src/core/scope.js';
import { readWinners, resolveKeys } from '../../../src/service/deployment.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { describeWithMoto, motoStore } from '../../helpers/moto.js';

const PREFIX = 'scoped/';
const deployment: Scope = { org: 'acme', project: 'billing', domain: 'prod' };
const scopes: Scope[] = [deployment, { org: 'acme', project: 'billing' }, { org: 'acme', domain: 'prod' }, { org: 'acme' }];

describeWithMoto('requests made to resolve a deployment', (moto) => {
  let proxy: FaultProxy;
  let listed = 0;
  beforeAll(async () => {
    const store = await motoStore(moto().endpoint);
    const put = async (scope: Scope, key: string) => {
      await store.create({ name: secretName(PREFIX, scope, key), value: `${key}@${scope.project ?? '_'}/${scope.domain ?? '_'}`, tags: scopeTags(scope, key) });
    };
    // 100 keys, 25 at each of the four scopes...
    for (let i = 0; i < 100; i++) await put(scopes[i % 4] as Scope, `KEY_${i}`);
    // ...15 of them shadowed at the org scope (listed, not read)...
    for (let i = 0; i < 60; i += 4) await put({ org: 'acme' }, `KEY_${i}`);
    listed = 115;
    // ...and neighbours that must not even be listed.
    await put({ org: 'acme', project: 'billing2' }, 'KEY_0');
    await put({ org: 'acme', project: 'billing', domain: 'staging' }, 'KEY_1');
    await put({ org: 'other' }, 'KEY_2');
    proxy = await startFaultProxy(moto().endpoint);
  });
  afterAll(async () => proxy?.close());

  it('100 keys over four scopes', async () => {
    const store = await motoStore(proxy.endpoint);
    proxy.reset();
    const resolved = await resolveKeys(store, PREFIX, deployment);
    const values = await readWinners(store, resolved);

    expect(resolved).toHaveLength(100);
    expect(values.size).toBe(100);
    expect(values.get('KEY_0')).toBe('KEY_0@billing/prod');
    expect(values.get('KEY_1')).toBe('KEY_1@billing/_');
    expect(values.get('KEY_2')).toBe('KEY_2@_/prod');
    expect(values.get('KEY_3')).toBe('KEY_3@_/_');
    expect(resolved.find((r) => r.key === 'KEY_0')?.shadowed.map((s) => s.scope)).toEqual([{ org: 'acme', project: undefined, domain: undefined }]);

    const bound = Math.ceil(listed / 100) + Math.ceil(100 / 20) + 4;
    expect(proxy.total()).toBeLessThanOrEqual(bound);
    expect(proxy.counts.get('BatchGetSecretValue')).toBe(5);
    expect(proxy.counts.get('ListSecrets')).toBeLessThanOrEqual(Math.ceil(listed / 100) + 1);
    expect([...proxy.counts.keys()].sort()).toEqual(['BatchGetSecretValue', 'ListSecrets']);
  });
});

/**
 * `refs --pinned` on AWS (moto, behind the request-counting proxy), through main: a pinned version that is
 * gone is exit 3 naming the key and the version, stdout empty; a deprecated one still kept passes. The
 * check is metadata only: one DescribeSecret per key (a link's on the target ARN its pin recorded, in its own region),
 * one ListSecretVersionIds only for a pinned version that carries no label now, and no value read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateSecretCommand, DeleteSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scopeTags, secretName } from '../../../src/core/naming.js';
import type { Scope } from '../../../src/core/scope.js';
import type { SecretStore } from '../../../src/store/types.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { sandbox, type Sandbox } from '../../helpers/io.js';
import { awsTestEnv, describeWithMoto, motoStore } from '../../helpers/moto.js';

const CANARY = 'canary-refs-pinned-versions-31c9';
const D: Scope = { org: 'acme', project: 'billing', domain: 'production' };
const FORGED = '00000000-0000-4000-8000-00000000dead';

interface PinDoc {
  secrets: { key: string; versionId: string }[];
}

describeWithMoto('refs --pinned checks that the pinned versions still exist (moto)', (moto) => {
  let proxy: FaultProxy;
  let store: SecretStore;
  let sb: Sandbox;
  let target: string;
  let eu: SecretsManagerClient;

  beforeAll(async () => {
    await moto().reset();
    store = await motoStore(moto().endpoint);
    await store.create({ name: secretName('scoped/', D, 'A_KEY'), value: `${CANARY}-a`, tags: scopeTags(D, 'A_KEY') });
    await store.create({ name: secretName('scoped/', { org: 'acme' }, 'B_KEY'), value: `${CANARY}-b`, tags: scopeTags({ org: 'acme' }, 'B_KEY') });
    // Another team's secret in another region, linked.
    eu = new SecretsManagerClient({ endpoint: moto().endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    target = (await eu.send(new CreateSecretCommand({ Name: 'platform/pinned-target', SecretString: `${CANARY}-target` }))).ARN as string;
    proxy = await startFaultProxy(moto().endpoint);
    sb = sandbox({ ...awsTestEnv(proxy.endpoint), SCOPED_BACKEND: 'aws', SCOPED_ORG: 'acme', SCOPED_PROJECT: 'billing', SCOPED_DOMAIN: 'production' });
    const linked = await sb.run(['link', 'secret', 'C_LINK', '--arn', target]);
    expect(linked.code, linked.stderr).toBe(0);
    const pinned = await sb.run(['pin', '--out', 'pin.json']);
    expect(pinned.code, pinned.stderr).toBe(0);
  }, 60_000);
  afterAll(async () => {
    sb?.cleanup();
    await proxy?.close();
    eu?.destroy();
  });

  const refs = async (file = 'pin.json') => {
    proxy.reset();
    const r = await sb.run(['refs', '--pinned', file, '--format', 'ecs']);
    expect(r.stdout + r.stderr).not.toContain(CANARY);
    return { ...r, counts: Object.fromEntries(proxy.counts) };
  };
  const pinDoc = () => JSON.parse(readFileSync(join(sb.dir, 'pin.json'), 'utf8')) as PinDoc;
  const forged = (key: string, versionId: string) => {
    const doc = pinDoc();
    for (const e of doc.secrets) if (e.key === key) e.versionId = versionId;
    writeFileSync(join(sb.dir, 'forged.json'), JSON.stringify(doc));
    return 'forged.json';
  };

  it('a fresh pin: one DescribeSecret per key (the link on its target), no version list, no value read', async () => {
    const r = await refs();
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as unknown[]).length).toBe(3);
    // No GetSecretValue: the pin records the link's target, so not even the link's record is read.
    expect(r.counts).toEqual({ ListSecrets: 1, DescribeSecret: 3 });
  });

  it('a pinned version two writes old (no label, still kept) passes, with one ListSecretVersionIds for it', async () => {
    await store.putValue(secretName('scoped/', D, 'A_KEY'), `${CANARY}-a1`);
    await store.putValue(secretName('scoped/', D, 'A_KEY'), `${CANARY}-a2`);
    const r = await refs();
    expect(r.code, r.stderr).toBe(0);
    expect(r.counts).toEqual({ ListSecrets: 1, DescribeSecret: 3, ListSecretVersionIds: 1 });
    const a = pinDoc().secrets.find((e) => e.key === 'A_KEY')?.versionId as string;
    expect((JSON.parse(r.stdout) as { name: string; valueFrom: string }[]).find((s) => s.name === 'A_KEY')?.valueFrom).toMatch(new RegExp(`:::${a}$`));
  });

  it('a pinned version that is gone: exit 3 naming the key, the version and the pin file; stdout empty', async () => {
    const r = await refs(forged('B_KEY', FORGED));
    expect([r.code, r.stdout]).toEqual([3, '']);
    expect(r.stderr).toContain(`pinned version of B_KEY at org acme (version ${FORGED}) no longer exists (deleted, or aged out of the secret's versions; pin file forged.json)`);
    expect(r.stderr).toMatch(/scoped pin/);
  });

  it("a link's target deleted since the pin: exit 3 naming its ARN", async () => {
    await eu.send(new DeleteSecretCommand({ SecretId: target, ForceDeleteWithoutRecovery: true }));
    const r = await refs();
    expect([r.code, r.stdout]).toEqual([3, '']);
    expect(r.stderr).toContain('C_LINK');
    expect(r.stderr).toContain(target);
  });
});

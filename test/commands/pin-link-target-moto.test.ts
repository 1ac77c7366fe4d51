/**
 * A pin records a link's target (ARN, and field), through main against moto behind the request-counting
 * proxy: `--pinned` reads a link with exactly one GetSecretValue (on the recorded target ARN at the pinned
 * version), a link retargeted (and its targets rotated) after the pin still gives the pinned bytes, `refs
 * --pinned` references the recorded ARN, a pin written before targets were recorded still reads (through
 * the link), `rollback --pinned` and `pin --protect` leave link entries alone and say so, and with the
 * value cache a warm pinned read of a link sends nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateSecretCommand, DescribeSecretCommand, ListSecretVersionIdsCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scopeTags, secretName } from '../../src/core/naming.js';
import type { Scope } from '../../src/core/scope.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { sandbox, type Sandbox } from '../helpers/io.js';
import { awsTestEnv, describeWithMoto, motoStore } from '../helpers/moto.js';

const CANARY = 'canary-pin-link-target-7e2a';
const D: Scope = { org: 'acme', project: 'billing', domain: 'production' };
const KEY = Buffer.alloc(32, 5).toString('base64');

interface PinDoc {
  secrets: { key: string; versionId: string; target?: { arn: string; field?: string } }[];
}

describeWithMoto('pin records a link target (moto)', (moto) => {
  let proxy: FaultProxy;
  let sb: Sandbox;
  let eu: SecretsManagerClient;
  let us: SecretsManagerClient;
  /** eu-west-1, JSON: DB_PASSWORD links its "password" field. */
  let rds: string;
  /** us-east-1: API_KEY links it whole, then is retargeted to `other`. */
  let shared: string;
  let other: string;
  let pinned: PinDoc;

  const client = (region: string) => new SecretsManagerClient({ endpoint: moto().endpoint, region, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const current = async (c: SecretsManagerClient, arn: string) =>
    Object.entries((await c.send(new DescribeSecretCommand({ SecretId: arn }))).VersionIdsToStages ?? {}).find(([, s]) => s.includes('AWSCURRENT'))?.[0];

  beforeAll(async () => {
    await moto().reset();
    const store = await motoStore(moto().endpoint);
    await store.create({ name: secretName('scoped/', D, 'A_KEY'), value: `${CANARY}-a`, tags: scopeTags(D, 'A_KEY') });
    eu = client('eu-west-1');
    us = client('us-east-1');
    rds = (await eu.send(new CreateSecretCommand({ Name: 'rds!db-0a1b-pin', SecretString: JSON.stringify({ username: 'admin', password: `${CANARY}-pw-1` }) }))).ARN as string;
    shared = (await us.send(new CreateSecretCommand({ Name: 'platform/pin-shared', SecretString: `${CANARY}-shared-1` }))).ARN as string;
    other = (await us.send(new CreateSecretCommand({ Name: 'platform/pin-other', SecretString: `${CANARY}-other-1` }))).ARN as string;
    proxy = await startFaultProxy(moto().endpoint);
    sb = sandbox({ ...awsTestEnv(proxy.endpoint), SCOPED_BACKEND: 'aws', SCOPED_ORG: 'acme', SCOPED_PROJECT: 'billing', SCOPED_DOMAIN: 'production', SCOPED_LOCAL_KEY: KEY });
    for (const argv of [
      ['link', 'secret', 'DB_PASSWORD', '--arn', rds, '--field', 'password', '-p', 'billing'],
      ['link', 'secret', 'API_KEY', '--arn', shared, '-p', 'billing', '-d', 'production'],
      ['pin', '--out', 'pin.json'],
    ]) {
      const r = await sb.run(argv);
      expect(r.code, r.stderr).toBe(0);
    }
    pinned = JSON.parse(readFileSync(join(sb.dir, 'pin.json'), 'utf8')) as PinDoc;
  }, 60_000);
  afterAll(async () => {
    sb?.cleanup();
    await proxy?.close();
    eu?.destroy();
    us?.destroy();
  });

  const run = async (argv: string[]) => {
    proxy.reset();
    const r = await sb.run(argv);
    expect(r.stderr).not.toContain(CANARY);
    return { ...r, counts: Object.fromEntries(proxy.counts) };
  };
  const entry = (doc: PinDoc, key: string) => doc.secrets.find((e) => e.key === key);
  const PINNED_VALUES = { A_KEY: `${CANARY}-a`, API_KEY: `${CANARY}-shared-1`, DB_PASSWORD: `${CANARY}-pw-1` };

  it("the pin records each link's target ARN (and field) beside the target's version id; an own secret records none", async () => {
    expect(entry(pinned, 'DB_PASSWORD')).toMatchObject({ versionId: await current(eu, rds), target: { arn: rds, field: 'password' } });
    expect(entry(pinned, 'API_KEY')).toMatchObject({ versionId: await current(us, shared), target: { arn: shared } });
    expect(entry(pinned, 'API_KEY')?.target).not.toHaveProperty('field');
    expect(entry(pinned, 'A_KEY')).not.toHaveProperty('target');
  });

  it('a pinned read sends exactly one GetSecretValue per key, links included, and nothing else', async () => {
    const r = await run(['export', '--pinned', 'pin.json', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(PINNED_VALUES);
    expect(r.counts).toEqual({ GetSecretValue: 3 });
  });

  it('targets rotated and a link retargeted after the pin: the pinned read still gives the pinned bytes, one request per key', async () => {
    await eu.send(new PutSecretValueCommand({ SecretId: rds, SecretString: JSON.stringify({ username: 'admin', password: `${CANARY}-pw-2` }) }));
    await us.send(new PutSecretValueCommand({ SecretId: shared, SecretString: `${CANARY}-shared-2` }));
    const relinked = await sb.run(['link', 'secret', 'API_KEY', '--arn', other, '-p', 'billing', '-d', 'production']);
    expect(relinked.code, relinked.stderr).toBe(0);
    // Unpinned: the new target and the rotated value.
    const now = await run(['export', '--format', 'json']);
    expect(now.code, now.stderr).toBe(0);
    expect(JSON.parse(now.stdout)).toEqual({ A_KEY: `${CANARY}-a`, API_KEY: `${CANARY}-other-1`, DB_PASSWORD: `${CANARY}-pw-2` });
    const r = await run(['export', '--pinned', 'pin.json', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(PINNED_VALUES);
    expect(r.counts).toEqual({ GetSecretValue: 3 });
  });

  it("refs --pinned references the recorded target ARN and version, not the link's current target; no value read", async () => {
    const r = await run(['refs', '--pinned', 'pin.json', '--format', 'ecs']);
    expect(r.code, r.stderr).toBe(0);
    const byName = new Map((JSON.parse(r.stdout) as { name: string; valueFrom: string }[]).map((s) => [s.name, s.valueFrom]));
    expect(byName.get('API_KEY')).toBe(`${shared}:::${entry(pinned, 'API_KEY')?.versionId}`);
    expect(byName.get('DB_PASSWORD')).toBe(`${rds}:password::${entry(pinned, 'DB_PASSWORD')?.versionId}`);
    expect(r.stdout).not.toContain(other);
    expect(r.counts.GetSecretValue).toBeUndefined();
  });

  it("policy --runtime --pinned allows the recorded target, not the link's current one", async () => {
    const r = await run(['policy', '--runtime', '--pinned', 'pin.json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(shared.slice(0, -7));
    expect(r.stdout).not.toContain(other.slice(0, -7));
  });

  it('a pin written before targets were recorded still reads through the link (a link not retargeted since gives its pinned version)', async () => {
    const old = { ...pinned, secrets: pinned.secrets.map(({ target: _t, ...e }) => e) };
    writeFileSync(join(sb.dir, 'old.json'), JSON.stringify(old));
    const r = await run(['export', '--pinned', 'old.json', '--format', 'json', '--only', 'DB_PASSWORD', '--only', 'A_KEY']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ A_KEY: `${CANARY}-a`, DB_PASSWORD: `${CANARY}-pw-1` });
    // What the recorded target fixes: without it, the retargeted link pairs its new target with the old version id.
    const broken = await run(['export', '--pinned', 'old.json', '--format', 'json', '--only', 'API_KEY']);
    expect([broken.code, broken.stdout]).toEqual([3, '']);
    // Said as what it is: a version the link's current target lacks, named by that ARN, and why.
    expect(broken.stderr).toBe(
      `scoped: cannot read API_KEY at org acme, project billing, domain production (a link, read through its current target): linked secret ${other} has no version ${entry(pinned, 'API_KEY')?.versionId}; the link was retargeted since the pin, or the version aged out (pin file old.json); pin the deployment again with: scoped pin, or deploy another pin\n`,
    );
  });

  it('rollback --pinned moves no link: the plan says so, and names the command that points a retargeted link back', async () => {
    const r = await run(['rollback', '--pinned', 'pin.json', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("a link: its target's versions are not scoped's to move, and it was retargeted since the pin");
    expect(r.stdout).toContain(`scoped link secret API_KEY --arn ${shared} --project billing --domain production`);
    expect(r.stdout).toMatch(/DB_PASSWORD\t.*a link: its target's versions are not scoped's to move \(--pinned reads still give pinned version/);
    expect(r.counts.UpdateSecretVersionStage).toBeUndefined();
  });

  it("pin --protect labels the own secrets' versions, never a link target's, and says which were left", async () => {
    const r = await run(['pin', '--out', 'protected.json', '--protect']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("not labelled, being links (scoped never writes to a link's target");
    expect(r.stderr).toMatch(/: API_KEY at org acme, project billing, domain production, DB_PASSWORD at org acme, project billing\n/);
    expect(r.counts.UpdateSecretVersionStage).toBe(1);
    for (const [c, arn] of [
      [eu, rds],
      [us, shared],
      [us, other],
    ] as const) {
      const versions = (await c.send(new ListSecretVersionIdsCommand({ SecretId: arn, IncludeDeprecated: true }))).Versions ?? [];
      expect(versions.flatMap((v) => v.VersionStages ?? []).filter((s) => s.startsWith('scoped-pin-'))).toEqual([]);
    }
    const un = await run(['pin', '--unprotect', 'protected.json']);
    expect(un.code, un.stderr).toBe(0);
    expect(un.stderr).toContain('Removed label');
  });

  it('on the local backend, a link to an AWS ARN is pinned with its target too: one GetSecretValue on AWS, the pinned bytes after a retarget', async () => {
    const local = sandbox({ ...awsTestEnv(proxy.endpoint), SCOPED_BACKEND: 'local', SCOPED_ORG: 'acme', SCOPED_LOCAL_KEY: KEY });
    try {
      const target = (await eu.send(new CreateSecretCommand({ Name: 'platform/local-pin-target', SecretString: `${CANARY}-local-1` }))).ARN as string;
      for (const argv of [
        ['create', 'secret', 'OWN', `${CANARY}-own`],
        ['link', 'secret', 'SHARED', '--arn', target],
        ['pin', '--out', 'local.json'],
        ['link', 'secret', 'SHARED', '--arn', other],
      ]) {
        const r = await local.run(argv);
        expect(r.code, r.stderr).toBe(0);
      }
      await eu.send(new PutSecretValueCommand({ SecretId: target, SecretString: `${CANARY}-local-2` }));
      const doc = JSON.parse(readFileSync(join(local.dir, 'local.json'), 'utf8')) as PinDoc;
      expect(entry(doc, 'SHARED')?.target).toEqual({ arn: target });
      proxy.reset();
      const r = await local.run(['export', '--pinned', 'local.json', '--format', 'json']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).not.toContain(CANARY);
      expect(JSON.parse(r.stdout)).toEqual({ OWN: `${CANARY}-own`, SHARED: `${CANARY}-local-1` });
      expect(Object.fromEntries(proxy.counts)).toEqual({ GetSecretValue: 1 });
    } finally {
      local.cleanup();
    }
  });

  it('with the value cache, a warm pinned read of a link sends no request: the target is kept by its ARN and version', async () => {
    const cold = await run(['export', '--pinned', 'pin.json', '--format', 'json', '--cache']);
    expect(cold.code, cold.stderr).toBe(0);
    expect(cold.counts).toEqual({ GetSecretValue: 3 });
    const warm = await run(['export', '--pinned', 'pin.json', '--format', 'json', '--cache']);
    expect(warm.code, warm.stderr).toBe(0);
    expect(JSON.parse(warm.stdout)).toEqual(PINNED_VALUES);
    expect(warm.counts).toEqual({});
  });
});

/**
 * History and rollback on the AWS backend (moto), through main, every change read back with the AWS CLI
 * (`list-secret-version-ids --include-deprecated`), which we did not write: versions newest first;
 * --previous and --to putting the right bytes back with no new version; a deployment rolled back to a pin
 * with a key created since; --dry-run changing nothing; protect labels surviving later updates and the
 * 20-label limit (moto does not enforce it: scoped does, as on the local store); `--who` from CloudTrail
 * (a mocked client: moto's LookupEvents does not record Secrets Manager's calls), its paging and its
 * AccessDenied line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CloudTrailClient, CloudTrailServiceException, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { scopeTags, secretName } from '../../src/core/naming.js';
import type { Scope } from '../../src/core/scope.js';
import type { SecretStore } from '../../src/store/types.js';
import { isCI } from '../helpers/ci.js';
import { sandbox, type Sandbox } from '../helpers/io.js';
import { awsTestEnv, describeWithMoto, motoStore } from '../helpers/moto.js';

const AWS_CLI = '/usr/bin/aws';
const CANARY = 'canary-rollback-moto-51aa';
const ORG: Scope = { org: 'acme' };
const ct = mockClient(CloudTrailClient);

interface CliVersion {
  VersionId: string;
  VersionStages?: string[];
}

describeWithMoto('history and rollback on AWS (moto)', (moto) => {
  let sb: Sandbox;
  let store: SecretStore;
  let n = 0;
  beforeAll(async () => {
    await moto().reset();
    store = await motoStore(moto().endpoint);
    sb = sandbox({ ...awsTestEnv(moto().endpoint), SCOPED_BACKEND: 'aws', SCOPED_ORG: 'acme' });
  }, 60_000);
  afterAll(() => sb?.cleanup());
  beforeEach(() => {
    ct.reset();
    n++;
  });

  /** The AWS CLI's view of a secret's versions, deprecated ones included: stages by version id. */
  function cliStages(name: string): Record<string, string[]> {
    if (!existsSync(AWS_CLI)) {
      if (isCI()) throw new Error(`${AWS_CLI} is required under CI: run scripts/install-test-tools.sh`);
      console.warn(`!! the AWS CLI's read-back is skipped: ${AWS_CLI} is missing (scripts/install-test-tools.sh installs it)`);
      return {};
    }
    const r = spawnSync(
      AWS_CLI,
      ['secretsmanager', 'list-secret-version-ids', '--secret-id', name, '--include-deprecated', '--endpoint-url', moto().endpoint, '--output', 'json'],
      {
        encoding: 'utf8',
        env: { ...awsTestEnv(moto().endpoint), PATH: process.env.PATH ?? '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', HOME: sb.dir },
      },
    );
    expect(r.status, r.stderr).toBe(0);
    return Object.fromEntries((JSON.parse(r.stdout) as { Versions: CliVersion[] }).Versions.map((v) => [v.VersionId, [...(v.VersionStages ?? [])].sort()]));
  }
  const cliOr = (name: string, expected: Record<string, string[]>) => {
    const seen = cliStages(name);
    if (Object.keys(seen).length > 0) expect(seen).toEqual(Object.fromEntries(Object.entries(expected).map(([k, v]) => [k, [...v].sort()])));
  };

  /** A key at org scope with five versions v0..v4 (ids oldest first). */
  async function fiveVersions(key: string): Promise<{ name: string; ids: string[] }> {
    const name = secretName('scoped/', ORG, key);
    const ids = [(await store.create({ name, value: `${CANARY}-v0`, tags: scopeTags(ORG, key) })).versionId];
    for (let i = 1; i < 5; i++) ids.push((await store.putValue(name, `${CANARY}-v${i}`)).versionId);
    return { name, ids };
  }

  async function ok(argv: string[]): Promise<string> {
    const r = await sb.run(argv);
    expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(CANARY);
    return r.stdout;
  }
  /**
   * The AWSCURRENT value, asked for by stage: moto's UpdateSecretVersionStage moves the labels but not the
   * version its GetSecretValue gives when no stage is named (`default_version_id`), which Secrets Manager
   * resolves by the label.
   */
  const current = async (name: string) => (await store.getValue(name, { versionStage: 'AWSCURRENT' })).value;
  const historyIds = async (key: string) => (JSON.parse(await ok(['history', 'secret', key, '-o', 'json'])) as { versions: { versionId: string; stages: string[] }[] }).versions;

  it('history: five versions newest first, with their stages', async () => {
    const key = `HIST_${n}`;
    const { name, ids } = await fiveVersions(key);
    const rows = await historyIds(key);
    expect(rows.map((r) => r.versionId)).toEqual([...ids].reverse());
    expect(rows.map((r) => r.stages)).toEqual([['AWSCURRENT'], ['AWSPREVIOUS'], [], [], []]);
    expect(Object.keys(cliStages(name)).sort()).toEqual(existsSync(AWS_CLI) ? [...ids].sort() : []);
  });

  it('rollback --previous and --to: the right bytes current, AWSPREVIOUS on the version replaced, no new version', async () => {
    const key = `ROLL_${n}`;
    const { name, ids } = await fiveVersions(key);
    const [v0, , , v3, v4] = ids as [string, string, string, string, string];
    await ok(['rollback', 'secret', key, '--previous', '--yes']);
    expect(await current(name)).toBe(`${CANARY}-v3`);
    cliOr(name, { [ids[0] as string]: [], [ids[1] as string]: [], [ids[2] as string]: [], [v3]: ['AWSCURRENT'], [v4]: ['AWSPREVIOUS'] });
    await ok(['rollback', 'secret', key, '--to', v0, '--yes']);
    expect(await current(name)).toBe(`${CANARY}-v0`);
    cliOr(name, { [v0]: ['AWSCURRENT'], [ids[1] as string]: [], [ids[2] as string]: [], [v3]: ['AWSPREVIOUS'], [v4]: [] });
    const unknown = await sb.run(['rollback', 'secret', key, '--to', '00000000-0000-4000-8000-000000000000', '--yes']);
    expect([unknown.code, unknown.stdout]).toEqual([3, '']);
    expect((await historyIds(key)).length).toBe(5);
  });

  it('a deployment back to its pin, a key created since left alone; --dry-run first changes nothing', async () => {
    const D = ['-p', `app${n}`, '-d', 'prod'];
    const set = (key: string, value: string, ...where: string[]) => sb.run(['set', 'secret', key, ...where], { stdin: value });
    for (const [k, w] of [
      ['LOG', []],
      ['DB', ['-p', `app${n}`]],
      ['STRIPE', D],
    ] as const)
      expect((await set(k, `${CANARY}-${k}-r1`, ...w)).code).toBe(0);
    await ok(['pin', ...D, '--out', join(sb.dir, `r1-${n}.pin.json`)]);
    for (const [k, w] of [
      ['LOG', []],
      ['DB', ['-p', `app${n}`]],
      ['STRIPE', D],
    ] as const)
      expect((await set(k, `${CANARY}-${k}-r2`, ...w)).code).toBe(0);
    expect((await set('NEW', `${CANARY}-new`, '-p', `app${n}`)).code).toBe(0);
    const stripe = secretName('scoped/', { org: 'acme', project: `app${n}`, domain: 'prod' }, 'STRIPE');
    const before = cliStages(stripe);
    const dry = await ok(['rollback', '--pinned', join(sb.dir, `r1-${n}.pin.json`), '--dry-run', '-o', 'json']);
    expect((JSON.parse(dry) as { createdSince: { key: string }[] }).createdSince.map((c) => c.key)).toEqual(['NEW']);
    expect(cliStages(stripe)).toEqual(before);
    await ok(['rollback', '--pinned', join(sb.dir, `r1-${n}.pin.json`), '--yes']);
    const at = (scope: Scope, key: string) => current(secretName('scoped/', scope, key));
    const app = `app${n}`;
    expect([
      await at(ORG, 'LOG'),
      await at({ org: 'acme', project: app }, 'DB'),
      await at({ org: 'acme', project: app, domain: 'prod' }, 'STRIPE'),
      await at({ org: 'acme', project: app }, 'NEW'),
    ]).toEqual([`${CANARY}-LOG-r1`, `${CANARY}-DB-r1`, `${CANARY}-STRIPE-r1`, `${CANARY}-new`]);
    const after = cliStages(stripe);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  });

  it('pin --protect: the label is on each pinned version (read back), the pin reads through it; --unprotect takes it off', async () => {
    const key = `PROT_${n}`;
    const { name, ids } = await fiveVersions(key);
    const p = await sb.run(['pin', '--out', join(sb.dir, `p-${n}.pin.json`), '--protect']);
    expect(p.code, p.stderr).toBe(0);
    const label = /label (scoped-pin-[0-9a-f]{12})/.exec(p.stderr)?.[1] as string;
    if (existsSync(AWS_CLI)) expect(cliStages(name)[ids[4] as string]).toEqual(['AWSCURRENT', label].sort());
    // Again: the label is where it should be, nothing is sent.
    expect((await sb.run(['pin', '--unprotect', join(sb.dir, `p-${n}.pin.json`)])).code).toBe(0);
    if (existsSync(AWS_CLI)) expect(cliStages(name)[ids[4] as string]).toEqual(['AWSCURRENT']);
  });

  // moto's PutSecretValue sets the old current version's labels to exactly [AWSPREVIOUS] (moto/secretsmanager/
  // models.py, FakeSecret.reset_default_version), so a pin's label on it is lost; Secrets Manager moves only
  // AWSCURRENT and AWSPREVIOUS. The local store keeps it (test/commands/rollback-pinned.test.ts, 105 updates).
  // Expected to fail until moto keeps other labels: then this passes and `.fails` must go.
  it.fails('pin --protect: the label survives later updates (moto drops it: see above)', async () => {
    const key = `SURV_${n}`;
    const { name, ids } = await fiveVersions(key);
    const p = await sb.run(['pin', '--out', join(sb.dir, `s-${n}.pin.json`), '--protect']);
    expect(p.code, p.stderr).toBe(0);
    const label = /label (scoped-pin-[0-9a-f]{12})/.exec(p.stderr)?.[1] as string;
    for (let i = 0; i < 3; i++) await store.putValue(name, `${CANARY}-later-${i}`);
    expect(cliStages(name)[ids[4] as string]).toEqual([label]);
  });

  it('the 20-label limit: refused in words (exit 4) before the request, naming what was labelled', async () => {
    await moto().reset();
    const { name } = await fiveVersions('FULL');
    for (let i = 0; i < 19; i++) await ok(['pin', '--out', join(sb.dir, `l${i}.pin.json`), '--protect']);
    const r = await sb.run(['pin', '--out', join(sb.dir, 'l19.pin.json'), '--protect']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('already carries 20 staging labels');
    expect(r.stderr).toContain('not labelled: FULL at org acme');
    if (existsSync(AWS_CLI)) expect(Object.values(cliStages(name)).find((s) => s.includes('AWSCURRENT'))).toHaveLength(20);
  });

  it('history --who: writers from CloudTrail pages (spaced, stopping when all are named); AccessDenied is one line', async () => {
    const key = `WHO_${n}`;
    const { name, ids } = await fiveVersions(key);
    const arn = (await store.describe(name)).arn as string;
    const event = (versionId: string, user: string) => ({ EventName: 'PutSecretValue', Username: user, CloudTrailEvent: JSON.stringify({ responseElements: { arn, versionId } }) });
    ct.on(LookupEventsCommand)
      .resolvesOnce({ Events: [event(ids[4] as string, 'eve'), event(ids[3] as string, 'dan'), event(ids[2] as string, 'cy')], NextToken: 'p2' })
      .resolvesOnce({ Events: [event(ids[1] as string, 'bob'), event(ids[0] as string, 'ana')], NextToken: 'p3' })
      .resolves({ Events: [] });
    const out = JSON.parse(await ok(['history', 'secret', key, '--who', '-o', 'json'])) as { versions: { createdBy: string }[] };
    expect(out.versions.map((v) => v.createdBy)).toEqual(['eve', 'dan', 'cy', 'bob', 'ana']);
    const calls = ct.commandCalls(LookupEventsCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.NextToken)).toEqual([undefined, 'p2']);
    expect(calls[0]?.LookupAttributes).toEqual([{ AttributeKey: 'ResourceName', AttributeValue: arn }]);

    ct.reset();
    ct.on(LookupEventsCommand).rejects(new CloudTrailServiceException({ name: 'AccessDeniedException', message: 'no', $fault: 'client', $metadata: { httpStatusCode: 400 } }));
    const denied = await sb.run(['history', 'secret', key, '--who']);
    expect(denied.code, denied.stderr).toBe(0);
    expect(denied.stdout.trimEnd().split('\n')).toHaveLength(5);
    expect(denied.stderr).toContain('needs cloudtrail:LookupEvents');
    expect(denied.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});

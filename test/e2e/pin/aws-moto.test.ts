/**
 * On AWS (moto, behind the fault proxy): a throttled BatchGetSecretValue gives way to per-key
 * GetSecretValue within the same read, through the real SDK and its retry strategy; `--pinned` reads by
 * version id with no listing, survives throttling, and names the key for a version that is gone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { describeWithMoto, motoStore } from '../../helpers/moto.js';
import { FLEET_DEPLOYMENT, jobEnv, runJob, seedDeployment } from './fleet.js';
import { resolveKeys, readWinners } from '../../../src/service/deployment.js';

describeWithMoto('pins and the cheaper quota on AWS (moto)', (moto) => {
  let proxy: FaultProxy;
  let home: string;
  let expected: Record<string, string>;
  beforeAll(async () => {
    await moto().reset();
    proxy = await startFaultProxy(moto().endpoint);
    expected = await seedDeployment(await motoStore(moto().endpoint), 45);
  });
  afterAll(() => proxy.close());
  beforeEach(() => {
    proxy.reset();
    home = mkdtempSync(join(tmpdir(), 'scoped-pin-aws-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('a throttled batch is not retried: its ids and the later batches are read per key, in the same read', async () => {
    const lines: string[] = [];
    const store = await motoStore(proxy.endpoint, { lines });
    const resolved = await resolveKeys(store, 'scoped/', FLEET_DEPLOYMENT);
    proxy.reset();
    proxy.inject({ kind: 'throttle' }, { ops: ['BatchGetSecretValue'] });
    const values = await readWinners(store, resolved);
    expect(Object.fromEntries(values)).toEqual(expected);
    // 45 keys are 3 batches, 4 at once: all three may have been sent before the first throttle came back.
    expect(proxy.counts.get('BatchGetSecretValue')).toBeLessThanOrEqual(3);
    expect(proxy.counts.get('GetSecretValue')).toBe(45);
    expect(lines.some((l) => /BatchGetSecretValue throttled: reading the rest one by one/.test(l))).toBe(true);
    expect(lines.join('\n')).not.toContain('canary');
  });

  it('per-key reads are still retried when throttled (until the deadline)', async () => {
    // Standard mode: retries without the adaptive limiter's pacing, which is not what this test is about.
    const store = await motoStore(proxy.endpoint, { random: () => 0, env: { AWS_RETRY_MODE: 'standard' } });
    const resolved = await resolveKeys(store, 'scoped/', FLEET_DEPLOYMENT);
    proxy.reset();
    proxy.inject({ kind: 'throttle' }, { ops: ['BatchGetSecretValue'] });
    proxy.inject({ kind: 'throttle' }, { ops: ['GetSecretValue'], times: 20 });
    const values = await readWinners(store, resolved);
    expect(values.size).toBe(45);
    expect(proxy.counts.get('GetSecretValue')).toBe(65);
  });

  it('--pinned makes one GetSecretValue per key by version id and nothing else, and rides out throttling', async () => {
    const pin = await runJob(['pin', '--out', 'p.json'], jobEnv(home, moto().endpoint), home);
    expect([pin.code, pin.stdout]).toEqual([0, '']);
    proxy.inject({ kind: 'throttle' }, { ops: ['GetSecretValue'], times: 10 });
    const r = await runJob(['export', '--format', 'json', '--pinned', 'p.json'], jobEnv(home, proxy.endpoint), home);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout)).toEqual(expected);
    expect([...proxy.counts.keys()]).toEqual(['GetSecretValue']);
    expect(proxy.counts.get('GetSecretValue')).toBe(55);
    // --debug says what was read and how, never a value.
    const debug = await runJob(['export', '--pinned', 'p.json', '--debug'], jobEnv(home, moto().endpoint), home);
    expect(debug.code).toBe(0);
    expect(debug.stderr).toMatch(/45 key\(s\) pinned in p.json \(created .*\); read by version id, no listing/);
    expect(debug.stderr).toMatch(/aws GetSecretValue 1 value/);
    expect(debug.stderr).not.toContain('canary');
  }, 60_000);

  it('a version that is gone is exit 3 naming the key and the pin; a secret scheduled for deletion exit 4 naming restore', async () => {
    const pin = await runJob(['pin', '--out', '-'], jobEnv(home, moto().endpoint), home);
    const doc = JSON.parse(pin.stdout);
    const first = doc.secrets[0];
    first.versionId = '00000000-0000-4000-8000-000000000000';
    writeFileSync(join(home, 'old.json'), JSON.stringify(doc));
    const gone = await runJob(['export', '--pinned', 'old.json'], jobEnv(home, moto().endpoint), home);
    expect([gone.code, gone.stdout]).toEqual([3, '']);
    expect(gone.stderr).toMatch(new RegExp(`${first.key} at org acme.*: pinned version 00000000-0000-4000-8000-000000000000 no longer exists .*\\(pin file old.json\\)`));
    const flags = ['-p', 'billing', '-d', 'production'];
    const del = await runJob(['delete', 'secret', 'KEY_000', ...flags, '--yes'], jobEnv(home, moto().endpoint), home);
    expect(del.code).toBe(0);
    writeFileSync(join(home, 'p.json'), pin.stdout);
    const scheduled = await runJob(['export', '--pinned', 'p.json'], jobEnv(home, moto().endpoint), home);
    expect([scheduled.code, scheduled.stdout]).toEqual([4, '']);
    expect(scheduled.stderr).toMatch(
      /KEY_000 at org acme, project billing, domain production: scheduled for deletion \(pin file p.json\); undo that with: scoped restore secret KEY_000 --project billing --domain production/,
    );
    await runJob(['restore', 'secret', 'KEY_000', ...flags], jobEnv(home, moto().endpoint), home);
  }, 60_000);
});

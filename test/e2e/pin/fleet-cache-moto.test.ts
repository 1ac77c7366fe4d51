/**
 * A fleet of 50 pinned jobs (`scoped export --pinned --cache`, the built binary) on one machine with a warm
 * value cache: together they send Secrets Manager zero requests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithMoto, motoStore } from '../../helpers/moto.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { jobEnv, runFleet, runJob, seedDeployment } from './fleet.js';

const JOBS = 50;
const KEYS = 20;

describeWithMoto('a fleet of pinned jobs with a warm cache (moto behind a counting proxy)', (moto) => {
  let home: string;
  let expected: Record<string, string>;
  let proxy: FaultProxy;
  beforeAll(async () => {
    await moto().reset();
    home = mkdtempSync(join(tmpdir(), 'scoped-fleet-cache-'));
    expected = await seedDeployment(await motoStore(moto().endpoint), KEYS);
    proxy = await startFaultProxy(moto().endpoint);
  });
  afterAll(async () => {
    await proxy.close();
    rmSync(home, { recursive: true, force: true });
  });

  it(`${JOBS} jobs send zero requests once one job has read the pin`, async () => {
    const env = jobEnv(home, proxy.endpoint, { SCOPED_LOCAL_KEY: Buffer.alloc(32, 8).toString('base64'), SCOPED_CACHE: '1' });
    expect((await runJob(['pin', '--out', 'p.json'], env, home)).code).toBe(0);
    const first = await runJob(['export', '--format', 'json', '--pinned', 'p.json'], env, home);
    expect([first.code, first.stderr]).toEqual([0, '']);
    expect(proxy.counts.get('GetSecretValue')).toBe(KEYS);
    proxy.reset();
    const { results } = await runFleet(JOBS, ['--pinned', 'p.json'], env, home);
    expect(
      results
        .filter((r) => r.code !== 0)
        .map((r) => r.stderr.trim())
        .slice(0, 3),
    ).toEqual([]);
    for (const r of results) {
      expect(JSON.parse(r.stdout)).toEqual(expected);
      expect(r.stderr).toBe('');
    }
    expect(proxy.total()).toBe(0);
  });
});

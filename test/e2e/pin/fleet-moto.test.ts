/**
 * Issue 13's fleet: 30+ concurrent CI jobs (`scoped export` of a 21-key deployment, the built binary) against
 * moto behind a proxy that enforces Secrets Manager's quotas scaled down (3/s ListSecrets and
 * BatchGetSecretValue, 300/s GetSecretValue). Unpinned jobs must all succeed (retries until the deadline,
 * per-key reads when the batch quota throttles); pinned jobs must all succeed with no listing and no batch.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithMoto, motoStore } from '../../helpers/moto.js';
import { SCALED_RATES, startRateProxy, type RateProxy } from '../../helpers/rate-proxy.js';
import { jobEnv, runFleet, runJob, seedDeployment } from './fleet.js';

const JOBS = 32;
const KEYS = 21;

describeWithMoto('a fleet of jobs under Secrets Manager quotas (moto behind a rate proxy)', (moto) => {
  let home: string;
  let expected: Record<string, string>;
  let proxy: RateProxy | undefined;
  beforeAll(async () => {
    await moto().reset();
    home = mkdtempSync(join(tmpdir(), 'scoped-fleet-'));
    expected = await seedDeployment(await motoStore(moto().endpoint), KEYS);
  });
  afterAll(async () => {
    await proxy?.close();
    rmSync(home, { recursive: true, force: true });
  });

  const check = (results: { code: number | null; stdout: string; stderr: string }[]) => {
    const failed = results.filter((r) => r.code !== 0);
    expect(failed.map((r) => r.stderr.trim()).slice(0, 3)).toEqual([]);
    for (const r of results) {
      expect(JSON.parse(r.stdout)).toEqual(expected);
      expect(r.stderr).not.toContain('canary');
      expect(r.stderr).not.toMatch(/Warning/);
    }
  };

  it(`${JOBS} unpinned jobs all exit 0 with the right values, though the proxy throttles them`, async () => {
    proxy = await startRateProxy(moto().endpoint, SCALED_RATES, { lifetimeMs: 300_000 });
    const { results } = await runFleet(JOBS, [], jobEnv(home, proxy.endpoint, { SCOPED_TIMEOUT: '150' }), home);
    check(results);
    // The quotas were really met: throttled listings, and batches that gave way to per-key reads.
    expect(proxy.counts.get('ListSecrets')?.throttled ?? 0).toBeGreaterThan(0);
    expect(proxy.counts.get('GetSecretValue')?.passed ?? 0).toBeGreaterThan(0);
    await proxy.close();
    proxy = undefined;
  }, 180_000);

  it(`${JOBS} pinned jobs all exit 0 with the pinned values, with no listing and no batch`, async () => {
    const pin = await runJob(['pin', '--out', '-'], jobEnv(home, moto().endpoint), home);
    expect([pin.code, pin.stderr]).toEqual([0, '']);
    expect(pin.stdout).not.toContain('canary');
    writeFileSync(join(home, 'release.pin.json'), pin.stdout);
    proxy = await startRateProxy(moto().endpoint, SCALED_RATES, { lifetimeMs: 300_000 });
    // Up to 256 reads in flight (8 per job) meet one moto process while 32 Node processes start beside it on
    // two cores: on a loaded machine a read can wait in moto's queue past the 5 s attempt limit, three times
    // in a row, until the start-up burst is over (AWS itself is not on the jobs' machine). More attempts
    // (10, 50 s of them) ride that burst out; throttling is capped at 10 too, which the 300/s quota never
    // comes near here. What is counted below is calls, however many attempts each took.
    const env = jobEnv(home, proxy.endpoint, { SCOPED_TIMEOUT: '150', AWS_MAX_ATTEMPTS: '10' });
    const { results } = await runFleet(JOBS, ['--pinned', 'release.pin.json'], env, home);
    check(results);
    expect(proxy.counts.get('ListSecrets')).toBeUndefined();
    expect(proxy.counts.get('BatchGetSecretValue')).toBeUndefined();
    // One call per key and job. (Attempts may be more: see above; the SDK sends a call again under the
    // same invocation id.)
    expect(proxy.counts.get('GetSecretValue')?.calls.size).toBe(JOBS * KEYS);
  }, 180_000);
});

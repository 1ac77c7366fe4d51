/**
 * A fleet of CI jobs under Secrets Manager's quotas: JOBS concurrent `scoped export` runs of a 21-key
 * deployment (the built binary) against moto behind the rate proxy, which enforces the quotas scaled down
 * 33x (3/s ListSecrets and BatchGetSecretValue, 300/s GetSecretValue), unpinned and pinned.
 *
 * Two figures per mode: the jobs a second this machine finished (on a small machine, starting Node is the
 * limit once the quotas are not), and the quota ceiling, from the calls a job made per operation: the
 * most jobs a second those calls fit into the scaled quotas. The ceiling times 33 is the figure per AWS
 * account and region; docs/benchmarks.md quotes it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AWS_RATES, SCALED_RATES, startRateProxy } from '../test/helpers/rate-proxy.js';
import { jobEnv, runFleet, runJob, seedDeployment } from '../test/e2e/pin/fleet.js';
import { startMoto, storeFor } from './aws.js';
import type { Row } from './run.js';

const JOBS = Number(process.env.BENCH_FLEET_JOBS ?? 30);
const KEYS = 21;
type Op = keyof typeof SCALED_RATES;

/** The most jobs a second whose calls (per job, per operation) fit into `rates`. */
function ceiling(perJob: Partial<Record<Op, number>>, rates: Record<Op, number>): number {
  return Math.min(...Object.entries(perJob).map(([op, n]) => (n > 0 ? rates[op as Op] / n : Number.POSITIVE_INFINITY)));
}

async function fleet(mode: string, endpoint: string, home: string, args: string[]): Promise<{ row: Row; perJob: Partial<Record<Op, number>>; awsCeiling: number }> {
  const proxy = await startRateProxy(endpoint, SCALED_RATES, { lifetimeMs: 600_000 });
  try {
    const { results, seconds } = await runFleet(JOBS, args, jobEnv(home, proxy.endpoint, { SCOPED_TIMEOUT: '300' }), home);
    const failed = results.filter((r) => r.code !== 0);
    if (failed.length > 0) throw new Error(`${mode}: ${failed.length} of ${JOBS} jobs failed: ${failed[0]?.stderr.trim()}`);
    const perJob: Partial<Record<Op, number>> = {};
    for (const op of Object.keys(SCALED_RATES) as Op[]) perJob[op] = (proxy.counts.get(op)?.passed ?? 0) / JOBS;
    const limit = ceiling(perJob, SCALED_RATES);
    const calls = Object.entries(perJob)
      .filter(([, n]) => n > 0)
      .map(([op, n]) => `${n.toFixed(1)} ${op}`)
      .join(', ');
    const row: Row = {
      group: `fleet: ${JOBS} jobs, ${KEYS} keys, quotas / 33`,
      what: `${mode} export (${calls} per job; ${proxy.throttled()} throttled)`,
      median: JOBS / seconds,
      unit: 'jobs/s',
      baseline: 'quota ceiling',
      baselineMedian: limit,
      ratio: JOBS / seconds / limit,
    };
    return { row, perJob, awsCeiling: ceiling(perJob, AWS_RATES) };
  } finally {
    await proxy.close();
  }
}

export interface FleetFigures {
  rows: Row[];
  /** Jobs a second per AWS account and region that each mode's calls fit into. */
  awsCeiling: Record<string, number>;
  perJob: Record<string, Partial<Record<Op, number>>>;
}

export async function benchFleet(): Promise<FleetFigures> {
  const moto = await startMoto();
  const home = mkdtempSync(join(tmpdir(), 'scoped-bench-fleet-'));
  try {
    await seedDeployment((await storeFor(moto.endpoint, 'acme')).store, KEYS);
    const pin = await runJob(['pin', '--out', 'release.pin.json'], jobEnv(home, moto.endpoint), home);
    if (pin.code !== 0) throw new Error(`pin failed: ${pin.stderr}`);
    const unpinned = await fleet('unpinned', moto.endpoint, home, []);
    const pinned = await fleet('pinned', moto.endpoint, home, ['--pinned', 'release.pin.json']);
    return {
      rows: [unpinned.row, pinned.row],
      awsCeiling: { unpinned: unpinned.awsCeiling, pinned: pinned.awsCeiling },
      perJob: { unpinned: unpinned.perJob, pinned: pinned.perJob },
    };
  } finally {
    moto.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

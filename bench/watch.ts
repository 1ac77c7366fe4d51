/**
 * `run --watch` on AWS: requests per re-check of a watched deployment (21 keys over four scopes, the
 * built binary, moto behind the fault proxy that counts requests), unpinned and pinned. A count, not a
 * time: the figure is requests per interval per watched deployment, against its bound (one listing page
 * and one DescribeSecret per key; none with a pin).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFaultProxy } from '../test/helpers/fault-proxy.js';
import { jobEnv, runJob, seedDeployment } from '../test/e2e/pin/fleet.js';
import { startMoto, storeFor } from './aws.js';
import type { Row } from './run.js';

const KEYS = 21;
const CHECKS = 5;
const BIN = join(resolve(import.meta.dirname, '..'), 'bin', 'scoped.cjs');

/** Runs a watched child until CHECKS re-checks passed (counted by their --debug lines); requests per re-check. */
async function perCheck(
  env: Record<string, string>,
  home: string,
  args: string[],
  counts: () => Map<string, number>,
  reset: () => void,
): Promise<{ requests: number; ops: string }> {
  const p = spawn(
    process.execPath,
    [BIN, 'run', '--watch', '--interval', '200ms', '--jitter', '0', '--debug', ...args, '--', process.execPath, '-e', 'setInterval(() => {}, 1000)'],
    {
      cwd: home,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  let seen = 0;
  let from = Number.POSITIVE_INFINITY;
  const done = new Promise<void>((resolve, reject) => {
    p.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      const n = (stderr.match(/next re-check/g) ?? []).length;
      // The first line comes before the first re-check: count from there.
      if (n >= 1 && from === Number.POSITIVE_INFINITY) {
        reset();
        from = n;
      }
      seen = n - from;
      if (seen >= CHECKS) resolve();
    });
    p.on('close', (code) => reject(new Error(`watched run ended (${code}): ${stderr}`)));
  });
  await done;
  const snapshot = new Map(counts());
  p.kill('SIGTERM');
  const total = [...snapshot.values()].reduce((a, b) => a + b, 0);
  const ops = [...snapshot.entries()].map(([op, n]) => `${(n / seen).toFixed(1)} ${op}`).join(', ');
  return { requests: total / seen, ops: ops || 'none' };
}

export async function benchWatch(): Promise<Row[]> {
  const moto = await startMoto();
  const proxy = await startFaultProxy(moto.endpoint);
  const home = mkdtempSync(join(tmpdir(), 'scoped-bench-watch-'));
  try {
    await seedDeployment((await storeFor(moto.endpoint, 'acme')).store, KEYS);
    const env = jobEnv(home, proxy.endpoint);
    const pin = await runJob(['pin', '--out', 'release.pin.json'], jobEnv(home, moto.endpoint), home);
    if (pin.code !== 0) throw new Error(`pin failed: ${pin.stderr}`);
    const rows: Row[] = [];
    for (const [mode, args, bound] of [
      ['unpinned', [], KEYS + 1],
      ['pinned', ['--pinned', 'release.pin.json'], 0],
    ] as const) {
      const r = await perCheck(
        env,
        home,
        [...args],
        () => proxy.counts,
        () => proxy.reset(),
      );
      rows.push({
        group: `run --watch: ${KEYS} keys, requests per re-check`,
        what: `${mode} (${r.ops})`,
        median: r.requests,
        unit: 'requests',
        baseline: mode === 'pinned' ? 'none (the pin file)' : '1 listing + 1 DescribeSecret per key',
        // The bound itself (0 with a pin); the ratio is against at least 1 request.
        baselineMedian: bound,
        ratio: r.requests / Math.max(bound, 1),
        target: `<= ${bound}`,
        met: r.requests <= bound,
      });
    }
    return rows;
  } finally {
    await proxy.close();
    moto.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

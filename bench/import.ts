/**
 * `npm run bench -- import`: bulk import. The local store: a fresh import of N keys (default 10,000) into
 * one scope, and the same import again (all unchanged). AWS: 500 keys through the request-counting proxy
 * in front of moto, fresh and again, with the requests per operation. The built binary each time.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFaultProxy } from '../test/helpers/fault-proxy.js';
import { startMoto } from './aws.js';
import type { Row } from './run.js';

/** The children's stdout: /dev/null opened for writing (a closed stdout is an error for a data command). */
const DEV_NULL = openSync('/dev/null', 'w');
const BIN = join(resolve(import.meta.dirname, '..'), 'bin', 'scoped.cjs');
const LOCAL_KEYS = Number(process.env.BENCH_IMPORT_KEYS ?? 10_000);
const AWS_KEYS = 500;
/** A run past this is reported as not finished rather than waited for. */
const CAP_MS = Number(process.env.BENCH_IMPORT_CAP_MS ?? 120_000);

export interface ImportFigures {
  rows: Row[];
  /** AWS: requests per operation of the fresh import and of the re-run. */
  awsRequests: { fresh: Record<string, number>; again: Record<string, number> } | undefined;
}

/** Wall time of one binary run (async: the counting proxy lives in this process). */
function timed(args: string[], env: Record<string, string | undefined>): Promise<{ ms: number; code: number | null; stderr: string }> {
  return new Promise((done) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', DEV_NULL, 'pipe'], timeout: CAP_MS });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    child.on('close', (code) => done({ ms: performance.now() - t0, code, stderr }));
  });
}

function envFile(dir: string, n: number): string {
  const file = join(dir, 'bench.env');
  writeFileSync(file, Array.from({ length: n }, (_, i) => `KEY_${i}="value-${i}-${randomBytes(12).toString('hex')}"\n`).join(''));
  return file;
}

/** Node's own start-up, the baseline every row is put against (median of 5). */
async function nodeStartMs(): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await new Promise((done) => spawn(process.execPath, ['-e', '0']).on('close', done));
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[2] as number;
}

function row(group: string, what: string, r: { ms: number; code: number | null }, target: string, limitMs: number, nodeMs: number): Row {
  const finished = r.code === 0;
  return {
    group,
    what: finished ? what : `${what} (did not finish within ${CAP_MS / 1000} s)`,
    median: r.ms,
    unit: 'ms',
    baseline: 'node -e 0',
    baselineMedian: nodeMs,
    ratio: r.ms / nodeMs,
    target,
    met: finished && r.ms <= limitMs,
  };
}

async function local(nodeMs: number): Promise<Row[]> {
  const dir = mkdtempSync(join(tmpdir(), 'scoped-bench-import-'));
  const env = { ...process.env, SCOPED_HOME: join(dir, 'home'), SCOPED_LOCAL_KEY: randomBytes(32).toString('base64'), SCOPED_ORG: 'acme', SCOPED_BACKEND: 'local' };
  const file = envFile(dir, LOCAL_KEYS);
  const group = `import, local store, ${LOCAL_KEYS.toLocaleString('en-US')} keys`;
  try {
    const fresh = await timed(['import', file, '-p', 'billing', '-d', 'production'], env);
    const rows = [row(group, 'scoped import FILE (all new)', fresh, '<= 5 s', 5_000, nodeMs)];
    if (fresh.code === 0)
      rows.push(row(group, 'scoped import FILE again (all unchanged)', await timed(['import', file, '-p', 'billing', '-d', 'production'], env), '<= 5 s', 5_000, nodeMs));
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function aws(endpoint: string, nodeMs: number): Promise<{ rows: Row[]; fresh: Record<string, number>; again: Record<string, number> }> {
  const proxy = await startFaultProxy(endpoint);
  const dir = mkdtempSync(join(tmpdir(), 'scoped-bench-import-aws-'));
  const env = {
    ...process.env,
    HOME: dir,
    SCOPED_BACKEND: 'aws',
    SCOPED_ORG: 'benchimport',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: proxy.endpoint,
  };
  const file = envFile(dir, AWS_KEYS);
  const group = `import, aws (moto), ${AWS_KEYS} keys`;
  try {
    proxy.reset();
    const first = await timed(['import', file, '-p', 'billing'], env);
    const fresh = Object.fromEntries(proxy.counts);
    proxy.reset();
    const second = await timed(['import', file, '-p', 'billing'], env);
    const again = Object.fromEntries(proxy.counts);
    const requests = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
    // One write per new key plus the listing; a re-run lists and reads in batches of 20, and writes nothing.
    const bounds = [AWS_KEYS + 5, Math.ceil(AWS_KEYS / 20) + 5];
    const runs = [
      [`scoped import FILE (all new): ${requests(fresh)} requests`, first, fresh],
      [`scoped import FILE again (all unchanged): ${requests(again)} requests`, second, again],
    ] as const;
    const rows = runs.map(([what, r, counts], i) => {
      const bound = bounds[i] as number;
      return { ...row(group, what, r, `<= ${bound} requests`, Number.POSITIVE_INFINITY, nodeMs), met: r.code === 0 && requests(counts) <= bound };
    });
    return { rows, fresh, again };
  } finally {
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchImport(): Promise<ImportFigures> {
  const nodeMs = await nodeStartMs();
  const rows = await local(nodeMs);
  const moto = await startMoto();
  try {
    const a = await aws(moto.endpoint, nodeMs);
    return { rows: [...rows, ...a.rows], awsRequests: { fresh: a.fresh, again: a.again } };
  } finally {
    moto.stop();
  }
}

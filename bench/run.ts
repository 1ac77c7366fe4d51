/**
 * `npm run bench`: scoped against baselines measured in the same run. Every figure is a ratio against
 * its baseline: median of RUNS runs after WARMUP warm-up runs. Prints a table and writes
 * bench/results.json with the machine's description. Not part of `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir, release } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalStore } from '../src/store/local/local-store.js';
import { scopeTags, secretName } from '../src/core/naming.js';
import type { Scope } from '../src/core/scope.js';
import { benchAws, type AwsFigures } from './aws.js';
import { benchFleet } from './fleet.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'scoped.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const WARMUP = 2;

export interface Row {
  group: string;
  what: string;
  median: number;
  unit: string;
  baseline: string;
  baselineMedian: number;
  ratio: number;
  target?: string | undefined;
  met?: boolean | undefined;
}

const rows: Row[] = [];
const extras: Record<string, unknown> = {};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

type Cmd = [string, string[]];

/** One run's wall time in ms. Fails loudly if the command fails. */
function once([cmd, args]: Cmd, env: Record<string, string | undefined>): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return ms;
}

/**
 * Medians of a baseline and a subject, run alternately (WARMUP, then RUNS of each), so both see the
 * same machine: on a shared 2-core VM the speed drifts by tens of percent within a minute.
 */
function pair(base: Cmd, subject: Cmd, env: Record<string, string | undefined> = process.env): { base: number; subject: number } {
  for (let i = 0; i < WARMUP; i++) {
    once(base, env);
    once(subject, env);
  }
  const b: number[] = [];
  const t: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    b.push(once(base, env));
    t.push(once(subject, env));
  }
  return { base: median(b), subject: median(t) };
}

const NODE: Cmd = [process.execPath, ['-e', '0']];
const scoped = (...args: string[]): Cmd => [process.execPath, [BIN, ...args]];

function add(row: Omit<Row, 'ratio' | 'met'>, targetRatio?: number): void {
  const ratio = row.median / row.baselineMedian;
  rows.push({ ...row, ratio, met: targetRatio === undefined ? undefined : ratio <= targetRatio });
}

function startup(): void {
  const cases: [string, string[], number][] = [
    ['scoped --version', ['--version'], 1.3],
    ['scoped --help', ['--help'], 1.3],
    ['scoped completion bash', ['completion', 'bash'], 1.5],
    ['scoped __complete (dynamic: --project values)', ['__complete', 'bash', '--', 'get', 'secret', '--project', ''], 1.5],
  ];
  const home = mkdtempSync(join(tmpdir(), 'scoped-bench-start-'));
  const env = { ...process.env, SCOPED_HOME: home, SCOPED_LOCAL_KEY: randomBytes(32).toString('base64') };
  for (const [what, args, target] of cases) {
    const m = pair(NODE, scoped(...args), env);
    add({ group: 'start-up', what, median: m.subject, unit: 'ms', baseline: 'node -e 0', baselineMedian: m.base, target: `<= ${target}x` }, target);
  }
  rmSync(home, { recursive: true, force: true });
}

const SCOPES = (i: number): Scope =>
  [{ org: 'acme' }, { org: 'acme', domain: 'production' }, { org: 'acme', project: 'billing' }, { org: 'acme', project: 'billing', domain: 'production' }][i % 4] as Scope;

async function localStore(n: number): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), `scoped-bench-${n}-`));
  const key = randomBytes(32).toString('base64');
  const store = new LocalStore({ home, envKey: key });
  // Keys spread over the four scopes of the deployment, plus other projects so resolve must filter.
  const inputs = Array.from({ length: n }, (_, i) => {
    const scope = i % 10 < 4 ? SCOPES(i) : { org: 'acme', project: `p${i % 50}`, domain: i % 2 ? 'staging' : undefined };
    const k = `KEY_${i}`;
    return { name: secretName('scoped/', scope, k), value: `value-${i}-${randomBytes(12).toString('hex')}`, tags: scopeTags(scope, k) };
  });
  for (let i = 0; i < inputs.length; i += 5000) await store.createMany(inputs.slice(i, i + 5000));
  const env = { ...process.env, SCOPED_HOME: home, SCOPED_LOCAL_KEY: key, SCOPED_ORG: 'acme' };
  const cases: [string, string[], number | undefined][] = [
    ['get secret --all', ['get', 'secret', '--all'], undefined],
    ['resolve -p billing -d production', ['resolve', '-p', 'billing', '-d', 'production'], n >= 10_000 ? 3 : undefined],
    ['get secret KEY_3 --reveal', ['get', 'secret', 'KEY_3', '-p', 'billing', '-d', 'production', '--reveal'], undefined],
  ];
  for (const [what, args, target] of cases) {
    const m = pair(NODE, scoped(...args), env);
    add(
      {
        group: `local store, ${n.toLocaleString('en-US')} secrets`,
        what,
        median: m.subject,
        unit: 'ms',
        baseline: 'node -e 0',
        baselineMedian: m.base,
        target: target === undefined ? undefined : `<= ${target}x`,
      },
      target,
    );
  }
  extras[`localStoreBytes_${n}`] = statSync(join(home, 'store.json')).size;
  rmSync(home, { recursive: true, force: true });
}

function runOverhead(): void {
  const home = mkdtempSync(join(tmpdir(), 'scoped-bench-run-'));
  const env = { ...process.env, SCOPED_HOME: home, SCOPED_LOCAL_KEY: randomBytes(32).toString('base64'), SCOPED_ORG: 'acme' };
  for (let i = 0; i < 20; i++) {
    spawnSync(process.execPath, [BIN, 'create', 'secret', `K${i}`, '--from-file', '-'], { env, input: `v${i}-value` });
  }
  const truePath = '/bin/true';
  const vsTrue = pair([truePath, []], scoped('run', '--', truePath), env);
  rows.push({ group: 'run', what: 'scoped run -- true (20 secrets)', median: vsTrue.subject, unit: 'ms', baseline: 'true', baselineMedian: vsTrue.base, ratio: vsTrue.subject / vsTrue.base, target: '<= +80 ms', met: vsTrue.subject - vsTrue.base <= 80 });
  // Node's own start-up is most of that; what scoped adds on top of it:
  const vsNode = pair(NODE, scoped('run', '--', truePath), env);
  rows.push({ group: 'run', what: 'scoped run -- true (20 secrets)', median: vsNode.subject, unit: 'ms', baseline: 'node -e 0', baselineMedian: vsNode.base, ratio: vsNode.subject / vsNode.base, target: '(+ms over Node)', met: undefined });
  extras.runAddedMs = vsTrue.subject - vsTrue.base;
  extras.runAddedOverNodeMs = vsNode.subject - vsNode.base;
  rmSync(home, { recursive: true, force: true });
}

function machine(): Record<string, unknown> {
  return {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${process.platform} ${release()}`,
    node: process.version,
    date: new Date().toISOString(),
    runs: RUNS,
    warmup: WARMUP,
  };
}

function print(aws: AwsFigures[]): void {
  const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  const lines = ['| group | what | median | baseline | ratio | target | met |', '|---|---|---|---|---|---|---|'];
  for (const r of rows) {
    lines.push(
      `| ${r.group} | ${r.what} | ${fmt(r.median)} ${r.unit} | ${r.baseline} ${fmt(r.baselineMedian)} ${r.unit === 'jobs/s' ? r.unit : 'ms'} | ${r.ratio.toFixed(2)}x | ${r.target ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : 'NO'} |`,
    );
  }
  for (const a of aws) {
    lines.push(
      `| aws resolve, ${a.keys} keys (${a.listed} secrets, +${a.latencyMs} ms/request) | scoped: ${a.scopedRequests} requests | ${fmt(a.scopedMs)} ms | naive: ${a.naiveRequests} requests, ${fmt(a.naiveMs)} ms | ${(a.scopedMs / a.naiveMs).toFixed(3)}x (${(a.naiveMs / a.scopedMs).toFixed(1)}x faster) | ${a.keys === 100 ? '<= 10 requests, >= 10x faster' : ''} | ${a.keys === 100 ? (a.scopedRequests <= 10 && a.naiveMs / a.scopedMs >= 10 ? 'yes' : 'NO') : ''} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  for (const [k, v] of Object.entries(extras)) process.stdout.write(`${k}: ${typeof v === 'number' ? fmt(v) : String(v)}\n`);
}

async function mainBench(): Promise<void> {
  const only = process.argv.slice(2);
  const want = (part: string) => only.length === 0 || only.includes(part);
  if (want('startup')) startup();
  if (want('local')) {
    await localStore(1_000);
    await localStore(10_000);
  }
  const aws = want('aws') ? await benchAws([100, 1_000]) : [];
  if (want('run')) runOverhead();
  if (want('fleet')) {
    const fleet = await benchFleet();
    rows.push(...fleet.rows);
    extras.fleetJobsPerSecondPerAwsRegion = Object.entries(fleet.awsCeiling).map(([mode, n]) => `${mode} ${Math.floor(n)}`).join(', ');
  }
  print(aws);
  const out = { machine: machine(), rows, aws, extras };
  writeFileSync(join(ROOT, 'bench', only.length === 0 ? 'results.json' : 'results.partial.json'), `${JSON.stringify(out, null, 2)}\n`);
}

await mainBench();

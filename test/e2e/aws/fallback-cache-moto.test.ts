/**
 * When Secrets Manager is slow, failing or gone (the built binary against moto behind the fault proxy):
 * --fallback uses the last-known-good values on a 500 or a silent endpoint, with one warning naming
 * their age, never on a 403 and never past --max-age; --offline reads only them; a pinned read with a
 * warm --cache sends no request and loads no SDK code, even with the endpoint gone. Nothing under the
 * cache folder holds a value in clear, and every file there is 0600.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { describeWithMoto, motoStore } from '../../helpers/moto.js';
import { BIN } from '../../helpers/bin.js';
import { jobEnv, seedDeployment, type JobResult } from '../pin/fleet.js';

const KEY = Buffer.alloc(32, 5).toString('base64');

/**
 * One run of the binary (async: the proxy answers from this process), killed after `killMs`: a bound for
 * a hung run, not a timing assertion, so far above what a run takes on a loaded machine (each run's own
 * --timeout, or the default 60 s, bounds its time with Secrets Manager).
 */
function scoped(args: string[], env: Record<string, string>, cwd: string, nodeArgs: string[] = [], killMs = 120_000): Promise<JobResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const kill = setTimeout(() => child.kill('SIGKILL'), killMs);
    child.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every file under `dir`, folders included, with its mode. */
function walk(dir: string): { path: string; mode: number; dir: boolean }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    const here = { path, mode: statSync(path).mode & 0o777, dir: e.isDirectory() };
    return e.isDirectory() ? [here, ...walk(path)] : [here];
  });
}

const warnings = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('warning:'));

/**
 * Per test: each one runs the built binary two to seven times (Node and, cold, the AWS SDK, each time), a
 * few seconds apiece on a loaded machine, where vitest's 30 s default was met.
 */
const SLOW = 180_000;

describeWithMoto('cache, fallback and offline on AWS (moto behind the fault proxy)', (moto) => {
  let proxy: FaultProxy;
  let home: string;
  let expected: Record<string, string>;
  let env: Record<string, string>;
  beforeAll(async () => {
    await moto().reset();
    proxy = await startFaultProxy(moto().endpoint);
    expected = await seedDeployment(await motoStore(moto().endpoint), 6);
  });
  afterAll(() => proxy.close());
  beforeEach(() => {
    proxy.reset();
    home = mkdtempSync(join(tmpdir(), 'scoped-fallback-'));
    // Standard retries: a 500 is given up on after a few attempts, well within --timeout.
    env = jobEnv(home, proxy.endpoint, { SCOPED_LOCAL_KEY: KEY, AWS_RETRY_MODE: 'standard' });
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const exportJson = (extra: string[] = [], o: { env?: Record<string, string> } = {}) => scoped(['export', '--format', 'json', ...extra], { ...env, ...o.env }, home);

  async function warm(extra: string[] = []): Promise<void> {
    const r = await exportJson(['--fallback', ...extra]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout)).toEqual(expected);
  }

  it('on a 500 the last-known-good values are used, with one warning naming their age; without --fallback, exit 6', { timeout: SLOW }, async () => {
    await warm();
    proxy.inject({ kind: 'server-error' });
    const plain = await exportJson(['--timeout', '10']);
    expect([plain.code, plain.stdout]).toEqual([6, '']);
    const r = await exportJson(['--fallback', '--timeout', '10']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expected);
    expect(warnings(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/^warning: Secrets Manager is unavailable: using the last-known-good values of org acme, project billing, domain production, read \d+s ago \(.+\)\n$/);
    expect(r.stderr).not.toContain('canary');
    expect(proxy.total()).toBeGreaterThan(0);
  });

  it('a silent endpoint (time limit) falls back too', { timeout: SLOW }, async () => {
    await warm();
    proxy.inject({ kind: 'hang' });
    const r = await exportJson(['--fallback', '--timeout', '2']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expected);
    expect(warnings(r.stderr)).toHaveLength(1);
    expect(r.stderr).toMatch(/last-known-good values of .* read \d+s ago/);
  });

  it('throttled past the retries, run and a pinned render fall back too (each with its own snapshot)', { timeout: SLOW }, async () => {
    await warm();
    const pin = await scoped(['pin', '--out', 'p.json'], env, home);
    expect(pin.code, pin.stderr).toBe(0);
    writeFileSync(join(home, 't.tpl'), 'k={{ secret "KEY_001" }}\n');
    const pinned = await scoped(['render', 't.tpl', '--pinned', 'p.json', '--fallback'], env, home);
    expect([pinned.code, pinned.stderr, pinned.stdout]).toEqual([0, '', `k=${expected.KEY_001}\n`]);
    proxy.inject({ kind: 'throttle' });
    const run = await scoped(
      ['run', '--fallback', '--timeout', '3', '--', 'sh', '-c', 'test "$KEY_001" = "$WANT" && echo same'],
      { ...env, WANT: expected.KEY_001 as string },
      home,
    );
    expect([run.code, run.stdout]).toEqual([0, 'same\n']);
    expect(warnings(run.stderr)).toHaveLength(1);
    expect(run.stderr).toMatch(/last-known-good values of org acme, project billing, domain production, read/);
    const render = await scoped(['render', 't.tpl', '--pinned', 'p.json', '--fallback', '--timeout', '3'], env, home);
    expect([render.code, render.stdout]).toEqual([0, `k=${expected.KEY_001}\n`]);
    expect(warnings(render.stderr)).toHaveLength(1);
    expect(render.stderr).toMatch(/last-known-good values of org acme, project billing, domain production \(pinned\), read/);
  });

  it('an XML 403 (a revoked role, a proxy policy) never falls back: exit 5, nothing on stdout, no warning', { timeout: SLOW }, async () => {
    await warm();
    proxy.inject({
      kind: 'raw',
      status: 403,
      contentType: 'text/xml',
      body: '<?xml version="1.0"?><Error><Code>AccessDenied</Code><Message>User is not authorized</Message></Error>',
    });
    const r = await exportJson(['--fallback', '--timeout', '10']);
    expect([r.code, r.stdout]).toEqual([5, '']);
    expect(warnings(r.stderr)).toEqual([]);
    expect(r.stderr).toMatch(/access denied/i);
    const json403 = { kind: 'error', status: 400, type: 'AccessDeniedException' } as const;
    proxy.reset();
    proxy.inject(json403);
    const denied = await exportJson(['--fallback']);
    expect([denied.code, denied.stdout, warnings(denied.stderr)]).toEqual([5, '', []]);
  });

  it('values older than --max-age are not used: the original error, and a hint saying they are too old', { timeout: SLOW }, async () => {
    await warm();
    // The snapshot ages past the smallest --max-age (1s).
    await new Promise((r) => setTimeout(r, 1500));
    proxy.inject({ kind: 'server-error' });
    const r = await exportJson(['--fallback', '--max-age', '1s', '--timeout', '10']);
    expect([r.code, r.stdout]).toEqual([6, '']);
    expect(warnings(r.stderr)).toEqual([]);
    expect(r.stderr).toMatch(/the last-known-good values are \d+(\.\d+)?s old, older than --max-age 1s, so they were not used/);
    // Within a generous bound, they are used.
    const ok = await exportJson(['--fallback', '--max-age', '1h', '--timeout', '10']);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it('--offline reads only the snapshot (no request), and exits 3 naming the deployment when there is none', { timeout: SLOW }, async () => {
    const none = await exportJson(['--offline']);
    expect([none.code, none.stdout]).toEqual([3, '']);
    expect(none.stderr).toMatch(/no last-known-good values of org acme, project billing, domain production on this machine \(--offline\)/);
    await warm();
    proxy.reset();
    const r = await exportJson(['--offline']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout)).toEqual(expected);
    expect(proxy.total()).toBe(0);
  });

  it('a warm --cache serves a pinned read with no request and no SDK code, also with the emulator gone', { timeout: SLOW }, async () => {
    // An endpoint of its own, to be killed: the cache is keyed by the endpoint, so the same one.
    const own = await startFaultProxy(moto().endpoint);
    const at = { env: { AWS_ENDPOINT_URL_SECRETS_MANAGER: own.endpoint } };
    try {
      const pin = await scoped(['pin', '--out', 'p.json'], { ...env, ...at.env }, home);
      expect(pin.code, pin.stderr).toBe(0);
      const cold = await exportJson(['--pinned', 'p.json', '--cache'], at);
      expect([cold.code, cold.stderr]).toEqual([0, '']);
      expect(JSON.parse(cold.stdout)).toEqual(expected);
      own.reset();
      const warmRun = await exportJson(['--pinned', 'p.json'], { env: { ...at.env, SCOPED_CACHE: '1' } });
      expect([warmRun.code, warmRun.stderr]).toEqual([0, '']);
      expect(JSON.parse(warmRun.stdout)).toEqual(expected);
      expect(own.total()).toBe(0);
    } finally {
      await own.close();
    }
    // Without the cache, the dead endpoint is an error: the test below is not passing by accident.
    const uncached = await exportJson(['--pinned', 'p.json', '--timeout', '5'], at);
    expect([uncached.code, uncached.stdout]).toEqual([6, '']);
    // The bundle holds the SDK inline, evaluated lazily; what its code needs first (Node's HTTP stack)
    // is required through Module._load, which a preload reports. A module hook cannot see inside the bundle.
    const preload = join(home, 'report-requires.cjs');
    writeFileSync(
      preload,
      "const M = require('node:module'); const load = M._load; M._load = function (r, ...a) { process.stderr.write('require ' + r + '\\n'); return load.call(this, r, ...a); };\n",
    );
    const run = (extra: string[]) => scoped(['export', '--format', 'json', '--pinned', 'p.json', ...extra], { ...env, ...at.env }, home, ['--require', preload]);
    const required = (stderr: string) => [...stderr.matchAll(/^require (.+)$/gm)].map((m) => m[1] as string);
    const AWS_ONLY = ['node:http', 'node:https', 'node:http2', 'node:zlib', 'node:stream', 'http', 'https'];
    // Without the cache the SDK is loaded (and finds nothing listening).
    const needs = await run(['--timeout', '5']);
    expect([needs.code, needs.stdout]).toEqual([6, '']);
    expect(required(needs.stderr)).toContain('node:https');
    const gone = await run(['--cache']);
    expect(gone.code, gone.stderr).toBe(0);
    expect(gone.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('require '))).toEqual([]);
    expect(required(gone.stderr).length).toBeGreaterThan(0);
    // (The bundle may keep the SDK in a file of its own, sdk.cjs: not that either.)
    expect(required(gone.stderr).filter((r) => AWS_ONLY.includes(r) || r.includes('@aws-sdk') || r.includes('@smithy') || r.endsWith('sdk.cjs'))).toEqual([]);
    expect(JSON.parse(gone.stdout)).toEqual(expected);
  });

  it('nothing under the cache folder holds a value in clear; folders are 0700, files 0600', { timeout: SLOW }, async () => {
    await warm();
    const pin = await scoped(['pin', '--out', 'p.json'], env, home);
    expect(pin.code).toBe(0);
    expect((await exportJson(['--pinned', 'p.json', '--cache', '--fallback'])).code).toBe(0);
    const root = join(home, '.cache', 'scoped');
    const entries = walk(root).filter((e) => !e.path.includes(`${join(root, 'code')}`));
    expect(entries.filter((e) => !e.dir).length).toBeGreaterThanOrEqual(Object.keys(expected).length + 2);
    for (const e of entries) expect([e.path, e.mode]).toEqual([e.path, e.dir ? 0o700 : 0o600]);
    for (const e of walk(root).filter((x) => !x.dir)) {
      const bytes = readFileSync(e.path);
      for (const value of Object.values(expected)) {
        expect(bytes.includes(value), e.path).toBe(false);
        expect(bytes.includes(Buffer.from(value, 'utf16le')), e.path).toBe(false);
      }
      expect(bytes.includes('canary')).toBe(false);
    }
    const clear = await scoped(['cache', 'clear'], env, home);
    expect(clear.code, clear.stderr).toBe(0);
    expect(readdirSync(root).filter((d) => d !== 'code')).toEqual([]);
  });
});

/**
 * `--regions` failover and `run --watch` with the built binary on moto, behind fault proxies: a 500, a
 * 403 and a silent endpoint in the first region, both regions down, writes to the primary only; a watched
 * child restarted with the new value, a failed re-check that keeps it, and a watch that outlives --timeout
 * (each re-check has the whole limit).
 */
import { spawn } from 'node:child_process';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { BIN, binSandbox } from '../../helpers/bin.js';
import { awsTestEnv, describeWithMoto } from '../../helpers/moto.js';
import { startRegionRouter, type RegionRouter } from '../../helpers/region-router.js';
import { callsOf, startOpSequenceProxy } from '../../helpers/op-sequence-proxy.js';

const EAST = 'us-east-1';
const WEST = 'us-west-2';
const NAME = 'scoped/acme/_/_/TOKEN';

describeWithMoto('--regions and run --watch on moto (built binary)', (moto) => {
  let sb: ReturnType<typeof binSandbox>;
  let router: RegionRouter;
  let env: Record<string, string>;
  beforeAll(async () => {
    router = await startRegionRouter(moto().endpoint, [EAST, WEST]);
  });
  afterAll(() => router.close());
  beforeEach(async () => {
    await moto().reset();
    for (const p of Object.values(router.proxies)) p.reset();
    sb = binSandbox();
    env = { ...awsTestEnv(router.endpoint), SCOPED_BACKEND: 'aws', SCOPED_ORG: 'acme' };
    // The "replica" in each region, with a value that tells which region answered.
    for (const region of [EAST, WEST]) {
      const c = new SecretsManagerClient({ region, endpoint: moto().endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      await c.send(new CreateSecretCommand({ Name: NAME, SecretString: `value-from-${region}`, Tags: [{ Key: 'scoped:key', Value: 'TOKEN' }] }));
      c.destroy();
    }
    for (const p of Object.values(router.proxies)) p.reset();
  });
  afterEach(() => sb.cleanup());
  /** Async, not spawnSync: the proxies live in this process and must keep answering while scoped runs. */
  const scoped = (args: string[], o: { stdin?: string } = {}) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [BIN, ...args], { cwd: sb.home, env: { ...sb.env, ...env }, stdio: 'pipe' });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
      p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      p.on('close', (code) => resolve({ code, stdout, stderr }));
      p.stdin.end(o.stdin ?? '');
    });
  const count = (region: string) => router.proxies[region]!.total();

  it('reads from the first region when it answers, and never asks the second', async () => {
    const r = await scoped(['export', '--regions', `${EAST},${WEST}`]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('value-from-us-east-1');
    expect(count(WEST)).toBe(0);
  });

  it('a 500 from the first region: the read goes to the second, with one debug line per failover naming the regions', async () => {
    router.proxies[EAST]!.inject({ kind: 'server-error' });
    const r = await scoped(['export', '--regions', `${EAST},${WEST}`, '--debug']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("TOKEN='value-from-us-west-2'\n");
    expect(r.stderr).toMatch(new RegExp(`region ${EAST} unavailable; reading from ${WEST} instead`));
    expect(r.stderr).not.toContain('value-from');
    expect(count(WEST)).toBeGreaterThan(0);
  });

  it('a 403 from the first region: no failover, exit 5', async () => {
    router.proxies[EAST]!.inject({ kind: 'error', status: 400, type: 'AccessDeniedException', message: 'not allowed' });
    const r = await scoped(['export', '--regions', `${EAST},${WEST}`]);
    expect(r.code, r.stderr).toBe(5);
    expect(r.stdout).toBe('');
    expect(count(WEST)).toBe(0);
  });

  it('a silent first region with a short --timeout: its share of the time runs out and the second answers', async () => {
    router.proxies[EAST]!.inject({ kind: 'hang' });
    // 19 s: the first region's share (half of what is left once the store is built, 5 to 9.5 s however slow
    // the start) ends during its second 5 s attempt, never after a third; the second region then has as long
    // for its listing and half of the rest (about 4 s) for each later read. With 4, that was under a second,
    // which moto on a loaded machine can take.
    const r = await scoped(['export', '--regions', `${EAST},${WEST}`, '--timeout', '19', '--debug']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("TOKEN='value-from-us-west-2'\n");
    expect(r.stderr).toContain(`region ${EAST} took its share of the time limit; reading from ${WEST} instead`);
  }, 90_000);

  it('a first region throttling past its share of a short --timeout: the second answers', async () => {
    router.proxies[EAST]!.inject({ kind: 'throttle' });
    // 16 s: the first region's share (half) holds a retry: a back-off under 1 s, then the limiter's wait, under
    // 2 s; the second region then has that long for its listing and half of the rest for each later read (with
    // 8, about 2 s on a loaded machine, where moto can take longer).
    const r = await scoped(['export', '--regions', `${EAST},${WEST}`, '--timeout', '16', '--debug']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("TOKEN='value-from-us-west-2'\n");
    expect(r.stderr).toMatch(new RegExp(`region ${EAST} (took its share of the time limit|unavailable); reading from ${WEST} instead`));
    expect(router.proxies[EAST]!.counts.get('ListSecrets')).toBeGreaterThan(1); // retried before moving on
  }, 90_000);

  it('both regions down: exit 6 naming both', async () => {
    router.proxies[EAST]!.inject({ kind: 'server-error' });
    router.proxies[WEST]!.inject({ kind: 'server-error' });
    const r = await scoped(['export', '--regions', `${EAST},${WEST}`]);
    expect(r.code, r.stderr).toBe(6);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`in every region tried: ${EAST}, ${WEST}`);
  });

  it('writes go to the primary (first) region only, even when it fails', async () => {
    const ok = await scoped(['set', 'secret', 'TOKEN', '--regions', `${WEST},${EAST}`, '--from-file', '-'], { stdin: 'new-west' });
    expect(ok.code, ok.stderr).toBe(0);
    expect(router.proxies[WEST]!.counts.get('PutSecretValue')).toBe(1);
    expect(router.proxies[EAST]!.counts.get('PutSecretValue')).toBeUndefined();
    router.proxies[WEST]!.inject({ kind: 'server-error' }, { ops: ['PutSecretValue'] });
    const down = await scoped(['set', 'secret', 'TOKEN', '--regions', `${WEST},${EAST}`, '--from-file', '-'], { stdin: 'newer-west' });
    expect(down.code).toBe(6);
    expect(router.proxies[EAST]!.counts.get('PutSecretValue')).toBeUndefined();
  });

  it('refuses a bad or repeated region in --regions (exit 2)', async () => {
    expect((await scoped(['export', '--regions', 'us-east-1,nowhere'])).code).toBe(2);
    const twice = await scoped(['export', '--regions', 'us-east-1,us-east-1']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('named twice');
  });

  it('run --watch restarts the child with the new value; a failing re-check (500s) keeps it and warns once', async () => {
    const out = join(sb.home, 'events.txt');
    writeFileSync(out, '');
    // In front of the router: the order of the watcher's calls, to tell one re-check from the next.
    const seq = await startOpSequenceProxy(router.endpoint);
    const script = `require('fs').appendFileSync(process.env.OUT, 'start ' + process.pid + ' ' + process.env.TOKEN + '\\n'); setInterval(() => {}, 1000);`;
    const p = spawn(process.execPath, [BIN, 'run', '--watch', '--interval', '200ms', '--jitter', '0', '--debug', '--', process.execPath, '-e', script], {
      cwd: sb.home,
      env: { ...sb.env, ...env, AWS_ENDPOINT_URL_SECRETS_MANAGER: seq.endpoint, OUT: out },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const done = new Promise<number | null>((resolve) => p.on('close', (code) => resolve(code)));
    const starts = () =>
      readFileSync(out, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('start '));
    // A bound for a hung run, not a timing assertion: generous, as each step spawns Node on a busy machine.
    const until = async (ok: () => boolean, what: string) => {
      const deadline = Date.now() + 60_000;
      while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (!ok()) throw new Error(`hang guard: never saw ${what}; stderr: ${stderr}`);
    };
    const rechecksSince = (at: number) => (stderr.slice(at).match(/next re-check/g) ?? []).length;
    try {
      await until(() => starts().length === 1, 'the first start');
      expect(starts()[0]).toMatch(/ value-from-us-east-1$/);
      // Re-checks fail: 500s on every request; the child stays, one warning however many re-checks fail.
      router.proxies[EAST]!.inject({ kind: 'server-error' });
      await until(() => /re-check \d+ of the deployment failed/.test(stderr), 'the warning');
      const at = stderr.length;
      await until(() => rechecksSince(at) >= 3, 'three more re-checks');
      expect(stderr.match(/re-check \d+ of the deployment failed/g)).toHaveLength(1);
      expect(starts()).toHaveLength(1);
      router.proxies[EAST]!.reset();
      expect((await scoped(['set', 'secret', 'TOKEN', '--from-file', '-'], { stdin: 'rotated-east' })).code).toBe(0);
      await until(() => starts().length === 2, 'a restart');
      expect(starts()[1]).toMatch(/ rotated-east$/);
      // Per re-check on AWS: one ListSecrets and one DescribeSecret per winner (here one key), and no value
      // read. A re-check may be in flight as the window opens (its DescribeSecret comes first) and as it closes.
      const from = seq.ops.length;
      const before = stderr.length;
      await until(() => rechecksSince(before) >= 4, 'four quiet re-checks');
      p.kill('SIGTERM');
      expect(await done).toBe(143);
      const calls = callsOf(seq.ops.slice(from)).map((o) => o.op);
      expect(calls.join(' ')).toMatch(/^(DescribeSecret )?(ListSecrets DescribeSecret ?)+(ListSecrets)?$/);
      expect(calls.filter((op) => op === 'ListSecrets').length).toBeGreaterThanOrEqual(2);
      expect(stderr).not.toMatch(/value-from|rotated-east/);
    } finally {
      if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
      await seq.close();
    }
  }, 240_000);

  it('run --watch outlives --timeout: each re-check has the whole limit, so a change made after it is still seen', async () => {
    const out = join(sb.home, 'events.txt');
    writeFileSync(out, '');
    const script = `require('fs').appendFileSync(process.env.OUT, 'start ' + process.env.TOKEN + '\\n'); setInterval(() => {}, 1000);`;
    const p = spawn(process.execPath, [BIN, 'run', '--watch', '--interval', '200ms', '--jitter', '0', '--timeout', '5', '--', process.execPath, '-e', script], {
      cwd: sb.home,
      env: { ...sb.env, ...env, OUT: out },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const done = new Promise<number | null>((resolve) => p.on('close', (code) => resolve(code)));
    const starts = () =>
      readFileSync(out, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('start '));
    const until = async (ok: () => boolean, what: string) => {
      const deadline = Date.now() + 60_000;
      while (!ok() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (!ok()) throw new Error(`hang guard: never saw ${what}; stderr: ${stderr}`);
    };
    try {
      await until(() => starts().length === 1, 'the first start');
      // The store was made before the child started: from here, 5 s and a margin are past its first limit.
      const limitPassed = Date.now() + 5_500;
      await until(() => Date.now() > limitPassed, 'the first time limit to pass');
      expect((await scoped(['set', 'secret', 'TOKEN', '--from-file', '-'], { stdin: 'after-the-limit' })).code).toBe(0);
      await until(() => starts().length === 2, 'a restart');
      expect(starts()[1]).toBe('start after-the-limit');
      p.kill('SIGTERM');
      expect(await done).toBe(143);
    } finally {
      if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    }
  }, 180_000);
});

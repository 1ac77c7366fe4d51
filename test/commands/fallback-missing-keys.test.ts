/**
 * --offline and --fallback with a last-known-good snapshot that lacks what is asked for: the error names
 * the keys it lacks (or that it holds only keys read with --only) and how to have them kept, instead of
 * saying there are no last-known-good values at all; with none at all, that, and what they are kept for (a
 * --fallback read with other settings keeps other values). On the local store, and on AWS (moto behind the
 * fault proxy, in process) for --fallback with Secrets Manager failing.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';
import { describeWithMoto, motoStore } from '../helpers/moto.js';
import { awsTestEnv } from '../helpers/aws-env.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { seedDeployment } from '../e2e/pin/fleet.js';

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('a snapshot that lacks keys (local store)', () => {
  let sb: Sandbox;
  beforeAll(async () => {
    sb = sandbox({ SCOPED_LOCAL_KEY: KEY, SCOPED_ORG: 'acme', SCOPED_PROJECT: 'app', SCOPED_DOMAIN: 'prod' });
    for (const [k, v] of [
      ['A', 'value-a'],
      ['B', 'value-b'],
    ]) {
      expect((await sb.run(['create', 'secret', k as string, '--from-file', '-'], { stdin: v })).code).toBe(0);
    }
  });
  afterAll(() => sb.cleanup());

  it('only --only reads kept: --offline without --only says it holds only those keys, read with --only', async () => {
    expect((await sb.run(['export', '--fallback', '--only', 'A'])).code).toBe(0);
    const whole = await sb.run(['export', '--offline']);
    expect(whole).toMatchObject({ code: 3, stdout: '' });
    expect(whole.stderr).toBe(
      'scoped: the last-known-good values of org acme, project app, domain prod on this machine hold only A, read with --only, not the whole deployment (--offline); ' +
        'read the whole deployment (no --only) once with --fallback while the local store is reachable\n',
    );
    const b = await sb.run(['export', '--offline', '--only', 'B']);
    expect(b).toMatchObject({ code: 3, stdout: '' });
    expect(b.stderr).toBe(
      'scoped: the last-known-good values of org acme, project app, domain prod on this machine have no B (--offline); read it once with --fallback while the local store is reachable to have it kept\n',
    );
    const a = await sb.run(['export', '--offline', '--only', 'A', '--format', 'json']);
    expect([a.code, a.stderr]).toEqual([0, '']);
    expect(JSON.parse(a.stdout)).toEqual({ A: 'value-a' });
  });

  it('after a whole read: --offline --only names each key it lacks, never a value', async () => {
    expect((await sb.run(['export', '--fallback'])).code).toBe(0);
    const r = await sb.run(['export', '--offline', '--only', 'A', '--only', 'NOPE', '--only', 'ZIP']);
    expect(r).toMatchObject({ code: 3, stdout: '' });
    expect(r.stderr).toBe(
      'scoped: the last-known-good values of org acme, project app, domain prod on this machine have no NOPE, ZIP (--offline); read them once with --fallback while the local store is reachable to have them kept\n',
    );
    expect(r.stderr).not.toContain('value-');
    // Another deployment still has none at all.
    const other = await sb.run(['export', '--offline', '-d', 'dev', '--only', 'A']);
    expect(other).toMatchObject({ code: 3, stdout: '' });
    expect(other.stderr).toBe(
      'scoped: no last-known-good values of org acme, project app, domain dev on this machine (--offline); ' +
        'read the deployment once with --fallback while the local store is reachable; they are kept for the settings they were read with (backend, org, prefix)\n',
    );
  });
});

describeWithMoto('a snapshot that lacks an --only key, on AWS', (moto) => {
  let proxy: FaultProxy;
  let sb: Sandbox;
  beforeAll(async () => {
    await moto().reset();
    proxy = await startFaultProxy(moto().endpoint);
    await seedDeployment(await motoStore(moto().endpoint), 3);
    sb = sandbox({
      SCOPED_LOCAL_KEY: KEY,
      ...awsTestEnv(proxy.endpoint),
      // Standard retries: a 500 is given up on after a few attempts.
      AWS_RETRY_MODE: 'standard',
      SCOPED_BACKEND: 'aws',
      SCOPED_ORG: 'acme',
      SCOPED_PROJECT: 'billing',
      SCOPED_DOMAIN: 'production',
    });
    const warm = await sb.run(['export', '--fallback']);
    expect([warm.code, warm.stderr]).toEqual([0, '']);
  });
  beforeEach(() => proxy.reset());
  afterAll(async () => {
    sb.cleanup();
    await proxy.close();
  });

  it('--offline --only NOPE names NOPE and Secrets Manager; --only KEY_000 reads the snapshot', async () => {
    const r = await sb.run(['export', '--offline', '--only', 'NOPE']);
    expect(r).toMatchObject({ code: 3, stdout: '' });
    expect(r.stderr).toBe(
      'scoped: the last-known-good values of org acme, project billing, domain production on this machine have no NOPE (--offline); read it once with --fallback while Secrets Manager is reachable to have it kept\n',
    );
    const ok = await sb.run(['export', '--offline', '--only', 'KEY_000', '--format', 'json']);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(Object.keys(JSON.parse(ok.stdout) as object)).toEqual(['KEY_000']);
    expect(proxy.total()).toBe(0);
  });

  it('--fallback with Secrets Manager failing and an --only key not kept: exit 6, and the hint says the snapshot lacks it', async () => {
    proxy.inject({ kind: 'server-error' });
    const r = await sb.run(['export', '--fallback', '--only', 'KEY_001', '--only', 'NOPE', '--timeout', '10']);
    expect(r).toMatchObject({ code: 6, stdout: '' });
    expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(r.stderr).toContain(
      'the last-known-good values of org acme, project billing, domain production on this machine have no NOPE, so they were not used (read it once with --fallback while Secrets Manager is reachable to have it kept)',
    );
    expect(r.stderr).not.toContain('canary');
    // The keys it has are used as before.
    const ok = await sb.run(['export', '--fallback', '--only', 'KEY_001', '--timeout', '10']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/^warning: Secrets Manager is unavailable: using the last-known-good values of /);
  });

  it('--fallback with Secrets Manager failing and nothing kept for the deployment: exit 6, and the hint says so, and what they are kept for', async () => {
    proxy.inject({ kind: 'server-error' });
    const r = await sb.run(['export', '--fallback', '-d', 'staging', '--timeout', '10']);
    expect(r).toMatchObject({ code: 6, stdout: '' });
    expect(r.stderr.split('\n').filter((l) => l !== '')).toHaveLength(1);
    expect(r.stderr).toContain(
      'no last-known-good values of org acme, project billing, domain staging on this machine, so none could be used ' +
        '(read the deployment once with --fallback while Secrets Manager is reachable; they are kept for the settings they were read with (backend, region, endpoint, org, prefix))',
    );
  });
});

/**
 * `--cache`, `--fallback`, `--max-age`, `--offline` and `scoped cache clear` through main: a warm pinned
 * read on AWS with the endpoint gone loads no AWS store code at all (its module is watched), the settings
 * from flags, environment and config files, and their usage errors.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sandbox } from '../helpers/io.js';
import { BIN } from '../helpers/bin.js';
import { describeWithMoto, freePort, motoStore } from '../helpers/moto.js';
import { awsTestEnv } from '../helpers/aws-env.js';
import { seedDeployment } from '../e2e/pin/fleet.js';

// Counts the AWS stores this process makes (each makes an SDK client).
const awsLoads = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../src/store/aws/aws-store.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/store/aws/aws-store.js')>();
  return {
    ...real,
    createAwsStore: (...args: Parameters<typeof real.createAwsStore>) => {
      awsLoads.count++;
      return real.createAwsStore(...args);
    },
  };
});

const KEY = Buffer.alloc(32, 3).toString('base64');

function bin(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describeWithMoto('a warm pinned read on AWS (main, in process)', (moto) => {
  const sb = sandbox({ SCOPED_LOCAL_KEY: KEY, SCOPED_ORG: 'acme', SCOPED_PROJECT: 'billing', SCOPED_DOMAIN: 'production' });
  afterAll(() => sb.cleanup());
  let expected: Record<string, string>;
  beforeAll(async () => {
    await moto().reset();
    expected = await seedDeployment(await motoStore(moto().endpoint), 4);
  });

  it('makes no AWS store (no client, no request), with the endpoint gone; without the cache it fails (exit 6)', async () => {
    // Pinned and warmed by another process (the built binary) against moto.
    const env = { ...sb.env, ...awsTestEnv(moto().endpoint), SCOPED_BACKEND: 'aws' };
    expect(await bin(['pin', '--out', 'p.json'], env, sb.dir)).toMatchObject({ code: 0 });
    expect(await bin(['export', '--pinned', 'p.json', '--cache'], env, sb.dir)).toMatchObject({ code: 0, stderr: '' });
    const dead = { ...env, ...awsTestEnv(`http://127.0.0.1:${await freePort()}`) };
    // The endpoint is part of what a cached value is keyed by: warm the dead endpoint's entries from moto's.
    const { openValueCache } = await import('../../src/store/cache/open.js');
    const { loadConfig } = await import('../../src/config.js');
    const pin = JSON.parse((await import('node:fs')).readFileSync(join(sb.dir, 'p.json'), 'utf8')) as { secrets: { key: string; name: string; versionId: string }[] };
    const from = openValueCache(await loadConfig({}, { ...env, SCOPED_CACHE: '1' }, sb.dir), env);
    const to = openValueCache(await loadConfig({}, { ...dead, SCOPED_CACHE: '1' }, sb.dir), dead);
    for (const e of pin.secrets) to.put(from.get(e.name, e.versionId) ?? { name: e.name, versionId: e.versionId, value: 'missing', stages: [] });
    awsLoads.count = 0;

    const r = await sb.run(['export', '--format', 'json', '--pinned', 'p.json', '--cache'], { env: dead });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout)).toEqual(expected);
    expect(awsLoads.count).toBe(0);

    const uncached = await sb.run(['export', '--pinned', 'p.json', '--timeout', '5'], { env: dead });
    expect([uncached.code, uncached.stdout]).toEqual([6, '']);
    expect(awsLoads.count).toBe(1);
  });
});

describe('--offline on AWS: a command that would send a request is refused before it makes an AWS store', () => {
  const sb = sandbox({ SCOPED_LOCAL_KEY: KEY, SCOPED_ORG: 'acme', SCOPED_BACKEND: 'aws' });
  afterAll(() => sb.cleanup());

  it('writes and plain reads: exit 2 naming where offline came from; run/export/render read the snapshot instead', async () => {
    const dead = { ...sb.env, ...awsTestEnv(`http://127.0.0.1:${await freePort()}`) };
    awsLoads.count = 0;
    const refused =
      ' sends no request to Secrets Manager, and this command needs one; only run, export and render read offline (last-known-good values); leave offline out for this command\n';
    for (const argv of [
      ['create', 'secret', 'K', '--offline'],
      ['get', 'secret', 'K', '--offline'],
      ['resolve', '-p', 'billing', '-d', 'production', '--offline'],
      ['pin', '-p', 'billing', '-d', 'production', '--offline', '--out', 'p.json'],
    ]) {
      const r = await sb.run(argv, { env: dead, stdin: 'value' });
      expect({ argv, code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ argv, code: 2, stdout: '', stderr: `scoped: --offline${refused}` });
    }
    const fromEnv = await sb.run(['delete', 'secret', 'K', '--yes'], { env: { ...dead, SCOPED_OFFLINE: '1' } });
    expect([fromEnv.code, fromEnv.stderr]).toEqual([2, `scoped: offline (from env SCOPED_OFFLINE)${refused}`]);
    expect(awsLoads.count).toBe(0);
    // The commands that keep --offline's promise: the snapshot or exit 3, never a request.
    const exported = await sb.run(['export', '-p', 'billing', '-d', 'production', '--offline'], { env: dead });
    expect([exported.code, exported.stdout]).toEqual([3, '']);
    expect(exported.stderr).toContain('no last-known-good values of');
    expect(awsLoads.count).toBe(0);
  });
});

describe('the settings and scoped cache clear (local store)', () => {
  const sb = sandbox({ SCOPED_LOCAL_KEY: KEY });
  afterAll(() => sb.cleanup());
  const cacheDir = () => join(sb.dir, '.cache', 'scoped');

  it('--offline before any --fallback read: exit 3 naming the deployment; after one, the same values', async () => {
    expect((await sb.run(['create', 'secret', 'A', '-p', 'app', '-d', 'prod', '--from-file', '-'], { stdin: 'v1' })).code).toBe(0);
    const none = await sb.run(['export', '-p', 'app', '-d', 'prod', '--offline']);
    expect([none.code, none.stdout]).toEqual([3, '']);
    expect(none.stderr).toMatch(/no last-known-good values of org default, project app, domain prod on this machine/);
    expect((await sb.run(['export', '-p', 'app', '-d', 'prod', '--fallback'])).code).toBe(0);
    // Another deployment has none.
    expect((await sb.run(['export', '-p', 'app', '-d', 'dev', '--offline'])).code).toBe(3);
    const off = await sb.run(['export', '-p', 'app', '-d', 'prod', '--format', 'json'], { env: { SCOPED_OFFLINE: 'true' } });
    expect([off.code, off.stderr]).toEqual([0, '']);
    expect(JSON.parse(off.stdout)).toEqual({ A: 'v1' });
    // Only keys it has: one it never read is not made up.
    expect((await sb.run(['export', '-p', 'app', '-d', 'prod', '--offline', '--only', 'B'])).code).toBe(3);
  });

  it('fallback: true in the user config file (a YAML boolean) keeps snapshots; a repository file may not set it', async () => {
    writeFileSync(join(sb.dir, 'user.yaml'), 'fallback: true\n');
    expect((await sb.run(['cache', 'clear'])).code).toBe(0);
    expect((await sb.run(['export', '-p', 'app', '-d', 'prod'], { env: { SCOPED_CONFIG: join(sb.dir, 'user.yaml') } })).code).toBe(0);
    expect(readdirSync(join(cacheDir(), 'snapshots'))).toHaveLength(1);
    writeFileSync(join(sb.dir, '.scoped.yaml'), 'cache: true\n');
    const shared = await sb.run(['export', '-p', 'app', '-d', 'prod']);
    expect(shared.code).toBe(2);
    expect(shared.stderr).toMatch(/sets cache, which a repository's .scoped.yaml may not choose/);
    (await import('node:fs')).rmSync(join(sb.dir, '.scoped.yaml'));
  });

  it('bad values are usage errors (exit 2) before anything is read', async () => {
    const age = await sb.run(['export', '--fallback', '--max-age', 'soon']);
    expect([age.code, age.stdout]).toEqual([2, '']);
    expect(age.stderr).toMatch(/max-age "soon": not a duration/);
    const sw = await sb.run(['export'], { env: { SCOPED_CACHE: 'maybe' } });
    expect(sw.code).toBe(2);
    expect(sw.stderr).toMatch(/invalid cache "maybe" \(from env SCOPED_CACHE\); use true or false/);
  });

  it('scoped cache clear removes the kept values, says so, and sends nothing', async () => {
    expect((await sb.run(['export', '-p', 'app', '-d', 'prod', '--fallback'])).code).toBe(0);
    const r = await sb.run(['cache', 'clear']);
    expect([r.code, r.stdout]).toEqual([0, '']);
    expect(r.stderr).toMatch(/removed 1 kept value file\(s\) under .*\.cache\/scoped/);
    expect(existsSync(join(cacheDir(), 'snapshots'))).toBe(false);
    expect((await sb.run(['cache', 'clear'])).stderr).toMatch(/nothing kept under/);
    expect((await sb.run(['cache', 'empty'])).code).toBe(2);
  });
});

describe('cache-max-size', () => {
  const sb = sandbox({ SCOPED_LOCAL_KEY: KEY });
  afterAll(() => sb.cleanup());

  it('is read from the environment or the user config with a unit, and a bad one is a usage error', async () => {
    const shown = await sb.run(['config', 'show', '-o', 'json'], { env: { SCOPED_CACHE_MAX_SIZE: '512KiB' } });
    expect(shown.code, shown.stderr).toBe(0);
    expect((JSON.parse(shown.stdout) as { settings: Record<string, unknown> }).settings['cache-max-size']).toEqual({ value: 524288, source: 'env SCOPED_CACHE_MAX_SIZE' });
    const bad = await sb.run(['export'], { env: { SCOPED_CACHE_MAX_SIZE: '1KiB' } });
    expect([bad.code, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toMatch(/invalid cache-max-size "1KiB" \(from env SCOPED_CACHE_MAX_SIZE\); use a size from 64KiB to 4GiB/);
  });
});

describe('--offline with a pin', () => {
  const sb = sandbox({ SCOPED_LOCAL_KEY: KEY });
  afterAll(() => sb.cleanup());

  it('reads the pinned snapshot; a pin for another org is refused as without --offline', async () => {
    expect((await sb.run(['create', 'secret', 'A', '-p', 'app', '-d', 'prod', '--from-file', '-'], { stdin: 'v1' })).code).toBe(0);
    expect((await sb.run(['pin', '-p', 'app', '-d', 'prod', '--out', 'p.json'])).code).toBe(0);
    expect((await sb.run(['export', '--pinned', 'p.json', '--offline'])).code).toBe(3);
    expect((await sb.run(['export', '--pinned', 'p.json', '--fallback'])).code).toBe(0);
    // The unpinned snapshot is another one.
    expect((await sb.run(['export', '-p', 'app', '-d', 'prod', '--offline'])).code).toBe(3);
    const r = await sb.run(['export', '--pinned', 'p.json', '--offline', '--format', 'json']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(JSON.parse(r.stdout)).toEqual({ A: 'v1' });
    const other = await sb.run(['export', '--pinned', 'p.json', '--offline', '--org', 'other']);
    expect(other.code).toBe(2);
    expect(other.stderr).toMatch(/pin file p.json is for org "default", but the current org is "other"/);
  });
});

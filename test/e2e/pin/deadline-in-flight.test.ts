/**
 * A deadline that passes while requests are in flight: `--pinned` with more keys than reads at once against
 * an endpoint that never answers or throttles everything, and a throttled BatchGetSecretValue falling back
 * to GetSecretValue. The built binary must end with exit 6 and exactly one stderr line: no crash from a
 * request started before the deadline and rejected after it (an unhandled rejection, exit 1, a stack).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors.js';
import { formatPin, PIN_FORMAT, type Pin } from '../../../src/pin/pin-file.js';
import { PINNED_CONCURRENCY } from '../../../src/pin/pinned-read.js';
import { startFaultProxy, type Fault, type FaultProxy } from '../../helpers/fault-proxy.js';
import { describeWithMoto, motoStore } from '../../helpers/moto.js';
import { FLEET_DEPLOYMENT, jobEnv, runJob, seedDeployment } from './fleet.js';

const KEYS = PINNED_CONCURRENCY * 2 + 3;

function pinOf(keys: number): Pin {
  return {
    format: PIN_FORMAT,
    org: 'acme',
    prefix: 'scoped/',
    backend: 'aws',
    deployment: FLEET_DEPLOYMENT,
    created: '2026-11-30T12:00:00.000Z',
    secrets: Array.from({ length: keys }, (_, i) => {
      const key = `KEY_${String(i).padStart(3, '0')}`;
      return { key, scope: { org: 'acme' }, name: `scoped/acme/_/_/${key}`, versionId: `${String(i).padStart(8, '0')}-1b2d-4c3e-8f9a-0123456789ab` };
    }),
  };
}

/** Exactly one line on stderr, exit 6, nothing on stdout, no stack. */
function oneLine(r: { code: number | null; stdout: string; stderr: string }): string {
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  expect(r.stderr.slice(0, -1)).not.toContain('\n');
  expect(r.stderr).not.toMatch(/\bat \S+ \(|node:internal|\.cjs:\d+/);
  expect(r.code).toBe(ExitCode.unavailable);
  return r.stderr;
}

describe('a deadline passing with pinned reads in flight (built binary)', () => {
  let proxy: FaultProxy;
  let home: string;
  beforeAll(async () => {
    proxy = await startFaultProxy('http://127.0.0.1:9');
  });
  afterAll(async () => proxy?.close());
  beforeEach(() => {
    proxy.reset();
    home = mkdtempSync(join(tmpdir(), 'scoped-pin-deadline-'));
    writeFileSync(join(home, 'p.json'), formatPin(pinOf(KEYS)));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it.each<[string, Fault]>([
    ['a silent endpoint', { kind: 'hang' }],
    ['an endpoint that throttles every request', { kind: 'throttle' }],
  ])(`${KEYS} pinned keys against %s, --timeout 1.5: exit 6, one line naming the limit`, async (_label, fault) => {
    proxy.inject(fault);
    const r = await runJob(['export', '--pinned', 'p.json', '--format', 'json', '--timeout', '1.5'], jobEnv(home, proxy.endpoint), home, 30_000);
    const line = oneLine(r);
    expect(line).toMatch(/time limit of 1\.5 s \(flag --timeout\)/);
  });
});

describeWithMoto('a deadline passing while a throttled batch falls back to per-key reads (built binary)', (moto) => {
  let proxy: FaultProxy;
  let home: string;
  beforeAll(async () => {
    await moto().reset();
    proxy = await startFaultProxy(moto().endpoint);
    await seedDeployment(await motoStore(moto().endpoint), 45);
  });
  afterAll(async () => proxy?.close());
  beforeEach(() => {
    proxy.reset();
    home = mkdtempSync(join(tmpdir(), 'scoped-batch-deadline-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('BatchGetSecretValue and GetSecretValue throttled until the limit: exit 6, one line', async () => {
    proxy.inject({ kind: 'throttle' }, { ops: ['BatchGetSecretValue', 'GetSecretValue'] });
    const r = await runJob(['export', '--format', 'json', '--timeout', '2'], jobEnv(home, proxy.endpoint), home, 30_000);
    const line = oneLine(r);
    expect(line).toMatch(/time limit of 2 s \(flag --timeout\)/);
    expect(line).not.toContain('canary');
    expect(proxy.counts.get('GetSecretValue')).toBeGreaterThan(0);
  });

  it('GetSecretValue silent after the batch is throttled: exit 6, one line', async () => {
    proxy.inject({ kind: 'throttle' }, { ops: ['BatchGetSecretValue'] });
    proxy.inject({ kind: 'hang' }, { ops: ['GetSecretValue'] });
    const r = await runJob(['export', '--format', 'json', '--timeout', '2'], jobEnv(home, proxy.endpoint), home, 30_000);
    // Every key stopped by the one cause: said once, after the first five keys.
    expect(oneLine(r)).toMatch(
      /^scoped: cannot read 45 secrets \(KEY_\d{3} at .*, and 40 more\): Secrets Manager GetSecretValue did not finish within the time limit of 2 s \(flag --timeout\); /,
    );
  });
});

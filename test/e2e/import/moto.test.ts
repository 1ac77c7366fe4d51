/**
 * set, import and copy on the AWS backend against moto: the built binary end to end, requests counted
 * at a proxy, and a partial failure (some CreateSecret calls denied) that a re-run finishes.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { BIN, binSandbox, type BinResult } from '../../helpers/bin.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { awsTestEnv, describeWithMoto } from '../../helpers/moto.js';
import { HARD_VALUES } from '../../helpers/hard-values.js';

const CANARY = 'moto-canary-2718';

/** The binary, spawned without blocking: the counting proxy runs in this process and must keep answering. */
function spawnBin(args: string[], o: { cwd: string; env: Record<string, string>; stdin?: string }): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: o.cwd, env: o.env, timeout: 30_000 });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end(o.stdin ?? '');
  });
}

describeWithMoto('set, import and copy on AWS (built binary, moto)', (moto) => {
  let sb: ReturnType<typeof binSandbox>;
  let proxy: FaultProxy;
  beforeAll(async () => {
    proxy = await startFaultProxy(moto().endpoint);
  });
  afterAll(async () => proxy?.close());
  beforeEach(async () => {
    await moto().reset();
    proxy.reset();
    sb = binSandbox();
  });
  afterEach(() => sb.cleanup());
  // AWS_MAX_ATTEMPTS=1: an injected fault is seen once, not retried away.
  const run = (args: string[], stdin?: string) =>
    spawnBin(args, { cwd: sb.home, stdin, env: { ...sb.env, ...awsTestEnv(proxy.endpoint), AWS_MAX_ATTEMPTS: '1', SCOPED_BACKEND: 'aws', SCOPED_ORG: 'acme' } });
  const writeEnv = (n: number, name = 'svc.env') => {
    writeFileSync(join(sb.home, name), Array.from({ length: n }, (_, i) => `KEY_${i}="${CANARY}-${i}"\n`).join(''));
    return name;
  };

  it('set secret: Created, Unchanged (no write), Updated; binary compared by bytes', async () => {
    expect((await run(['set', 'secret', 'TOKEN', '-p', 'web'], CANARY)).stderr).toMatch(/Created TOKEN/);
    proxy.reset();
    const same = await run(['set', 'secret', 'TOKEN', '-p', 'web'], CANARY);
    expect(same.stderr).toMatch(/Unchanged TOKEN/);
    expect([...proxy.counts.keys()].sort()).toEqual(['DescribeSecret', 'GetSecretValue']);
    expect((await run(['set', 'secret', 'TOKEN', '-p', 'web'], 'new')).stderr).toMatch(/Updated TOKEN/);
    writeFileSync(join(sb.home, 'b.bin'), Buffer.from([0, 255, 1]));
    expect((await run(['set', 'secret', 'BIN', '--from-file', 'b.bin'])).stderr).toMatch(/Created BIN/);
    expect((await run(['set', 'secret', 'BIN', '--from-file', 'b.bin'])).stderr).toMatch(/Unchanged BIN/);
  });

  it('import: one listing, one write per key; a re-run reads in batches of 20 and writes nothing', async () => {
    const file = writeEnv(50);
    proxy.reset();
    const r = await run(['import', file, '-p', 'billing', '-d', 'prod']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/50 created/);
    expect(`${r.stdout}${r.stderr}`).not.toContain(CANARY);
    expect(proxy.counts.get('CreateSecret')).toBe(50);
    expect(proxy.counts.get('ListSecrets')).toBe(1);
    proxy.reset();
    const again = await run(['import', file, '-p', 'billing', '-d', 'prod']);
    expect(again.stderr).toMatch(/0 created, 0 updated, 50 unchanged/);
    expect(Object.fromEntries(proxy.counts)).toEqual({ ListSecrets: 1, BatchGetSecretValue: 3 });
  });

  it('a partial failure names the failed keys and exits 5; a re-run finishes the job', async () => {
    const file = writeEnv(6);
    proxy.inject({ kind: 'error', status: 400, type: 'AccessDeniedException', message: 'not allowed' }, { ops: ['CreateSecret'], times: 2 });
    const r = await run(['import', file]);
    expect([r.code, r.stdout]).toEqual([5, '']);
    expect(r.stderr.match(/^warning: KEY_\d not written: /gm)).toHaveLength(2);
    expect(r.stderr).toMatch(/^scoped: import into org acme: 2 of 6 write\(s\) failed; written: (KEY_\d, ){3}KEY_\d; run the same command again to finish/m);
    expect(r.stderr).not.toContain(CANARY);
    const again = await run(['import', file]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/2 created, 0 updated, 4 unchanged/);
  });

  it('round trip and copy keep hard values, binary, description and tags', async () => {
    writeFileSync(join(sb.home, 'hard.json'), JSON.stringify(HARD_VALUES));
    expect((await run(['import', 'hard.json', '-d', 'staging'])).code).toBe(0);
    const yaml = (await run(['export', '-d', 'staging', '--format', 'yaml'])).stdout;
    expect((await run(['import', '-', '--format', 'yaml', '-d', 'qa'], yaml)).code).toBe(0);
    expect(JSON.parse((await run(['export', '-d', 'qa', '--format', 'json'])).stdout)).toEqual(HARD_VALUES);

    writeFileSync(join(sb.home, 'b.bin'), Buffer.from([0, 255, 1, 2]));
    await run(['create', 'secret', 'BIN', '-d', 'staging', '--from-file', 'b.bin', '--description', 'a key file', '--tag', 'team=ops']);
    const copy = await run(['copy', 'secret', 'BIN', 'SPACES', '-d', 'staging', '--to', '_/production']);
    expect(copy).toMatchObject({ code: 0, stdout: 'BIN\tcreate\nSPACES\tcreate\n' });
    const d = JSON.parse((await run(['get', 'secret', 'BIN', '-d', 'production', '-o', 'json'])).stdout);
    expect(d).toMatchObject({ description: 'a key file', tags: { team: 'ops', 'scoped:domain': 'production', 'scoped:key': 'BIN' } });
    // Binary stays binary: equal bytes read back as unchanged, and set with the same file changes nothing.
    expect((await run(['copy', 'secret', 'BIN', '-d', 'staging', '--to', '_/production'])).stdout).toBe('BIN\tunchanged\n');
    expect((await run(['set', 'secret', 'BIN', '-d', 'production', '--from-file', 'b.bin'])).stderr).toMatch(/Unchanged BIN/);
  });
});

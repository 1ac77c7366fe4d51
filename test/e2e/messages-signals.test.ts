import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN } from '../helpers/bin.js';
import { describeWithMoto } from '../helpers/moto.js';
import { awsTestEnv } from '../helpers/aws-env.js';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';

/**
 * The built binary, stopped by a signal while importing into Secrets Manager (moto behind a proxy that
 * holds one operation's requests): one stderr line saying what was written, and the signal's exit.
 */

describeWithMoto('import stopped by a signal', (moto) => {
  let proxy: FaultProxy;
  let dir: string;
  beforeAll(async () => {
    proxy = await startFaultProxy(moto().endpoint);
    dir = mkdtempSync(join(tmpdir(), 'scoped-sig-'));
    writeFileSync(join(dir, 'three.env'), 'ALPHA=alpha-value\nBRAVO=bravo-value\nCHARLIE=charlie-value\n');
  });
  afterAll(async () => {
    await proxy.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the import, waits until the proxy holds a request of `op`, sends `signal`, and gives the outcome. */
  async function stopDuring(op: string, signal: NodeJS.Signals, project: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
    proxy.reset();
    proxy.inject({ kind: 'hang' }, { ops: [op] });
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...awsTestEnv(proxy.endpoint), SCOPED_BACKEND: 'aws' };
    const child = spawn(process.execPath, [BIN, 'import', 'three.env', '-p', project], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    // 'close': the process has exited and its stderr is read to the end.
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, sig) => resolve({ code, signal: sig })));
    // Waits for an event (the held request), not for a time.
    while ((proxy.counts.get(op) ?? 0) === 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    child.kill(signal);
    return { ...(await exited), stderr };
  }

  it('SIGHUP while listing the target: "nothing written", exit by SIGHUP (129 in a shell)', async () => {
    const r = await stopDuring('ListSecrets', 'SIGHUP', 'before');
    expect(r.signal).toBe('SIGHUP');
    expect(r.stderr).toBe('scoped: interrupted (SIGHUP) while importing into org default, project before: nothing written\n');
  }, 30_000);

  it('SIGTERM while the creates are in flight: "some may be written", exit by SIGTERM (143)', async () => {
    const r = await stopDuring('CreateSecret', 'SIGTERM', 'during');
    expect(r.signal, r.stderr).toBe('SIGTERM');
    expect(r.stderr).toBe(
      'scoped: interrupted (SIGTERM) while importing into org default, project during: some of 3 keys may be written; run the same command again to finish: what was written counts as unchanged\n',
    );
  }, 30_000);
});

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockPath, scopeOf, shardPath } from '../../../src/store/local/layout.js';

const BIN = join(import.meta.dirname, '../../../bin/scoped.cjs');
const KEY = Buffer.alloc(32, 7).toString('base64');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

describe('--timeout on the local store', () => {
  it('bounds the wait for a live writer: exit 6, one line naming the holder and --timeout, nothing lost', async () => {
    const home = mkdtempSync(join(tmpdir(), 'scoped-timeout-'));
    const env = { ...process.env, SCOPED_HOME: home, SCOPED_LOCAL_KEY: KEY, NO_COLOR: '1' };
    const first = spawnSync(process.execPath, [BIN, 'create', 'secret', 'A', 'one'], { env, encoding: 'utf8' });
    expect(first.status).toBe(0);
    const lock = lockPath(shardPath(join(home, 'secrets'), scopeOf('scoped/default/_/_/A')));
    const holder = spawn(process.execPath, [join(import.meta.dirname, '..', '..', 'fixtures', 'lock-holder.mjs'), lock, '60000', ''], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(holder);
    await new Promise((resolve, reject) => {
      holder.stdout?.once('data', resolve);
      holder.once('exit', (code) => reject(new Error(`holder exited ${code}`)));
    });
    const r = spawnSync(process.execPath, [BIN, 'create', 'secret', 'B', 'two', '--timeout', '1'], { env, encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(6);
    expect(r.stdout).toBe('');
    expect(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('scoped:')),
    ).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`locked by process ${holder.pid}.*--timeout`));
    holder.kill('SIGKILL');
    const after = spawnSync(process.execPath, [BIN, 'get', 'secret', 'A', '--reveal'], { env, encoding: 'utf8' });
    expect(after.stdout).toBe('one');
    rmSync(home, { recursive: true, force: true });
  });
});

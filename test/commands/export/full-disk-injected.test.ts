import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sandbox, type Sandbox } from '../../helpers/io.js';

/**
 * A disk that fills mid-write, injected: write(2) writes what fits and reports fewer bytes, then fails
 * with ENOSPC, as a real full file system does (test/e2e/full-disk.test.ts does it on a real tmpfs).
 * Before the fix a single writeSync took the short count as done: the shard was truncated, renamed over
 * the good one, and every secret of the scope became unreadable after "Created".
 */
const disk = vi.hoisted(() => ({ budget: Infinity }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const writeSync = (fd: number, data: Uint8Array | string, ...rest: unknown[]): number => {
    if (disk.budget === Infinity || typeof data === 'string') return (fs.writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
    const offset = typeof rest[0] === 'number' ? rest[0] : 0;
    const length = typeof rest[1] === 'number' ? rest[1] : data.length - offset;
    if (length > 0 && disk.budget <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    const n = fs.writeSync(fd, data, offset, Math.min(length, disk.budget));
    disk.budget -= n;
    return n;
  };
  return { ...fs, default: { ...fs, writeSync }, writeSync };
});

const MARKER = 'full-disk-marker-7f3a';

/** Every file under `dir` with the hash of its bytes: "exactly as before" means this is equal. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

let s: Sandbox;
beforeEach(async () => {
  disk.budget = Infinity;
  s = sandbox({ SCOPED_LOCAL_KEY: Buffer.alloc(32, 7).toString('base64') });
  for (let i = 0; i < 8; i++) {
    expect((await s.run(['create', 'secret', `K${i}`, `${MARKER}-${i}-${'x'.repeat(300)}`, '-p', 'app'])).code).toBe(0);
  }
});
afterEach(() => {
  disk.budget = Infinity;
  s.cleanup();
});

/** Runs argv with `budget` bytes left on the disk, then checks the one-line exit 6 and an untouched store. */
async function onFullDisk(argv: string[], budget: number, stdin?: string) {
  const before = snapshot(s.home);
  disk.budget = budget;
  const r = await s.run(argv, stdin === undefined ? {} : { stdin });
  disk.budget = Infinity;
  expect(r.code, r.stderr).toBe(6);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/no space left on the device/);
  expect(r.stderr).not.toContain(MARKER);
  expect(snapshot(s.home)).toEqual(before);
  // Every secret of the scope still reads.
  const all = await s.run(['export', '-p', 'app', '-d', 'dev', '--format', 'json']);
  expect(all.code, all.stderr).toBe(0);
  expect(Object.keys(JSON.parse(all.stdout))).toHaveLength(8);
  return r;
}

describe('a disk that fills mid-write (short write, then ENOSPC)', () => {
  for (const budget of [0, 1, 700, 2000]) {
    it(`create secret with ${budget} bytes left: exit 6, the scope's shard as before`, async () => {
      await onFullDisk(['create', 'secret', 'NEW', 'v', '-p', 'app'], budget);
    });
  }

  it('set secret and update secret', async () => {
    await onFullDisk(['set', 'secret', 'K1', 'changed', '-p', 'app'], 500);
    await onFullDisk(['update', 'secret', 'K2', 'changed', '-p', 'app'], 500);
  });

  it('import of several keys writes none of them', async () => {
    writeFileSync(join(s.dir, 'in.env'), 'A=1\nB=2\nK3=changed\n');
    await onFullDisk(['import', 'in.env', '-p', 'app', '--on-conflict', 'update'], 900);
  });

  it('delete secret', async () => {
    await onFullDisk(['delete', 'secret', 'K1', '-p', 'app', '--yes'], 300);
  });

  for (const argv of [
    ['export', '-p', 'app', '-d', 'dev', '--out', 'out.env'],
    ['pin', '-p', 'app', '-d', 'dev', '--out', 'out.env'],
  ]) {
    it(`${argv[0]} --out leaves the old file as it was`, async () => {
      const target = join(s.dir, 'out.env');
      writeFileSync(target, 'OLD=1\n', { mode: 0o600 });
      const r = await onFullDisk(argv, 64);
      expect(r.stderr).toMatch(/^scoped: cannot write --out out\.env: no space left on the device; nothing was written/);
      expect(readFileSync(target, 'utf8')).toBe('OLD=1\n');
      expect(readdirSync(s.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      expect(statSync(target).mode & 0o777).toBe(0o600);
    });
  }
});

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/bin.js';

/**
 * A real file system that fills mid-write: a 256 KiB tmpfs, mounted when the tests run as root (as CI
 * does); elsewhere test/commands/export/full-disk-injected.test.ts injects the short write instead. Before the
 * fix, `create` said "Created" while a short write truncated the scope's shard, and the rename put the
 * truncated file in place of the good one.
 */
const root = mkdtempSync(join(tmpdir(), 'scoped-fulldisk-'));
const mnt = join(root, 'mnt');
mkdirSync(mnt);
const mounted = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0700', 'tmpfs', mnt]).status === 0;

const MARKER = 'tmpfs-marker-5c1e';
const KEYS = 20;
const home = join(mnt, 'store');
const env = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: root,
  LANG: 'C.UTF-8',
  SCOPED_HOME: home,
  SCOPED_LOCAL_KEY: Buffer.alloc(32, 9).toString('base64'),
  XDG_CONFIG_HOME: join(root, 'config'),
  XDG_CACHE_HOME: join(root, 'cache'),
};
const scoped = (args: string[], stdin = '') => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: mnt, env, input: stdin, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const p = join(e.parentPath, e.name);
    if (e.isFile()) out[relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
  }
  return out;
}

/** Fills the file system until `left` bytes are free: less than a shard, so its write is cut short. */
function fill(left: number): void {
  rmSync(join(mnt, 'filler'), { force: true });
  const st = statfsSync(mnt);
  const free = Number(st.bavail) * Number(st.bsize);
  writeFileSync(join(mnt, 'filler'), Buffer.alloc(Math.max(0, free - left)));
}

beforeAll(() => {
  if (!mounted) return;
  // 20 keys of ~330 bytes: every output (shard, export, render, pin) is larger than the 4 KiB left.
  for (let i = 0; i < KEYS; i++) expect(scoped(['create', 'secret', `K${i}`, '-p', 'app'], `${MARKER}-${i}-${'v'.repeat(300)}`).code).toBe(0);
  writeFileSync(join(mnt, 'out.env'), 'OLD=1\n', { mode: 0o600 });
  writeFileSync(join(mnt, 't.tmpl'), Array.from({ length: KEYS }, (_, i) => `k${i}={{ secret "K${i}" }}\n`).join(''));
  writeFileSync(join(mnt, 'in.env'), 'A=1\nB=2\nK3=changed\n');
  fill(4096);
});

afterAll(() => {
  if (mounted) spawnSync('umount', ['-l', mnt]);
  rmSync(root, { recursive: true, force: true });
});

describe.skipIf(!mounted)('on a real file system that fills (tmpfs, as root)', () => {
  it.each([
    [['create', 'secret', 'NEW', 'value', '-p', 'app']],
    [['set', 'secret', 'K1', 'changed', '-p', 'app']],
    [['update', 'secret', 'K2', 'changed', '-p', 'app']],
    [['import', 'in.env', '-p', 'app', '--on-conflict', 'update']],
    [['delete', 'secret', 'K4', '-p', 'app', '--yes']],
    [['export', '-p', 'app', '-d', 'dev', '--out', 'out.env']],
    [['render', 't.tmpl', '-p', 'app', '-d', 'dev', '--out', 'out.env']],
    [['pin', '-p', 'app', '-d', 'dev', '--out', 'out.env']],
  ])('%j: exit 6, one line, the store and the target exactly as before', (argv) => {
    const before = snapshot(mnt);
    const r = scoped(argv);
    expect(r.code, r.stderr).toBe(6);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/no space left on the device/);
    expect(r.stderr).not.toContain(MARKER);
    expect(snapshot(mnt)).toEqual(before);
    expect(readFileSync(join(mnt, 'out.env'), 'utf8')).toBe('OLD=1\n');
  });

  it('export --format github: $GITHUB_ENV cut back to its size before the append, exit 6', () => {
    const file = join(mnt, 'github_env');
    writeFileSync(file, 'EXISTING=1\n');
    // No page left: the append fills the rest of the file's one page, then fails.
    fill(0);
    const before = snapshot(mnt);
    const r = spawnSync(process.execPath, [BIN, 'export', '-p', 'app', '-d', 'dev', '--format', 'github'], { cwd: mnt, env: { ...env, GITHUB_ENV: file }, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(6);
    expect(r.stderr).toMatch(/^scoped: cannot append to \$GITHUB_ENV \(.*\): no space left on the device; nothing was added\n$/);
    expect(r.stderr).not.toContain(MARKER);
    // A failed command prints nothing: the masks (which hold the values) go out only after the append.
    expect(r.stdout).toBe('');
    expect(snapshot(mnt)).toEqual(before);
  });

  it('every secret still reads, and with space freed the same write succeeds', () => {
    const all = scoped(['export', '-p', 'app', '-d', 'dev', '--format', 'json']);
    expect(all.code, all.stderr).toBe(0);
    expect(Object.keys(JSON.parse(all.stdout) as object)).toHaveLength(KEYS);
    rmSync(join(mnt, 'filler'));
    expect(scoped(['create', 'secret', 'NEW', 'value', '-p', 'app']).code).toBe(0);
    expect(scoped(['get', 'secret', 'NEW', '-p', 'app', '--reveal']).stdout).toBe('value');
  });
});

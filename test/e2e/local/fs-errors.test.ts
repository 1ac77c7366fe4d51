import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, binSandbox } from '../../helpers/bin.js';

// Permission bits do not stop root: as root, the permission cases run the binary as nobody (setpriv).
const root = process.getuid?.() === 0;
const setpriv = spawnSync('setpriv', ['--version']).status === 0;
let sb: ReturnType<typeof binSandbox>;
let store: string;
let env: Record<string, string>;
const KEY = Buffer.alloc(32, 3).toString('base64');
beforeEach(() => {
  sb = binSandbox();
  store = join(sb.home, 'store');
  env = { SCOPED_HOME: store };
});
afterEach(() => {
  for (const p of [store, join(store, 'secrets'), join(store, 'secrets', 'scoped', 'default', '_')]) {
    try {
      chmodSync(p, 0o700);
    } catch {
      // not there
    }
  }
  sb.cleanup();
});

const shard = () => join(store, 'secrets', 'scoped', 'default', '_', '_.shard');
function seed(): void {
  expect(sb.run(['create', 'secret', 'TOKEN', 'canary-value-1'], { env }).code).toBe(0);
}
/** Runs the binary as an ordinary user: as nobody when the tests run as root (the sandbox handed over to it). */
function runUnprivileged(args: string[]): { code: number | null; stdout: string; stderr: string } {
  if (!root) return sb.run(args, { env });
  const chownAll = (p: string): void => {
    chownSync(p, 65534, 65534);
    for (const e of readdirSync(p, { withFileTypes: true })) (e.isDirectory() ? chownAll : (f: string) => chownSync(f, 65534, 65534))(join(p, e.name));
  };
  chownAll(sb.home);
  const r = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args], {
    cwd: sb.home,
    env: { ...sb.env, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One worded line on stderr, the expected exit code, nothing on stdout, never "unexpected". */
function expectWorded(args: string[], code: number, message: RegExp, unprivileged = false): void {
  const r = unprivileged ? runUnprivileged(args) : sb.run(args, { env });
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/unexpected|ENOENT|EACCES|ELOOP|at .*\.js/);
  expect(r.stderr).not.toContain('canary-value');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(code);
}

describe('local store file problems are worded errors', () => {
  it('the store folder is a file (exit 2)', () => {
    writeFileSync(store, 'not a folder');
    expectWorded(['get', 'secret', '--all'], 2, /local store folder .*store is a file, not a folder/);
    expectWorded(['create', 'secret', 'K', 'v'], 2, /is a file, not a folder/);
  });

  it('the store folder is open to others (exit 5), not only the key file', () => {
    seed();
    chmodSync(store, 0o755);
    expectWorded(['get', 'secret', '--all'], 5, /local store folder .* is open to others \(mode 755\).*chmod 700/);
    chmodSync(store, 0o700);
    chmodSync(join(store, 'local.key'), 0o640);
    expectWorded(['get', 'secret', 'TOKEN', '--reveal'], 5, /key file .*local\.key is open to others \(mode 640\); run: chmod 600/);
  });

  it.skipIf(root && !setpriv)('an unreadable shard or key file (exit 5)', () => {
    seed();
    chmodSync(shard(), 0o000);
    expectWorded(['get', 'secret', '--all'], 5, /cannot (open|read) .*_\.shard in the local store: permission denied/, true);
    expectWorded(['resolve'], 5, /permission denied/, true);
    chmodSync(shard(), 0o600);
    chmodSync(join(store, 'local.key'), 0o000);
    expectWorded(['get', 'secret', 'TOKEN', '--reveal'], 5, /cannot (open|read) .*local\.key in the local store: permission denied/, true);
  });

  it.skipIf(root && !setpriv)('an unwritable store folder (exit 5), nothing lost', () => {
    seed();
    chmodSync(join(store, 'secrets', 'scoped', 'default', '_'), 0o500);
    expectWorded(['update', 'secret', 'TOKEN', 'new'], 5, /cannot write in folder .*default\/_ of the local store: permission denied; check its owner and mode \(700\)/, true);
    chmodSync(join(store, 'secrets', 'scoped', 'default', '_'), 0o700);
    expect(sb.run(['get', 'secret', 'TOKEN', '--reveal'], { env }).stdout).toBe('canary-value-1');
  });

  it('a symlinked shard (exit 2)', () => {
    seed();
    renameSync(shard(), join(store, 'elsewhere.shard'));
    symlinkSync(join(store, 'elsewhere.shard'), shard());
    expectWorded(['get', 'secret', 'TOKEN', '--reveal'], 2, /_\.shard in the local store is a symbolic link/);
    expectWorded(['create', 'secret', 'OTHER', 'v'], 2, /is a symbolic link/);
  });

  it('a lock path that is a folder or not a lock (exit 2), the store untouched', () => {
    seed();
    const before = readFileSync(shard(), 'utf8');
    const lock = join(store, 'secrets', 'scoped', 'default', '_', '_.lock');
    mkdirSync(lock);
    expectWorded(['create', 'secret', 'OTHER', 'v'], 2, /lock path .*_\.lock is not a scoped lock file; if no scoped process is running, remove it/);
    rmSync(lock, { recursive: true });
    writeFileSync(lock, 'junk');
    expectWorded(['update', 'secret', 'TOKEN', 'v2'], 2, /is not a scoped lock file/);
    expect(readFileSync(shard(), 'utf8')).toBe(before);
  });

  it('a part of the path that is a file (exit 2)', () => {
    seed();
    rmSync(join(store, 'secrets', 'scoped', 'default', '_'), { recursive: true });
    writeFileSync(join(store, 'secrets', 'scoped', 'default', '_'), 'x');
    expectWorded(['create', 'secret', 'K', 'v'], 2, /is a file, not a folder/);
  });

  it('a wrong SCOPED_LOCAL_KEY writes nothing (exit 5)', () => {
    env = { SCOPED_HOME: store, SCOPED_LOCAL_KEY: KEY };
    seed();
    const before = readFileSync(shard(), 'utf8');
    env = { SCOPED_HOME: store, SCOPED_LOCAL_KEY: Buffer.alloc(32, 4).toString('base64') };
    expectWorded(['create', 'secret', 'NEW', 'v'], 5, /SCOPED_LOCAL_KEY is not the key of local store/);
    expectWorded(['create', 'secret', 'NEW', 'v', '--project', 'fresh'], 5, /SCOPED_LOCAL_KEY is not the key of local store/);
    expect(readFileSync(shard(), 'utf8')).toBe(before);
  });
});

describe('storeFsError', () => {
  const errno = (code: string, syscall: string) => Object.assign(new Error(`${code}: raw`), { code, syscall, path: '/s/secrets/a.shard' });
  it.each([
    ['EACCES', 'open', 5, 'cannot open /s/secrets/a.shard in the local store: permission denied'],
    ['EPERM', 'rename', 5, 'cannot write /s/secrets/a.shard in the local store: permission denied'],
    ['EACCES', 'scandir', 5, 'cannot read /s/secrets/a.shard in the local store: permission denied'],
    ['EROFS', 'open', 5, 'cannot write /s/secrets/a.shard in the local store: read-only file system'],
    ['ENOSPC', 'write', 6, 'cannot write /s/secrets/a.shard in the local store: no space left on the device'],
    ['ELOOP', 'open', 2, '/s/secrets/a.shard in the local store is a symbolic link; scoped does not follow links inside its store'],
    ['ENOTDIR', 'open', 2, 'a part of /s/secrets/a.shard in the local store is a file, not a folder'],
  ])('%s from %s: exit %i, in words', async (code, syscall, exit, message) => {
    const { storeFsError } = await import('../../../src/store/local/fs-errors.js');
    expect(storeFsError(errno(code, syscall))).toMatchObject({ exitCode: exit, message });
  });
});

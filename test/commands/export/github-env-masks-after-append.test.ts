import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/main.js';
import { sandbox, testIO, type Sandbox } from '../../helpers/io.js';

/**
 * `export --format github` prints `::add-mask::VALUE` lines, so a failed export must print none of them:
 * the masks go out only after the append to $GITHUB_ENV succeeded (review s28, finding 4: a full disk gave
 * exit 6 after the masks, that is the values, were already on stdout).
 */

/** A disk that fills mid-append, injected: `budget` bytes reach the file, then ENOSPC. */
const disk = vi.hoisted(() => ({ budget: Infinity }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const appendFileSync = (file: number | string, data: string | Uint8Array, ...rest: unknown[]): void => {
    if (disk.budget === Infinity || typeof file !== 'number') return (fs.appendFileSync as (...a: unknown[]) => void)(file, data, ...rest);
    const bytes = Buffer.from(data);
    fs.writeSync(file, bytes, 0, Math.min(bytes.length, disk.budget));
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
  };
  return { ...fs, default: { ...fs, appendFileSync }, appendFileSync };
});

const VALUE = 'github-mask-marker-5e1d';

let s: Sandbox;
beforeEach(async () => {
  disk.budget = Infinity;
  s = sandbox({ SCOPED_LOCAL_KEY: Buffer.alloc(32, 7).toString('base64') });
  for (const k of ['A', 'B']) expect((await s.run(['create', 'secret', k, `${VALUE}-${k}`])).code).toBe(0);
});
afterEach(() => {
  disk.budget = Infinity;
  s.cleanup();
});

function expectFailedQuietly(r: { code: number; stdout: string; stderr: string }, code: number): void {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toContain(VALUE);
}

describe('export --format github on a failing $GITHUB_ENV or stdout', () => {
  it('a full device (/dev/full): exit 6, nothing on stdout', async () => {
    const r = await s.run(['export', '--format', 'github'], { env: { GITHUB_ENV: '/dev/full' } });
    expectFailedQuietly(r, 6);
    expect(r.stderr).toMatch(/^scoped: cannot append to \$GITHUB_ENV \(\/dev\/full\): no space left on the device; nothing was added\n$/);
  });

  for (const budget of [0, 10, 60]) {
    it(`a disk that fills after ${budget} bytes of the append: exit 6, nothing on stdout, the file as before`, async () => {
      const file = join(s.dir, 'github_env');
      writeFileSync(file, 'EARLIER=1\n');
      disk.budget = budget;
      const r = await s.run(['export', '--format', 'github'], { env: { GITHUB_ENV: file } });
      disk.budget = Infinity;
      expectFailedQuietly(r, 6);
      expect(readFileSync(file, 'utf8')).toBe('EARLIER=1\n');
    });
  }

  it('a closed stdout (the masks cannot go out): exit 6, the append cut back, so no value reaches a step unmasked', async () => {
    const file = join(s.dir, 'github_env');
    writeFileSync(file, 'EARLIER=1\n');
    const io = Object.assign(testIO({ cwd: s.dir, env: { ...s.env, GITHUB_ENV: file } }), { stdoutClosed: () => true });
    const code = await main(['export', '--format', 'github'], io);
    expectFailedQuietly({ code, stdout: io.stdout.text, stderr: io.stderr.text }, 6);
    expect(io.stderr.text).toMatch(/cannot write to stdout: it is closed/);
    expect(readFileSync(file, 'utf8')).toBe('EARLIER=1\n');
  });

  it('when the append succeeds, the masks follow it, one per value', async () => {
    const file = join(s.dir, 'github_env');
    const r = await s.run(['export', '--format', 'github'], { env: { GITHUB_ENV: file } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`::add-mask::${VALUE}-A\n::add-mask::${VALUE}-B\n`);
    expect(readFileSync(file, 'utf8')).toContain(`A<<ghadelimiter_`);
  });
});

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStore } from '../../../src/store/local/local-store.js';
import { BIN } from '../../helpers/bin.js';

/**
 * Eight `import` jobs of the built binary into one local scope at once: each plans against an empty
 * scope, and all but the first find its keys created by then. `--on-conflict update` means update: the
 * overtaken keys are planned again and written, so every job succeeds. Without it, a job whose keys now
 * hold other values fails with one summarised line, never a line per key.
 */
const KEY = Buffer.alloc(32, 5).toString('base64');
const JOBS = 8;
const KEYS = 200;
let dir: string;
let home: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-import-race-'));
  home = join(dir, 'store');
  mkdirSync(home, { mode: 0o700 });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function job(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, SCOPED_HOME: home, SCOPED_LOCAL_KEY: KEY, SCOPED_ORG: 'acme' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Job j's dotenv file: KEYS keys, each value naming the job (or the same for every job). */
function files(same: boolean): string[] {
  return Array.from({ length: JOBS }, (_, j) => {
    const path = join(dir, `job-${j}.env`);
    writeFileSync(path, Array.from({ length: KEYS }, (_, i) => `K_${i}=${same ? 'same' : `job-${j}`}-value-${i}`).join('\n') + '\n');
    return path;
  });
}

const values = async () => {
  const store = new LocalStore({ home, envKey: KEY });
  const names = Array.from({ length: KEYS }, (_, i) => `scoped/acme/billing/_/K_${i}`);
  const got = await store.getValues(names);
  expect(got.errors.size).toBe(0);
  return names.map((n) => got.values.get(n)?.value as string);
};

describe(`${JOBS} parallel imports of ${KEYS} keys into one local scope`, () => {
  it('--on-conflict update: every job exits 0, and every key holds a value one of them wrote', async () => {
    const results = await Promise.all(files(false).map((f) => job(['import', f, '--format', 'dotenv', '-p', 'billing', '--on-conflict', 'update'])));
    for (const r of results) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^✓? ?Imported into org acme, project billing: /);
    }
    const stored = await values();
    stored.forEach((v, i) => expect(v).toMatch(new RegExp(`^job-[0-${JOBS - 1}]-value-${i}$`)));
  }, 120_000);

  it('the same values without --on-conflict: every job exits 0 (what another job created is unchanged)', async () => {
    const results = await Promise.all(files(true).map((f) => job(['import', f, '--format', 'dotenv', '-p', 'billing'])));
    for (const r of results) expect([r.code, r.stderr.trim().split('\n').length], r.stderr).toEqual([0, 1]);
    expect((await values()).every((v, i) => v === `same-value-${i}`)).toBe(true);
  }, 120_000);

  it('other values without --on-conflict: the jobs that lost fail (exit 4) in one summarised line each', async () => {
    const results = await Promise.all(files(false).map((f) => job(['import', f, '--format', 'dotenv', '-p', 'billing'])));
    const failed = results.filter((r) => r.code !== 0);
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) {
      expect(r.code).toBe(4);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n').length, r.stderr).toBeLessThanOrEqual(2);
      expect(r.stderr).toMatch(
        /^scoped: (import into org acme, project billing: \d+ of \d+ write\(s\) failed: another writer stored another value since the plan|K_\d+, .* and \d+ more already exist at org acme, project billing with another value)/,
      );
      expect(r.stderr).not.toMatch(/job-\d-value/);
    }
  }, 120_000);
});

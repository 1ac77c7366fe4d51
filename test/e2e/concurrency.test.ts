import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStore } from '../../src/store/local/local-store.js';
import { BIN, binSandbox } from '../helpers/bin.js';

/**
 * Writers racing on a big store: 20,000 secrets of 2 KB, 10,000 of them in the org scope every writer
 * writes to, so each write holds its scope's lock for a long time (the old lock went stale after 2 s and
 * was taken from its live holder; writes reported done were lost).
 */
const KEY = randomBytes(32).toString('base64');
const HOT = 10_000;
const TOTAL = 20_000;
let sb: ReturnType<typeof binSandbox>;
let home: string;
let env: Record<string, string>;

beforeAll(async () => {
  sb = binSandbox();
  home = join(sb.home, 'store');
  env = { ...sb.env, SCOPED_HOME: home, SCOPED_LOCAL_KEY: KEY };
  const value = (i: number) => `${i}-${randomBytes(1_020).toString('hex')}`.slice(0, 2_048);
  const store = new LocalStore({ home, envKey: KEY });
  await store.createMany(
    Array.from({ length: TOTAL }, (_, i) => ({
      name: i < HOT ? `scoped/default/_/_/BIG_${i}` : `scoped/default/p${i % 25}/${i % 2 ? 'production' : '_'}/BIG_${i}`,
      value: value(i),
      tags: {},
    })),
  );
}, 120_000);
afterAll(() => sb.cleanup());

function exited(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

function create(key: string, value: string, scope: string[] = []): ChildProcess {
  const child = spawn(process.execPath, [BIN, 'create', 'secret', key, '--from-file', '-', ...scope], { env, stdio: ['pipe', 'ignore', 'pipe'] });
  child.stdin?.end(value);
  return child;
}

async function expectPresent(committed: Map<string, string>): Promise<void> {
  const store = new LocalStore({ home, envKey: KEY });
  const batch = await store.getValues([...committed.keys()]);
  expect(batch.errors.size).toBe(0);
  for (const [name, value] of committed) expect(batch.values.get(name)?.value).toBe(value);
}

describe('a 20,000-secret store of 2 KB values', () => {
  it('8 writers racing (two creates each, most at one scope): every create reported done is there', async () => {
    const committed = new Map<string, string>();
    await Promise.all(
      Array.from({ length: 8 }, async (_, w) => {
        for (let i = 0; i < 2; i++) {
          const key = `RACE_${w}_${i}`;
          const value = `race-${w}-${i}-${randomBytes(4).toString('hex')}`;
          // Writers 6 and 7 write at another scope: they need not wait for the others.
          const scope = w >= 6 ? ['--project', 'p1'] : [];
          const r = await exited(create(key, value, scope));
          expect(r.stderr).toMatch(/Created/);
          expect(r.code).toBe(0);
          committed.set(`scoped/default/${w >= 6 ? 'p1' : '_'}/_/${key}`, value);
        }
      }),
    );
    expect(committed.size).toBe(16);
    await expectPresent(committed);
    const names = await new LocalStore({ home, envKey: KEY }).listNames(['scoped/default/_/_/']);
    expect(names.length).toBe(HOT + 12);
  }, 180_000);

  it('writers killed with SIGKILL at random moments lose nothing whose command exited 0', async () => {
    const committed = new Map<string, string>();
    const t0 = Date.now();
    const probe = await exited(create('PROBE', 'probe'));
    expect(probe.code).toBe(0);
    const span = Date.now() - t0;
    let killed = 0;
    for (let trial = 0; trial < 6; trial++) {
      await Promise.all(
        [0, 1].map(async (w) => {
          const key = `KILL_${trial}_${w}`;
          const value = `k-${trial}-${w}-${randomBytes(4).toString('hex')}`;
          const child = create(key, value);
          const timer = setTimeout(() => child.kill('SIGKILL'), (2 * span * (trial * 2 + w + Math.random())) / 12);
          const r = await exited(child);
          clearTimeout(timer);
          if (r.code === 0) committed.set(`scoped/default/_/_/${key}`, value);
          else killed++;
        }),
      );
    }
    expect(killed).toBeGreaterThan(0);
    expect(committed.size).toBeGreaterThan(0);
    await expectPresent(committed);
    // A dead writer's lock is recovered at once: the next write goes through.
    const after = await exited(create('AFTER_KILLS', 'after'));
    expect(after.code).toBe(0);
    expect((await new LocalStore({ home, envKey: KEY }).listNames(['scoped/default/_/_/'])).length).toBeGreaterThanOrEqual(HOT + 2);
  }, 180_000);
});

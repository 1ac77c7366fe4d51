/**
 * `rollback --pinned FILE` and `pin --protect` / `--unprotect` on the local store, through main: a
 * deployment of several keys over its scopes back to a pin, a key created since listed and left alone,
 * --dry-run changing nothing, a key deleted since named with `restore secret` and nothing moved; a pin 20
 * updates old still read; protect labels surviving more than 100 later updates; the 20-label limit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';

const KEY = Buffer.alloc(32, 22).toString('base64');
const CANARY = 'canary-rollback-9c2d';
const D = ['-p', 'billing', '-d', 'production'];

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox({ SCOPED_LOCAL_KEY: KEY, SCOPED_ORG: 'acme' });
});
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  sb.cleanup();
});

async function ok(argv: string[], stdin?: string): Promise<string> {
  const r = await sb.run(argv, stdin !== undefined ? { stdin } : {});
  expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

/** Three keys at three scopes of billing/production: org, project and project+domain. */
async function deploy(tag: string): Promise<void> {
  await ok(['set', 'secret', 'LOG_LEVEL'], `${CANARY}-log-${tag}`);
  await ok(['set', 'secret', 'DB_URL', '-p', 'billing'], `${CANARY}-db-${tag}`);
  await ok(['set', 'secret', 'STRIPE_KEY', ...D], `${CANARY}-stripe-${tag}`);
}

const exported = async (pinned?: string) =>
  JSON.parse(await ok(['export', ...D, '--format', 'json', ...(pinned !== undefined ? ['--pinned', pinned] : [])])) as Record<string, string>;

const pinPath = (name: string) => join(sb.dir, name);

describe('rollback --pinned (local)', () => {
  it('a deployment back to its pin; a key created since listed and left alone; no new version; --dry-run first changes nothing', async () => {
    await deploy('r1');
    await ok(['pin', ...D, '--out', pinPath('r1.pin.json')]);
    await deploy('r2');
    await ok(['set', 'secret', 'NEW_FLAG', '-p', 'billing'], `${CANARY}-new`);
    const r2 = await exported();
    const versionsBefore = await ok(['history', 'secret', 'STRIPE_KEY', ...D, '-o', 'json']);

    const dry = await sb.run(['rollback', '--pinned', pinPath('r1.pin.json'), '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = dry.stdout
      .trimEnd()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(plan.map((c) => [c[0], c[4]])).toEqual([
      ['DB_URL', 'move'],
      ['LOG_LEVEL', 'move'],
      ['STRIPE_KEY', 'move'],
      ['NEW_FLAG', 'created since the pin: left alone'],
    ]);
    expect(await exported()).toEqual(r2);

    const refused = await sb.run(['rollback', '--pinned', pinPath('r1.pin.json')]);
    expect([refused.code, refused.stdout]).toEqual([2, '']);

    const r = await sb.run(['rollback', '--pinned', pinPath('r1.pin.json'), '--yes', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { keys: { key: string; moved: boolean }[]; createdSince: { key: string }[] };
    expect(result.keys.map((k) => [k.key, k.moved])).toEqual([
      ['DB_URL', true],
      ['LOG_LEVEL', true],
      ['STRIPE_KEY', true],
    ]);
    expect(result.createdSince.map((k) => k.key)).toEqual(['NEW_FLAG']);
    expect(await exported()).toEqual({ LOG_LEVEL: `${CANARY}-log-r1`, DB_URL: `${CANARY}-db-r1`, STRIPE_KEY: `${CANARY}-stripe-r1`, NEW_FLAG: `${CANARY}-new` });
    const versionsAfter = JSON.parse(await ok(['history', 'secret', 'STRIPE_KEY', ...D, '-o', 'json'])) as { versions: { versionId: string }[] };
    expect(versionsAfter.versions.map((v) => v.versionId)).toEqual((JSON.parse(versionsBefore) as { versions: { versionId: string }[] }).versions.map((v) => v.versionId));
    for (const out of [dry, r]) expect(out.stdout + out.stderr).not.toContain(CANARY);

    // Again: every key already there, nothing to do.
    const again = await sb.run(['rollback', '--pinned', pinPath('r1.pin.json'), '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('already at its pinned version');
  });

  it('a key deleted since the pin: named with restore secret, exit 4, nothing moved', async () => {
    await deploy('r1');
    await ok(['pin', ...D, '--out', pinPath('r1.pin.json')]);
    await deploy('r2');
    await ok(['delete', 'secret', 'DB_URL', '-p', 'billing', '--yes']);
    const r = await sb.run(['rollback', '--pinned', pinPath('r1.pin.json'), '--yes']);
    expect([r.code, r.stdout]).toEqual([4, '']);
    expect(r.stderr).toContain('nothing was moved');
    expect(r.stderr).toContain('scoped restore secret DB_URL --project billing');
    expect((await exported()).STRIPE_KEY).toBe(`${CANARY}-stripe-r2`);
  });

  it('one key that cannot be moved (its scope locked by another writer) stops the rest; the output names what moved (exit 6)', async () => {
    await deploy('r1');
    await ok(['pin', ...D, '--out', pinPath('r1.pin.json')]);
    await deploy('r2');
    // The org scope (LOG_LEVEL) held by a live process: DB_URL moves first, LOG_LEVEL waits --timeout and fails.
    const lock = join(sb.home, 'secrets', 'scoped', 'acme', '_', '_.lock');
    const holder = spawn(process.execPath, [join(import.meta.dirname, '..', 'fixtures', 'lock-holder.mjs'), lock, '60000', ''], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(holder);
    await new Promise((resolve) => holder.stdout?.once('data', resolve));
    const r = await sb.run(['rollback', '--pinned', pinPath('r1.pin.json'), '--yes', '--timeout', '1']);
    expect([r.code, r.stdout]).toEqual([6, '']);
    expect(r.stderr).toContain('stopped at LOG_LEVEL at org acme');
    expect(r.stderr).toContain('moved to their pinned versions: DB_URL at org acme, project billing;');
    expect(r.stderr).toContain('not touched: LOG_LEVEL at org acme, STRIPE_KEY at org acme, project billing, domain production');
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    const values = await exported();
    expect([values.DB_URL, values.LOG_LEVEL, values.STRIPE_KEY]).toEqual([`${CANARY}-db-r1`, `${CANARY}-log-r2`, `${CANARY}-stripe-r2`]);
    // The same rollback again finishes it: DB_URL is already there.
    const again = await sb.run(['rollback', '--pinned', pinPath('r1.pin.json'), '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(await exported()).toEqual({ LOG_LEVEL: `${CANARY}-log-r1`, DB_URL: `${CANARY}-db-r1`, STRIPE_KEY: `${CANARY}-stripe-r1` });
  });

  it('a pin that is not a pin, or for another org, is refused before anything is read (exit 2)', async () => {
    writeFileSync(pinPath('bad.json'), '{"format": 1}');
    expect((await sb.run(['rollback', '--pinned', pinPath('bad.json'), '--yes'])).code).toBe(2);
    await deploy('r1');
    await ok(['pin', ...D, '--out', pinPath('r1.pin.json')]);
    const other = await sb.run(['rollback', '--pinned', pinPath('r1.pin.json'), '--yes', '--org', 'other']);
    expect(other.code).toBe(2);
    expect(other.stderr).toContain('is for org "acme"');
  });
});

describe('pins on the local store', () => {
  it('a pin 20 updates old still reads', async () => {
    await deploy('r0');
    await ok(['pin', ...D, '--out', pinPath('old.pin.json')]);
    for (let i = 1; i <= 20; i++) await ok(['set', 'secret', 'STRIPE_KEY', ...D], `${CANARY}-stripe-${i}`);
    expect(await exported(pinPath('old.pin.json'))).toEqual({ LOG_LEVEL: `${CANARY}-log-r0`, DB_URL: `${CANARY}-db-r0`, STRIPE_KEY: `${CANARY}-stripe-r0` });
  });

  it('pin --protect: the label survives more than 100 later updates, so the pin still reads; --unprotect removes it', async () => {
    await deploy('r0');
    const p = await sb.run(['pin', ...D, '--out', pinPath('p.pin.json'), '--protect']);
    expect(p.code, p.stderr).toBe(0);
    const label = /label (scoped-pin-[0-9a-f]{12})/.exec(p.stderr)?.[1] as string;
    expect(label).toBeDefined();
    for (let i = 1; i <= 105; i++) await ok(['set', 'secret', 'STRIPE_KEY', ...D], `${CANARY}-stripe-${i}`);
    expect((await exported(pinPath('p.pin.json'))).STRIPE_KEY).toBe(`${CANARY}-stripe-r0`);
    const history = JSON.parse(await ok(['history', 'secret', 'STRIPE_KEY', ...D, '-o', 'json'])) as { versions: { stages: string[] }[] };
    expect(history.versions).toHaveLength(100);
    expect(history.versions.at(-1)?.stages).toEqual([label]);

    const un = await sb.run(['pin', '--unprotect', pinPath('p.pin.json')]);
    expect(un.code, un.stderr).toBe(0);
    expect(un.stderr).toContain(`Removed label ${label} from 3 version(s)`);
    const after = JSON.parse(await ok(['history', 'secret', 'STRIPE_KEY', ...D, '-o', 'json'])) as { versions: { stages: string[] }[] };
    expect(after.versions.every((v) => !v.stages.includes(label))).toBe(true);
    // Twice: nothing left to remove, said so.
    const twice = await sb.run(['pin', '--unprotect', pinPath('p.pin.json')]);
    expect(twice.code, twice.stderr).toBe(0);
    expect(twice.stderr).toContain('3 had no such label');
    expect((await sb.run(['pin', '--unprotect', pinPath('p.pin.json'), '--protect'])).code).toBe(2);
  });

  it('the 20-label limit: the pin that would put a 21st label on a version says so, exit 4, naming what was labelled', async () => {
    await ok(['set', 'secret', 'ONLY'], `${CANARY}-only`);
    // AWSCURRENT + 19 pins' labels = 20 on the one version.
    for (let i = 0; i < 19; i++) await ok(['pin', '--out', pinPath(`p${i}.pin.json`), '--protect']);
    const r = await sb.run(['pin', '--out', pinPath('p19.pin.json'), '--protect']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('already carries 20 staging labels');
    expect(r.stderr).toContain('the pin is written to');
    expect(r.stderr).toContain('not labelled: ONLY at org acme');
    expect(r.stdout).toBe('');
  });
});

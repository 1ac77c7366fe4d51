import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, UnavailableError, UsageError } from '../../../src/errors.js';
import { LocalStore } from '../../../src/store/local/local-store.js';

let dir: string;
let home: string;
let lines: string[];
const children: ChildProcess[] = [];
const KEY = Buffer.alloc(32, 11).toString('base64');
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-wm-'));
  home = join(dir, 'home');
  lines = [];
});
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});
const open = (o: { lockTimeoutMs?: number } = {}) => new LocalStore({ home, envKey: KEY, log: { debug: (l) => lines.push(l) }, ...o });
const create = (name: string, value = 'v') => ({ kind: 'create' as const, input: { name, value, tags: {} } });

describe('writeMany on the local store', () => {
  it('one lock and one commit per scope touched, whatever the number of ops', async () => {
    const ops = [...Array.from({ length: 50 }, (_, i) => create(`s/o/_/_/K${i}`)), ...Array.from({ length: 30 }, (_, i) => create(`s/o/p/d/K${i}`))];
    const result = await open().writeMany(ops);
    expect(result.written.size).toBe(80);
    expect(result.errors.size).toBe(0);
    const writes = lines.filter((l) => l.startsWith('local locked write of '));
    expect(writes).toHaveLength(2);
    expect(writes.some((l) => l.includes(join('s', 'o', '_', '_.shard')))).toBe(true);
    expect(writes.some((l) => l.includes(join('s', 'o', 'p', 'd.shard')))).toBe(true);
  });

  it('reports each failure by name and writes every other op, in order', async () => {
    const store = open();
    await store.create({ name: 's/o/_/_/OLD', value: 'old', tags: {} });
    await store.create({ name: 's/o/_/_/GONE', value: 'g', tags: {} });
    await store.delete('s/o/_/_/GONE', { recoveryDays: 7 });
    const result = await store.writeMany([
      create('s/o/_/_/OLD', 'clash'),
      create('s/o/_/_/GONE', 'again'),
      { kind: 'put', name: 's/o/_/_/MISSING', value: 'x' },
      create('s/o/_/_/NEW', 'first'),
      { kind: 'put', name: 's/o/_/_/NEW', value: 'second' },
      { kind: 'put', name: 's/o/_/_/OLD', value: 'newer' },
    ]);
    expect(result.errors.get('s/o/_/_/GONE')).toMatchObject({ reason: 'scheduled-for-deletion' });
    expect(result.errors.get('s/o/_/_/MISSING')).toBeInstanceOf(NotFoundError);
    expect(result.errors.get('s/o/_/_/OLD')).toBeInstanceOf(ConflictError);
    expect((await store.getValue('s/o/_/_/NEW')).value).toBe('second');
    expect((await store.getValue('s/o/_/_/NEW', { versionStage: 'AWSPREVIOUS' })).value).toBe('first');
    expect((await store.getValue('s/o/_/_/OLD')).value).toBe('newer');
  });

  it("checks every op's limits before the first write: one bad op writes nothing", async () => {
    const store = open();
    const bad = [create('s/o/_/_/A'), create('s/o/p/_/B'), { kind: 'put' as const, name: 's/o/_/_/A', value: '' }];
    await expect(store.writeMany(bad)).rejects.toBeInstanceOf(UsageError);
    await expect(
      store.writeMany([create('s/o/_/_/A'), { kind: 'create', input: { name: 's/o/_/_/R', value: 'v', tags: {}, replicaRegions: ['eu-west-1'] } }]),
    ).rejects.toBeInstanceOf(UsageError);
    expect(await store.listNames(['s/'])).toEqual([]);
  });

  it('a scope locked by a live process fails its own ops only (exit 6 after the timeout); other scopes are written', async () => {
    const store = open({ lockTimeoutMs: 200 });
    await store.create({ name: 's/o/_/_/SEED', value: 'v', tags: {} });
    const lock = join(home, 'secrets', 's', 'o', '_', '_.lock');
    const holder = spawn(process.execPath, [join(import.meta.dirname, '..', '..', 'fixtures', 'lock-holder.mjs'), lock, '60000', ''], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(holder);
    await new Promise((resolve) => holder.stdout?.once('data', resolve));
    const result = await store.writeMany([create('s/o/_/_/BLOCKED'), create('s/o/p/_/FREE')]);
    expect(result.written.has('s/o/p/_/FREE')).toBe(true);
    const err = result.errors.get('s/o/_/_/BLOCKED');
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err?.message).toBe(`scope s/o/_/_ of local store ${home} is locked by process ${holder.pid}, still running after 0 s`);
    await expect(store.create({ name: 's/o/_/_/ALSO', value: 'v', tags: {} })).rejects.toBeInstanceOf(UnavailableError);
    expect(await store.listNames(['s/o/_/_/'])).toEqual(['s/o/_/_/SEED']);
  });

  it('a wrong key writes nothing at any scope (exit 5)', async () => {
    await open().create({ name: 's/o/_/_/A', value: 'v', tags: {} });
    const wrong = new LocalStore({ home, envKey: Buffer.alloc(32, 12).toString('base64') });
    await expect(wrong.writeMany([create('s/o/p/_/B'), create('s/o/_/_/C')])).rejects.toMatchObject({ exitCode: 5 });
    expect(await open().listNames(['s/'])).toEqual(['s/o/_/_/A']);
  });
});

describe('the store folder', () => {
  it('is created 0700 on the first write and a read of a missing folder is an empty store', async () => {
    expect(await open().listNames(['s/'])).toEqual([]);
    expect(await open().list(['s/'])).toEqual([]);
    mkdirSync(dir, { recursive: true });
    await open().create({ name: 'x', value: 'no slash', tags: {} });
    expect((await open().getValue('x')).value).toBe('no slash');
    expect(await open().listNames(['x'])).toEqual(['x']);
  });
});

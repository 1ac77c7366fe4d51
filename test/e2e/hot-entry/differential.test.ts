/**
 * The hot entry (dist/bundle/hot.cjs, src/cli/hot-entry.ts) against the full CLI, byte for byte: every line
 * below runs through the built binary as installed and with SCOPED_NO_HOT=1, and stdout, stderr and the exit
 * code must be equal. Each line also runs through hot.cjs alone, which must answer the lines it is meant to
 * and decline (answer undefined, having written nothing) every other: errors, lines outside its grammar,
 * anything needing AWS on a cold cache.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithMoto, motoStore } from '../../helpers/moto.js';
import { jobEnv, seedDeployment } from '../pin/fleet.js';
import { BIN } from '../../helpers/bin.js';
import { secretName } from '../../../src/core/naming.js';
import { binRun, hotOnly } from './hot-harness.js';

const KEY = Buffer.alloc(32, 7).toString('base64');

/** A line, and whether the hot entry answers it (true) or declines it (false). */
type Line = [args: string[], answered: boolean, o?: { cwd?: string; env?: Record<string, string> }];

/** Runs `line` three ways and checks them against each other. */
function check(dir: string, env: Record<string, string>, cwd: string, [args, answered, o = {}]: Line): void {
  const e = { ...env, ...o.env };
  const at = o.cwd ?? cwd;
  // hot.cjs alone first: a cold cache is still cold (the full CLI's runs below warm it).
  const alone = hotOnly(dir, args, e, at);
  const hot = binRun(args, e, at, true);
  const full = binRun(args, e, at, false);
  expect(hot, `scoped ${args.join(' ')}`).toEqual(full);
  expect(alone.answered !== null, `hot.cjs ${answered ? 'answers' : 'declines'}: scoped ${args.join(' ')}`).toBe(answered);
  if (answered) expect({ code: alone.answered, stdout: alone.stdout, stderr: alone.stderr }).toEqual(full);
  else expect([alone.stdout, alone.stderr]).toEqual(['', '']);
}

describe('the hot entry answers as the full CLI does (local store)', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'scoped-hot-diff-'));
    env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      LANG: 'C.UTF-8',
      XDG_CACHE_HOME: join(dir, 'cache'),
      SCOPED_HOME: join(dir, 'store'),
      SCOPED_LOCAL_KEY: KEY,
      SCOPED_ORG: 'acme',
    };
    // Keys at the four scopes of billing/production, some shadowed.
    for (let i = 0; i < 8; i++) {
      const create = (scope: string[]) => binRunInput(['create', 'secret', `K${i}`, '--from-file', '-', ...scope], env, dir, `v${i}-${scope.join('')}-canary`);
      create([]);
      if (i % 2 === 0) create(['-p', 'billing']);
      if (i % 3 === 0) create(['-d', 'production']);
      if (i % 4 === 0) create(['-p', 'billing', '-d', 'production']);
    }
    // A value that needs quoting in dotenv and shell, and one with a newline.
    binRunInput(['create', 'secret', 'QUOTED', '--from-file', '-'], env, dir, 'it\'s "q" $HOME');
    binRunInput(['create', 'secret', 'MULTI', '--from-file', '-'], env, dir, 'line1\nline2');
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', '.scoped.yaml'), 'project: billing\ndomain: production\n');
    const pin = binRun(['pin', '-p', 'billing', '-d', 'production', '--out', join(dir, 'p.json')], env, dir, false);
    if (pin.code !== 0) throw new Error(pin.stderr);
    writeFileSync(join(dir, 'bad.json'), '{"not": "a pin"}');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const answered: Line[] = [
    [['resolve'], true],
    [['resolve', '-p', 'billing', '-d', 'production'], true],
    [['resolve', '-d', 'production', '-p', 'billing'], true],
    [['resolve', '--project', 'billing', '--domain=production'], true],
    [['resolve', '-o', 'json', '-p', 'billing'], true],
    [['resolve', '-p', 'billing', '-o', 'yaml'], true],
    [['resolve', '--output=json'], true],
    [['resolve', '-o', 'markdown', '-p', 'billing'], true],
    [['resolve', '-o', 'table'], true],
    [['resolve', '--explain', '-p', 'billing', '-d', 'production'], true],
    [['resolve', 'K4', 'K1', '-p', 'billing'], true],
    [['resolve', 'K4', '--reveal', '-p', 'billing', '-d', 'production'], true],
    [['resolve', 'MULTI', '--reveal', '--raw'], true],
    [['--org', 'acme', 'resolve', '-q'], true],
    [['resolve', '--no-color', '--org=acme'], true],
    [['resolve', '--prefix', 'scoped/'], true],
    [['--backend', 'local', 'resolve'], true],
    [['resolve'], true, { env: { SCOPED_PROJECT: 'billing', SCOPED_DOMAIN: 'production' } }],
    [['resolve', '-p', 'other'], true, { env: { SCOPED_PROJECT: 'billing' } }],
    [['resolve'], true, { cwd: 'app' }],
    [['resolve', '-d', 'staging'], true, { cwd: 'app' }],
    [['resolve', '-p', 'nobody', '-d', 'none', '--org', 'empty'], true],
    [['get', 'secret', 'K3', '--reveal'], true],
    [['get', 'secret', 'K4', '--reveal', '-p', 'billing'], true],
    [['get', 'secrets', 'K0', '--reveal', '-d', 'production'], true],
    [['--org', 'acme', 'get', 'secret', 'QUOTED', '--reveal', '--raw'], true],
    [['get', 'secret', 'K3'], true],
    [['get', 'secret', 'K3', '-o', 'json'], true],
    [['get', 'secret', '-p', 'billing'], true],
    [['get', 'secret', '-o', 'yaml'], true],
    [['export'], true],
    [['export', '-p', 'billing', '-d', 'production'], true],
    [['export', '--format', 'json', '-p', 'billing'], true],
    [['export', '-o', 'yaml'], true],
    [['export', '--format=shell'], true],
    [['export', '--format', 'json', '-o', 'json'], true],
    [['export', '--only', 'K4', '--only', 'K1=ONE', '-p', 'billing'], true],
    [['export', '--exclude', 'K3', '--exclude', 'MULTI'], true],
    [['export', '--raw'], true],
    [['export'], true, { cwd: 'app' }],
    [['export', '--pinned', 'p.json'], true],
    [['export', '--pinned', 'p.json', '--format', 'json', '--cache'], true],
    [['export', '-p', 'nobody'], true],
  ];
  const declined: Line[] = [
    // Errors: the full CLI's message, and the hot entry gives up.
    [['resolve', 'NOPE', '--reveal'], false],
    [['resolve', '--reveal'], false],
    [['resolve', '-p', 'bad name'], false],
    [['resolve', 'bad-key'], false],
    [['resolve', 'K1', '--reveal', '--explain'], false],
    [['resolve', 'K1', '--reveal', '-o', 'json'], false],
    [['resolve', '--raw'], false],
    [['get', 'secret', 'NOPE', '--reveal'], false],
    [['get', 'secret', '--reveal'], false],
    [['get', 'secret', 'K1', '--reveal', '-o', 'json'], false],
    [['export', '--pinned', 'missing.json'], false],
    [['export', '--pinned', 'bad.json'], false],
    [['export', '-o', 'table'], false],
    [['export', '--format', 'json', '-o', 'yaml'], false],
    [['export', '--only', 'NOPE'], false],
    [['export', '--only', 'K1', '--only', 'K2=K1'], false],
    [['resolve'], false, { env: { SCOPED_PROJECT: 'bad name' } }],
    [['resolve'], false, { env: { SCOPED_BACKEND: 'nope' } }],
    // Outside the grammar: the full CLI reads them (some succeed, some are usage errors).
    [['resolve', '-pbilling'], false],
    [['resolve', '-p'], false],
    [['resolve', '-p', 'billing', '-p', 'other'], false],
    [['resolve', '--bogus'], false],
    [['-p', 'billing', 'resolve'], false],
    [['resolve', '--', 'K1'], false],
    // (--debug is outside the grammar too; its lines carry timings, so two runs differ.)
    [['resolve', '-y'], false],
    [['resolve', '--timeout', '5'], false],
    [['resolve', '-p', ''], false],
    [['resolve', '-qo', 'json'], false],
    [['resolve', '--explain=yes'], false],
    [['resolve', '-o', 'xml'], false],
    [['get', 'secret', 'K1', 'K2'], false],
    [['get', '-p', 'billing', 'secret', 'K1'], false],
    [['get', 'secret', 'K1', '--versions'], false],
    [['get', 'secrte', 'K1'], false],
    [['export', 'K1'], false],
    [['export', '--out', 'out.env'], false],
    [['export', '-o', 'markdown'], false],
    [['export', '--only', 'K1', '--only', 'K1'], false],
    [['--backend', 'nope', 'resolve'], false],
    [['--region', 'eu-west-1', 'resolve'], false],
    [['resolv'], false],
  ];

  it.each(answered)('answers %j', (...line) => check(dir, env, dir, withCwd(line as Line)));
  it.each(declined)('declines %j', (...line) => check(dir, env, dir, withCwd(line as Line)));

  /** A line's cwd relative to the sandbox. */
  function withCwd([args, a, o]: Line): Line {
    return [args, a, o?.cwd === undefined ? o : { ...o, cwd: join(dir, o.cwd) }];
  }
});

function binRunInput(args: string[], env: Record<string, string>, cwd: string, input: string): void {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, cwd, input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

describeWithMoto('the hot entry answers a warm pinned export as the full CLI does (AWS on moto)', (moto) => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    await moto().reset();
    await seedDeployment(await motoStore(moto().endpoint), 6);
    dir = mkdtempSync(join(tmpdir(), 'scoped-hot-aws-'));
    env = jobEnv(dir, moto().endpoint, { SCOPED_LOCAL_KEY: KEY, XDG_CACHE_HOME: join(dir, 'cache') });
    const pin = binRun(['pin', '--out', 'p.json'], env, dir, false);
    if (pin.code !== 0) throw new Error(pin.stderr);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('cold: declined (the SDK is needed), and the full CLI warms the cache; warm: answered, equal', () => {
    check(dir, env, dir, [['export', '--pinned', 'p.json', '--cache'], false]);
    // The full CLI's runs above warmed the cache.
    check(dir, env, dir, [['export', '--pinned', 'p.json', '--cache'], true]);
    check(dir, env, dir, [['export', '--pinned', 'p.json', '--cache', '--format', 'json'], true]);
    check(dir, env, dir, [['export', '--pinned', 'p.json'], true, { env: { SCOPED_CACHE: '1' } }]);
    check(dir, env, dir, [['export', '--pinned', 'p.json', '--cache', '--only', 'KEY_001'], true]);
  });

  it('without the cache, unpinned, or with a cache another key wrote: declined, and equal', () => {
    check(dir, env, dir, [['export', '--pinned', 'p.json'], false]);
    check(dir, env, dir, [['export', '--cache'], false]);
    check(dir, env, dir, [['resolve'], false]);
    check(dir, env, dir, [['get', 'secret', 'KEY_001', '--reveal'], false]);
    // A cache written with another local key cannot be read: a miss, as the full CLI sees it.
    check(dir, { ...env, SCOPED_LOCAL_KEY: Buffer.alloc(32, 8).toString('base64') }, dir, [['export', '--pinned', 'p.json', '--cache'], false]);
  });

  it('a stale cache (a newer pin names versions it lacks): declined, and equal', async () => {
    const store = await motoStore(moto().endpoint);
    await store.putValue(secretName('scoped/', { org: 'acme' }, 'KEY_000'), 'newer-canary');
    const pin = binRun(['pin', '--out', 'p2.json'], env, dir, false);
    expect(pin.code, pin.stderr).toBe(0);
    check(dir, env, dir, [['export', '--pinned', 'p2.json', '--cache'], false]);
    check(dir, env, dir, [['export', '--pinned', 'p2.json', '--cache'], true]);
  });
});

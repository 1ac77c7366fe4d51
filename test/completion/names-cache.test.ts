import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fullProgram } from '../../src/cli/program.js';
import { loadConfig, type Config, type FlagValues } from '../../src/config.js';
import type { CompleteDeps } from '../../src/completion/complete.js';
import { refreshForLine } from '../../src/completion/store-source.js';
import { cacheDir, cacheFile, CACHE_TTL_MS, claimRefresh, readNames, writeNames } from '../../src/completion/names-cache.js';
import { orgNames, type NamesDeps } from '../../src/completion/org-names.js';
import { commandSpec } from '../../src/completion/tree.js';
import { testIO } from '../helpers/io.js';

let dir: string;
let env: Record<string, string>;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-cache-'));
  env = { HOME: dir, XDG_CACHE_HOME: join(dir, 'cache'), XDG_CONFIG_HOME: join(dir, 'config') };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const aws = (flags: FlagValues = {}): Promise<Config> => loadConfig({ backend: 'aws', region: 'eu-west-1', ...flags }, env, dir);
const mode = (path: string) => statSync(path).mode & 0o777;
const NAMES = { names: ['scoped/default/web/_/TOKEN', 'scoped/default/_/prod/DB'], deleted: ['scoped/default/web/_/OLD'] };

describe('the names cache file', () => {
  it('lives under $XDG_CACHE_HOME/scoped, else ~/.cache/scoped', () => {
    expect(cacheDir(env)).toBe(join(dir, 'cache', 'scoped'));
    expect(cacheDir({ HOME: dir })).toBe(join(dir, '.cache', 'scoped'));
  });

  it('is one file per backend, prefix, org, region, endpoint, profile and role', async () => {
    const base = cacheFile('/c', await aws());
    expect(cacheFile('/c', await aws())).toBe(base);
    const others: FlagValues[] = [
      { prefix: 'other/' },
      { org: 'acme' },
      { region: 'us-east-1' },
      { endpointUrl: 'http://127.0.0.1:5000' },
      { profile: 'dev' },
      { roleArn: 'arn:aws:iam::1:role/r' },
    ];
    const files = await Promise.all(others.map(async (f) => cacheFile('/c', await aws(f))));
    expect(new Set([base, ...files]).size).toBe(others.length + 1);
    expect(cacheFile('/c', await loadConfig({ region: 'eu-west-1' }, env, dir))).not.toBe(base);
  });

  it('holds names only, mode 0600 in a 0700 directory (tightened if it was looser)', async () => {
    const file = cacheFile(cacheDir(env), await aws());
    mkdirSync(join(dir, 'cache', 'scoped'), { recursive: true, mode: 0o755 });
    chmodSync(join(dir, 'cache', 'scoped'), 0o755);
    writeNames(file, { fetchedAt: 1_000, ...NAMES });
    expect(mode(file)).toBe(0o600);
    expect(mode(join(dir, 'cache', 'scoped'))).toBe(0o700);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')))).toEqual(['format', 'fetchedAt', 'names', 'deleted']);
  });

  it('is fresh for the TTL; anything stale, future or unreadable counts as absent', async () => {
    const file = cacheFile(cacheDir(env), await aws());
    writeNames(file, { fetchedAt: 1_000, ...NAMES });
    expect(readNames(file, 1_000 + CACHE_TTL_MS - 1)).toEqual({ fetchedAt: 1_000, ...NAMES });
    expect(readNames(file, 1_000 + CACHE_TTL_MS)).toBeUndefined();
    expect(readNames(file, 999)).toBeUndefined();
    writeFileSync(file, '{"format":"scoped-names/1","fetchedAt":');
    expect(readNames(file, 1_000)).toBeUndefined();
  });

  it('lets one refresh start at a time', async () => {
    const file = cacheFile(cacheDir(env), await aws());
    expect(claimRefresh(file, Date.now())).toBe(true);
    expect(claimRefresh(file, Date.now())).toBe(false);
    expect(claimRefresh(file, Date.now() + 60_000)).toBe(true);
  });
});

describe('orgNames on AWS: the foreground reads the cache, a detached refresh fills it', () => {
  function deps(over: Partial<NamesDeps> = {}): NamesDeps & { listed: number; refreshes: (readonly string[])[] } {
    const d = {
      env,
      now: () => Date.now(),
      listed: 0,
      refreshes: [] as (readonly string[])[],
      listNames: async () => {
        d.listed++;
        return NAMES;
      },
      startRefresh: (words: readonly string[]) => d.refreshes.push(words),
      ...over,
    };
    return d;
  }

  it('a fresh cache answers without the store or a refresh', async () => {
    const config = await aws();
    writeNames(cacheFile(cacheDir(env), config), { fetchedAt: Date.now(), ...NAMES });
    const d = deps();
    expect(await orgNames(config, ['x'], d, Date.now() + 300)).toMatchObject(NAMES);
    expect(d).toMatchObject({ listed: 0, refreshes: [] });
  });

  it('a missing cache starts one refresh and waits for it until the deadline', async () => {
    const config = await aws();
    const file = cacheFile(cacheDir(env), config);
    const d = deps();
    d.startRefresh = (words) => {
      d.refreshes.push(words);
      setTimeout(() => writeNames(file, { fetchedAt: Date.now(), ...NAMES }), 50);
    };
    expect(await orgNames(config, ['get', 'secret', '--project', ''], d, Date.now() + 300)).toMatchObject(NAMES);
    expect(d.refreshes).toEqual([['get', 'secret', '--project', '']]);
    expect(d.listed).toBe(0);
  });

  it('a refresh slower than the deadline: nothing now, and no second refresh while it runs', async () => {
    const config = await aws();
    const d = deps();
    const started = Date.now();
    expect(await orgNames(config, [], d, started + 100)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(500);
    expect(await orgNames(config, [], d, Date.now() + 50)).toBeUndefined();
    expect(d.refreshes).toHaveLength(1);
  });

  it('the local backend is read in place, never cached', async () => {
    const d = deps();
    expect(await orgNames(await loadConfig({}, env, dir), [], d, Date.now() + 300)).toEqual(NAMES);
    expect(d).toMatchObject({ listed: 1, refreshes: [] });
    expect(existsSync(cacheDir(env))).toBe(false);
  });
});

describe('__complete refresh', () => {
  it('lists the store the line names, writes its cache and releases the claim', async () => {
    const root = commandSpec((await fullProgram(testIO(), '0.0.0')).root);
    const seen: Config[] = [];
    const d: CompleteDeps = {
      env,
      cwd: dir,
      now: () => Date.now(),
      budgetMs: 300,
      listNames: async (config) => (seen.push(config), NAMES),
      startRefresh: () => undefined,
    };
    const words = ['--backend', 'aws', '--org', 'acme', 'get', 'secret', '--region', 'eu-west-1', '--project', ''];
    const config = await aws({ org: 'acme' });
    const file = cacheFile(cacheDir(env), config);
    expect(claimRefresh(file, Date.now())).toBe(true);
    await refreshForLine(root, words, d);
    expect(seen.map((c) => [c.backend.value, c.org.value, c.region.value])).toEqual([['aws', 'acme', 'eu-west-1']]);
    expect(readNames(file, Date.now())).toMatchObject(NAMES);
    expect(claimRefresh(file, Date.now())).toBe(true);
  });
});

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config.js';
import { CONFIG_CACHE_FILE, configCache, MAX_ENTRIES, MAX_TEXT } from '../../src/completion/config-cache.js';
import { version } from '../../src/version.js';

const FORMAT = `scoped-config/1 ${version()}`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-config-cache-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const cacheDir = () => join(dir, 'cache', 'scoped');

describe('configCache', () => {
  it('gives back what was set for exactly the same text, across runs (a new cache object reads the file)', () => {
    configCache(cacheDir()).set('project: billing\n', { project: 'billing' });
    const next = configCache(cacheDir());
    expect(next.get('project: billing\n')).toEqual({ project: 'billing' });
    expect(next.get('project: billing')).toBeUndefined();
    expect(next.get('project: web\n')).toBeUndefined();
    expect(statSync(join(cacheDir(), CONFIG_CACHE_FILE)).mode & 0o777).toBe(0o600);
    expect(statSync(cacheDir()).mode & 0o777).toBe(0o700);
  });

  it('keeps the most recent entries only, and an empty file (null) as a hit', () => {
    const cache = configCache(cacheDir());
    cache.set('', null);
    for (let i = 0; i < MAX_ENTRIES; i++) cache.set(`project: p${i}\n`, { project: `p${i}` });
    const next = configCache(cacheDir());
    expect(next.get('project: p0\n')).toEqual({ project: 'p0' });
    expect(next.get(`project: p${MAX_ENTRIES - 1}\n`)).toEqual({ project: `p${MAX_ENTRIES - 1}` });
    expect(next.get('')).toBeUndefined();
    cache.set('', null);
    expect(configCache(cacheDir()).get('')).toBeNull();
  });

  it('does not keep what JSON would change, or a text longer than a config file', () => {
    const cache = configCache(cacheDir());
    cache.set('n: .inf\n', { n: Infinity });
    cache.set('d: !!timestamp 2026-01-01\n', { d: new Date(0) });
    cache.set(`x: ${'a'.repeat(MAX_TEXT)}\n`, { x: 'a'.repeat(MAX_TEXT) });
    const next = configCache(cacheDir());
    expect(next.get('n: .inf\n')).toBeUndefined();
    expect(next.get('d: !!timestamp 2026-01-01\n')).toBeUndefined();
    expect(next.get(`x: ${'a'.repeat(MAX_TEXT)}\n`)).toBeUndefined();
  });

  it('does not keep a parse bigger than a config file (aliases expand), nor one JSON cannot write (circular)', () => {
    const cache = configCache(cacheDir());
    const list = Array.from({ length: 200 }, (_, i) => `item-${i}`);
    cache.set('x: &a [...]\ny: *a\n', Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, list])));
    const circular: Record<string, unknown> = { project: 'x' };
    circular.self = circular;
    expect(() => cache.set('&a\nproject: x\nself: *a\n', circular)).not.toThrow();
    const next = configCache(cacheDir());
    expect(next.get('x: &a [...]\ny: *a\n')).toBeUndefined();
    expect(next.get('&a\nproject: x\nself: *a\n')).toBeUndefined();
  });

  it('a damaged or foreign cache file (another version of scoped) is an empty cache, then replaced', () => {
    const cache = configCache(cacheDir());
    cache.set('a: 1\n', { a: 1 });
    const foreign = [{ text: 'a: 1\n', doc: { a: 2 } }];
    for (const text of [
      '{',
      '[]',
      '{"format":"other","entries":[]}',
      JSON.stringify({ format: 'scoped-config/1 0.0.1', entries: foreign }),
      JSON.stringify({ format: FORMAT, entries: [{ doc: 1 }, null, { text: 5 }] }),
    ]) {
      writeFileSync(join(cacheDir(), CONFIG_CACHE_FILE), text);
      expect(configCache(cacheDir()).get('a: 1\n')).toBeUndefined();
    }
    configCache(cacheDir()).set('a: 1\n', { a: 1 });
    expect(JSON.parse(readFileSync(join(cacheDir(), CONFIG_CACHE_FILE), 'utf8'))).toEqual({ format: FORMAT, entries: [{ text: 'a: 1\n', doc: { a: 1 } }] });
  });

  it('a cache that cannot be written (a file where its folder belongs) costs nothing but the next parse', async () => {
    writeFileSync(join(dir, 'cache'), 'not a folder');
    expect(() => configCache(cacheDir()).set('a: 1\n', { a: 1 })).not.toThrow();
    writeFileSync(join(dir, '.scoped.yaml'), 'project: billing\n');
    const { parse, parses } = counted();
    for (let run = 1; run <= 2; run++) {
      const config = await loadConfig({}, { HOME: dir }, dir, { parsed: configCache(cacheDir()), parse });
      expect(config.project.value).toBe('billing');
      // Each run parses the file again, once: the cost of a cache that cannot be kept, and no more.
      expect(parses()).toBe(run);
    }
  });
});

/** parseConfig, counting its calls: a parse is what the cache saves (it loads the YAML library). */
function counted(): { parse: typeof parseConfig; parses: () => number } {
  let n = 0;
  return {
    parse: async (path, text) => {
      n++;
      return parseConfig(path, text);
    },
    parses: () => n,
  };
}

describe('loadConfig with a cache', () => {
  it('uses a cached parse of the same text, still checked as a fresh one is', async () => {
    writeFileSync(join(dir, '.scoped.yaml'), 'project: billing\n');
    const cache = configCache(cacheDir());
    const env = { HOME: dir };
    const { parse, parses } = counted();
    expect((await loadConfig({}, env, dir, { parsed: cache, parse })).project).toEqual({ value: 'billing', source: `file ${join(dir, '.scoped.yaml')}` });
    expect(cache.get('project: billing\n')).toEqual({ project: 'billing' });
    expect(parses()).toBe(1);
    // The next run (a new cache object reads the file) parses nothing.
    expect((await loadConfig({}, env, dir, { parsed: configCache(cacheDir()), parse })).project.value).toBe('billing');
    expect(parses()).toBe(1);
    // A cached document is checked like a parsed one: a repository's file may not choose the endpoint.
    cache.set('project: billing\n', { project: 'billing', 'endpoint-url': 'http://attacker.example' });
    await expect(loadConfig({}, env, dir, { parsed: cache })).rejects.toThrow(/may not choose/);
  });

  it('keeps only a file that passed its checks', async () => {
    writeFileSync(join(dir, '.scoped.yaml'), 'project: billing\nbogus: 1\n');
    const cache = configCache(cacheDir());
    await expect(loadConfig({}, { HOME: dir }, dir, { parsed: cache })).rejects.toThrow(/unknown setting "bogus"/);
    expect(configCache(cacheDir()).get('project: billing\nbogus: 1\n')).toBeUndefined();
  });
});

import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binSandbox } from '../helpers/bin.js';

/**
 * bin/scoped.cjs keeps V8's code cache of dist/bundle/cli.cjs in the user's cache folder: private, code
 * only, and never a reason for a command to fail.
 */
let e2e: ReturnType<typeof binSandbox>;
const VALUE = 'code-cache-canary-7f3a91';
const KEY = Buffer.alloc(32, 7).toString('base64');

beforeEach(() => {
  e2e = binSandbox();
  Object.assign(e2e.env, { SCOPED_LOCAL_KEY: KEY, SCOPED_ORG: 'acme' });
  const c = e2e.run(['create', 'secret', 'CANARY', '--from-file', '-'], { stdin: VALUE });
  expect(c.code, c.stderr).toBe(0);
});
afterEach(() => e2e.cleanup());

const cacheDir = () => join(e2e.home, '.cache', 'scoped', 'code');
const caches = () => readdirSync(cacheDir()).filter((f) => f.endsWith('.v8'));
const reveal = (env: Record<string, string> = {}) => e2e.run(['get', 'secret', 'CANARY', '--reveal'], { env });

describe('the code cache', () => {
  it('is written to a private folder after a run, one file per hot command, and holds no value or key', () => {
    expect(reveal()).toMatchObject({ code: 0, stdout: VALUE });
    expect(e2e.run(['run', '--', 'true']).code).toBe(0);
    expect(e2e.run(['run', '--', 'true'], { env: { SCOPED_NO_HOT: '1' } }).code).toBe(0);
    expect(statSync(cacheDir()).mode & 0o777).toBe(0o700);
    const files = caches();
    // `get secret --reveal` and `run` are answered by the hot entry (hot-get.cjs, hot-run.cjs), `run` with SCOPED_NO_HOT=1 by the full CLI (cli.cjs).
    expect(files.some((f) => /^hot-get-[0-9a-f]{32}-get-v\d+/.test(f))).toBe(true);
    expect(files.some((f) => /^hot-run-[0-9a-f]{32}-run-v\d+/.test(f))).toBe(true);
    expect(files.some((f) => /^cli-[0-9a-f]{32}-run-v\d+/.test(f))).toBe(true);
    for (const f of files) {
      expect(statSync(join(cacheDir(), f)).mode & 0o777).toBe(0o600);
      const bytes = readFileSync(join(cacheDir(), f));
      expect(bytes.includes(VALUE)).toBe(false);
      expect(bytes.includes(Buffer.from(VALUE, 'utf16le'))).toBe(false);
      expect(bytes.includes(KEY)).toBe(false);
    }
  });

  it("the hot entry's: one from a line it answered, read first; one from a line it declined, written only when no cache was taken", () => {
    // --timeout is outside the hot entry's grammar: declined, and the full CLI answers.
    const declined = () => e2e.run(['get', 'secret', 'CANARY', '--reveal', '--timeout', '30']);
    const hot = () => caches().filter((f) => f.startsWith('hot-'));
    const mtimes = () => Object.fromEntries(hot().map((f) => [f, statSync(join(cacheDir(), f)).mtimeMs]));
    expect(declined()).toMatchObject({ code: 0, stdout: VALUE });
    expect(hot()).toEqual([expect.stringMatching(/^hot-get-[0-9a-f]{32}-get-declined-v\d+/)]);
    const first = mtimes();
    expect(declined().code).toBe(0);
    expect(mtimes()).toEqual(first);
    expect(reveal()).toMatchObject({ code: 0, stdout: VALUE });
    expect(hot()).toHaveLength(2);
    const both = mtimes();
    // A decline now reads the answered cache, and writes neither.
    expect(declined().code).toBe(0);
    expect(reveal().code).toBe(0);
    expect(mtimes()).toEqual(both);
  });

  it('is read on the next run, and a corrupt one is replaced without a word', () => {
    expect(reveal().code).toBe(0);
    const [file] = caches().filter((f) => f.includes('-get-'));
    const path = join(cacheDir(), file as string);
    writeFileSync(path, Buffer.alloc(4096, 1));
    expect(reveal()).toMatchObject({ code: 0, stdout: VALUE, stderr: '' });
    expect(readFileSync(path).equals(Buffer.alloc(4096, 1))).toBe(false);
  });

  it("an earlier build's caches on this Node are removed when a new one is written, the one hot file's of older builds too", () => {
    const mine = `-${process.version}-${process.arch}.v8`;
    const other = `-v1.0.0-${process.arch}.v8`;
    const planted = [`hot-${'a'.repeat(32)}-get${mine}`, `hot-get-${'b'.repeat(32)}-get${mine}`, `cli-${'c'.repeat(32)}-any${mine}`, `hot-${'d'.repeat(32)}-get${other}`];
    for (const f of planted) writeFileSync(join(cacheDir(), f), 'old');
    // Writes hot-get's cache (none yet for this build): the old hot files' go; cli's stay until cli.cjs writes its own.
    expect(reveal()).toMatchObject({ code: 0, stdout: VALUE });
    expect(planted.filter((f) => caches().includes(f))).toEqual([`cli-${'c'.repeat(32)}-any${mine}`, `hot-${'d'.repeat(32)}-get${other}`]);
  });

  it('a folder that cannot be made or written changes nothing', () => {
    // A file where the folder would be: mkdir fails.
    writeFileSync(join(e2e.home, 'not-a-folder'), '');
    expect(reveal({ XDG_CACHE_HOME: join(e2e.home, 'not-a-folder') })).toMatchObject({ code: 0, stdout: VALUE, stderr: '' });
    // A folder it may not write into (root writes anyway: then at least nothing breaks).
    const ro = join(e2e.home, 'ro');
    mkdirSync(join(ro, 'scoped', 'code'), { recursive: true, mode: 0o700 });
    chmodSync(join(ro, 'scoped', 'code'), 0o500);
    expect(reveal({ XDG_CACHE_HOME: ro })).toMatchObject({ code: 0, stdout: VALUE, stderr: '' });
    expect(e2e.run(['run', '--', 'sh', '-c', 'test -n "$CANARY"'], { env: { XDG_CACHE_HOME: ro } })).toMatchObject({ code: 0, stderr: '' });
  });

  it('NODE_DISABLE_COMPILE_CACHE writes none', () => {
    expect(reveal({ NODE_DISABLE_COMPILE_CACHE: '1' })).toMatchObject({ code: 0, stdout: VALUE });
    // (the create before it wrote the cache of the other commands)
    expect(caches().filter((f) => f.includes('-get-'))).toEqual([]);
  });
});

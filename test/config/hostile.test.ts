import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, PROJECT_CONFIG } from '../../src/config.js';
import { MAX_CONFIG_BYTES } from '../../src/config/file.js';
import { UsageError } from '../../src/errors.js';
import { binSandbox } from '../helpers/bin.js';
import { sandbox, type Sandbox } from '../helpers/io.js';

/** Makes PATH whatever hostile thing a test needs. */
const HOSTILE: [string, (path: string) => void, RegExp][] = [
  ['a link to /dev/zero', (p) => symlinkSync('/dev/zero', p), /it is a device, not a file/],
  ['a FIFO nobody writes to', (p) => execFileSync('mkfifo', [p]), /it is a FIFO \(named pipe\), not a file/],
  ['a directory', (p) => mkdirSync(p), /it is a directory, not a file/],
  ['a file of 2 MiB', (p) => writeFileSync(p, `org: acme\n#${'x'.repeat(2 * 1024 * 1024)}\n`), /it is 2,097,1\d\d bytes, over the limit of 1,048,576/],
  ['a dangling link', (p) => symlinkSync('/nonexistent/scoped.yaml', p), /no such file or directory/],
  ['a file that is not UTF-8', (p) => writeFileSync(p, Buffer.from([0x6f, 0x72, 0x67, 0x3a, 0x20, 0xff, 0x0a])), /it is not UTF-8 text/],
];

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-config-hostile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const usageLine = async (p: Promise<unknown>): Promise<string> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return (err as UsageError).line();
};

describe('a config file that is not a small regular file is one line naming it, at once', () => {
  it.each(HOSTILE)('.scoped.yaml: %s', async (_what, make, message) => {
    const path = join(dir, PROJECT_CONFIG);
    make(path);
    const line = await usageLine(loadConfig({}, { HOME: dir, XDG_CONFIG_HOME: join(dir, 'cfg') }, dir));
    expect(line).toContain(`cannot read config file ${path}: `);
    expect(line).toMatch(message);
    expect(line.split('\n')).toHaveLength(1);
  });

  it.each(HOSTILE)('SCOPED_CONFIG and the user config: %s', async (_what, make, message) => {
    const named = join(dir, 'named.yaml');
    make(named);
    expect(await usageLine(loadConfig({}, { HOME: dir, SCOPED_CONFIG: named }, dir))).toMatch(message);
    const user = join(dir, 'cfg', 'scoped', 'config.yaml');
    mkdirSync(join(dir, 'cfg', 'scoped'), { recursive: true });
    make(user);
    expect(await usageLine(loadConfig({}, { HOME: dir, XDG_CONFIG_HOME: join(dir, 'cfg') }, dir))).toMatch(message);
  });

  it('a file just at the limit is read', async () => {
    const path = join(dir, PROJECT_CONFIG);
    const head = 'org: acme\n#';
    writeFileSync(path, `${head}${'x'.repeat(MAX_CONFIG_BYTES - head.length - 1)}\n`);
    expect((await loadConfig({}, { HOME: dir }, dir)).org).toEqual({ value: 'acme', source: `file ${path}` });
  });

  it.each([
    [
      'an alias bomb',
      `a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n`,
      /its aliases expand too far/,
    ],
    ['a key that is a list', '? [org, x]\n: acme\n', /a key is a list or mapping, not a setting name/],
    ['200,000 nested brackets', `org: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n`, /is not valid YAML: line 1, column 70: collections nested more than 64 levels deep$/],
    ['text that does not parse (never quoted)', 'org: "secret-ish\n', /is not valid YAML: line 2, column 1: a closing quote or bracket is missing$/],
    ['an unknown tag', 'org: !vault acme\n', /is not valid YAML: line 1, column 6: a tag this reader does not know$/],
  ])('YAML: %s', async (_what, text, message) => {
    writeFileSync(join(dir, PROJECT_CONFIG), text);
    const line = await usageLine(loadConfig({}, { HOME: dir }, dir));
    expect(line).toMatch(message);
    expect(line).not.toContain('secret-ish');
  });
});

describe('every command, in process: exit 2, one line, nothing on stdout', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = sandbox();
  });
  afterEach(() => sb.cleanup());
  it.each(HOSTILE.slice(0, 3))('%s', async (_what, make) => {
    make(join(sb.dir, PROJECT_CONFIG));
    for (const argv of [['get', 'secret'], ['export'], ['config', 'show']]) {
      const r = await sb.run(argv);
      expect(r).toMatchObject({ code: 2, stdout: '' });
      expect(r.stderr).toMatch(/^scoped: cannot read config file .*\.scoped\.yaml: it is .*, not a file; [^\n]*\n$/);
    }
  });
});

describe('the built binary, Tab included, ends at once', () => {
  const e2e = binSandbox();
  beforeAll(() => execFileSync('mkfifo', [join(e2e.home, PROJECT_CONFIG)]));
  afterAll(() => e2e.cleanup());
  it('a command: exit 2 and the line', () => {
    const r = e2e.run(['get', 'secret']);
    expect(r).toMatchObject({ code: 2, signal: null, stdout: '' });
    expect(r.stderr).toMatch(/cannot read config file .*\.scoped\.yaml: it is a FIFO \(named pipe\), not a file/);
  });
  it('a Tab: no hang, no candidates that a config would decide', () => {
    const r = e2e.run(['__complete', 'bash', '--', 'get', 'secret', '--project', '']);
    expect(r.signal).toBeNull();
    expect(r.code).not.toBeNull();
  });
});

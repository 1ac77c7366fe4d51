import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, MAX_PREFIX_CHARS, normalisePrefix } from '../../src/config.js';
import { secretName } from '../../src/core/naming.js';
import { UsageError } from '../../src/errors.js';
import { sandbox, type Sandbox } from '../helpers/io.js';

const line = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as UsageError).line();
  }
  throw new Error('no usage error');
};

describe('prefixes Secrets Manager (or a reader of its names) would refuse are refused up front', () => {
  it.each([
    ['/', /a segment between slashes is empty/],
    ['//', /a segment between slashes is empty/],
    ['/scoped', /a segment between slashes is empty/],
    ['a//b/', /a segment between slashes is empty/],
    ['x/../', /a segment is \. or \.\./],
    ['.', /a segment is \. or \.\./],
    ['..', /a segment is \. or \.\./],
    ['a/./b', /a segment is \. or \.\./],
    ['a b', /use letters, digits and/],
    ['é/', /use letters, digits and/],
    [`${'p'.repeat(MAX_PREFIX_CHARS)}/`, new RegExp(`it is ${MAX_PREFIX_CHARS + 1} characters; at most ${MAX_PREFIX_CHARS}, .* Secrets Manager's 512`)],
  ])('%j', (prefix, message) => {
    const text = line(() => normalisePrefix(prefix, 'flag --prefix'));
    expect(text).toMatch(message);
    expect(text).toMatch(/^invalid prefix /);
    expect(text.split('\n')).toHaveLength(1);
  });

  it.each([
    ['scoped', 'scoped/'],
    ['scoped/', 'scoped/'],
    ['team/secrets', 'team/secrets/'],
    ['a.b/c..d/_x/+=@-', 'a.b/c..d/_x/+=@-/'],
    ['p'.repeat(MAX_PREFIX_CHARS - 1), `${'p'.repeat(MAX_PREFIX_CHARS - 1)}/`],
  ])('%j is fine', (prefix, normalised) => {
    expect(normalisePrefix(prefix, 'flag --prefix')).toBe(normalised);
  });

  it('the empty prefix is refused', () => {
    expect(line(() => normalisePrefix('', 'flag --prefix'))).toMatch(/invalid prefix "" \(from flag --prefix\): a prefix cannot be empty/);
  });

  it('the longest prefix allowed, with the longest org, project, domain and KEY, makes a name of exactly 512', () => {
    const name = secretName(`${'p'.repeat(MAX_PREFIX_CHARS - 1)}/`, { org: 'o'.repeat(63), project: 'q'.repeat(63), domain: 'd'.repeat(63) }, `K${'k'.repeat(127)}`);
    expect(name).toHaveLength(512);
  });

  it('loadConfig names where the prefix came from', async () => {
    await expect(loadConfig({}, { SCOPED_PREFIX: 'a//b' }, '/')).rejects.toThrow(/invalid prefix "a\/\/b" \(from env SCOPED_PREFIX\)/);
  });
});

describe('commands: exit 2, one line, before any request', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = sandbox({ SCOPED_ORG: 'acme' });
  });
  afterEach(() => sb.cleanup());
  // A closed port: a request that went out would end as exit 6 (backend unavailable), not 2.
  const AWS = ['--backend', 'aws', '--region', 'eu-west-1', '--endpoint-url', 'http://127.0.0.1:1', '--timeout', '2'];
  it.each([
    [['--prefix', '//', 'get', 'secret']],
    [['--prefix', '', 'resolve', '-p', 'web', '-d', 'prod']],
    [['--prefix', 'x/../', 'create', 'secret', 'NEWKEY']],
    [['--prefix', `${'p'.repeat(500)}/`, 'create', 'secret', 'NEWKEY', '-p', 'q'.repeat(30)]],
    [['--prefix', '.', 'export', '-p', 'web', '-d', 'prod']],
  ])('aws %j', async (argv) => {
    const r = await sb.run([...AWS, ...argv], { stdin: 'v' });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^scoped: invalid prefix [^\n]*\n$/);
  });
  it.each([['a//b/'], ['']])('local %j: the same rules, and nothing written', async (prefix) => {
    const r = await sb.run(['--prefix', prefix, 'create', 'secret', 'K'], { stdin: 'v' });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect((await sb.run(['get', 'secret', '-o', 'json'])).stdout).toBe('[]\n');
  });
});

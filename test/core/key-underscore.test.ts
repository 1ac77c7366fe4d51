import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scopeTags, secretName } from '../../src/core/naming.js';
import { isStoredKey, isValidKey, validateKey, validateStoredKey } from '../../src/core/scope.js';
import { LocalStore } from '../../src/store/local/local-store.js';
import { sandbox, type Sandbox } from '../helpers/io.js';
import { node } from '../helpers/seed.js';

/**
 * KEY `_` (review s28, finding 7): every shell sets `_` itself, so `eval "$(scoped export --format shell)"`
 * lost its value and `run` said "secrets override _" on every run. A new key may not be named `_`; one
 * stored before still lists, reads and deletes, and run / export shell|github refuse it as a reserved
 * name unless renamed or left out.
 */
const KEY = Buffer.alloc(32, 7).toString('base64');
const VALUE = 'underscore-value-9d41';

describe('the KEY rule and stored keys', () => {
  it.each([
    ['_', false, true],
    ['__', true, true],
    ['_x', true, true],
    ['x_', true, true],
    ['A-B', false, false],
  ])('%j: a new key %s, a stored key %s', (key, valid, stored) => {
    expect(isValidKey(key)).toBe(valid);
    expect(isStoredKey(key)).toBe(stored);
  });

  it('validateKey refuses _ saying why; validateStoredKey takes it and still refuses what never matched', () => {
    expect(() => validateKey('_')).toThrow(/^invalid key "_": every shell sets _ itself, so its value would be lost$/);
    expect(validateStoredKey('_')).toBe('_');
    expect(() => validateStoredKey('A-B')).toThrow(/invalid key "A-B": use a letter or underscore/);
  });
});

let s: Sandbox;
beforeEach(() => {
  s = sandbox({ SCOPED_LOCAL_KEY: KEY });
});
afterEach(() => s.cleanup());

async function refused(argv: string[], stdin?: string): Promise<string> {
  const r = await s.run(argv, stdin === undefined ? {} : { stdin });
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toContain(VALUE);
  return r.stderr;
}

describe('a new key named _ is refused, nothing written', () => {
  it.each([
    ['create', ['create', 'secret', '_', VALUE, '-p', 'u']],
    ['create from stdin', ['create', 'secret', '_', '-p', 'u']],
    ['create --generate', ['create', 'secret', '_', '--generate', '-p', 'u']],
    ['set', ['set', 'secret', '_', VALUE, '-p', 'u']],
    ['set --generate', ['set', 'secret', '_', '--generate', '-p', 'u']],
    ['link', ['link', 'secret', '_', '--arn', 'arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf', '-p', 'u']],
  ])('%s', async (_what, argv) => {
    expect(await refused(argv, VALUE)).toMatch(/^scoped: invalid key "_": every shell sets _ itself, so its value would be lost; give the key another name\n$/);
    expect((await s.run(['get', 'secret', '-p', 'u', '-o', 'json'])).stdout).not.toContain('"_"');
  });

  it.each([
    ['dotenv', 'in.env', `A=1234\n_=${VALUE}\n`],
    ['json', 'in.json', JSON.stringify({ A: '1234', _: VALUE })],
    ['yaml', 'in.yaml', `A: "1234"\n_: ${VALUE}\n`],
  ])('import %s', async (_format, file, text) => {
    writeFileSync(join(s.dir, file), text);
    expect(await refused(['import', file, '-p', 'u'])).toMatch(/nothing written: invalid key "_" \(a key is .*not "_" alone, which shells set\)/);
    expect((await s.run(['get', 'secret', 'A', '-p', 'u'])).code).toBe(3);
  });

  it('copy', async () => {
    expect((await s.run(['create', 'secret', 'A', VALUE, '-p', 'u'])).code).toBe(0);
    expect(await refused(['copy', 'secret', '_', '-p', 'u', '--to', 'v/_'])).toMatch(/invalid key "_"/);
  });
});

describe('a _ stored before the rule', () => {
  beforeEach(async () => {
    const store = new LocalStore({ home: s.home, envKey: KEY });
    const scope = { org: 'default', project: 'u' };
    for (const [k, v] of [
      ['_', VALUE],
      ['OTHER', 'other-value'],
    ] as const) {
      await store.create({ name: secretName('scoped/', scope, k), value: v, tags: scopeTags(scope, k) });
    }
  });

  it('lists, reads, resolves, exports as data, updates and deletes', async () => {
    const list = await s.run(['get', 'secret', '-p', 'u', '-o', 'json']);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('"_"');
    expect(await s.run(['get', 'secret', '_', '-p', 'u', '--reveal'])).toMatchObject({ code: 0, stdout: VALUE });
    expect(await s.run(['resolve', '_', '-p', 'u', '--reveal'])).toMatchObject({ code: 0, stdout: VALUE });
    expect(JSON.parse((await s.run(['export', '-p', 'u', '--format', 'json'])).stdout)).toEqual({ _: VALUE, OTHER: 'other-value' });
    expect((await s.run(['update', 'secret', '_', `${VALUE}-2`, '-p', 'u'])).code).toBe(0);
    expect((await s.run(['delete', 'secret', '_', '-p', 'u', '--force', '--yes'])).code).toBe(0);
    expect((await s.run(['get', 'secret', '_', '-p', 'u'])).code).toBe(3);
  });

  it('run and export --format shell refuse it as reserved (no "secrets override _" notice), naming the way out', async () => {
    const run = await refused(['run', '-p', 'u', ...node('process.exit(0)')]);
    expect(run).toMatch(/^scoped: refusing to set reserved variable _ from secrets; rename with --only KEY=NAME/);
    expect(run).not.toMatch(/override/);
    expect(await refused(['export', '-p', 'u', '--format', 'shell'])).toMatch(/refusing to set reserved variable _ with --format shell/);
  });

  it('--only _=NAME renames it and --exclude _ leaves it out', async () => {
    const renamed = await s.run(['run', '-p', 'u', '--no-mask', '--only', '_=UNDERSCORE', ...node('process.stdout.write(process.env.UNDERSCORE)')], {
      env: { _: '/usr/bin/scoped' },
    });
    expect(renamed.stderr).not.toMatch(/override/);
    expect(renamed).toMatchObject({ code: 0, stdout: VALUE });
    const left = await s.run(['export', '-p', 'u', '--format', 'shell', '--exclude', '_']);
    expect(left.code, left.stderr).toBe(0);
    expect(left.stdout).toContain('OTHER');
    expect(left.stdout).not.toContain(VALUE);
    expect(await refused(['run', '-p', 'u', '--only', '_', ...node('0')])).toMatch(/invalid variable name "_"/);
  });
});

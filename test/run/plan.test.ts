import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { runCommand } from '../../src/commands/run.js';
import { isReserved, parseBinding } from '../../src/deploy/bindings.js';
import { planInjection, type Selection } from '../../src/run/plan.js';
import type { SecretValue } from '../../src/store/types.js';

const values = new Map<string, SecretValue>([
  ['API_KEY', 'api-value'],
  ['DB_PASS', 'db-value'],
  ['CERT', new Uint8Array([0, 1, 2, 3])],
]);
const textOnly = new Map([...values].filter(([k]) => k !== 'CERT'));
const sel = (o: Partial<Selection> = {}): Selection => ({ only: [], files: [], preserveEnv: false, ...o });
const b = (spec: string) => parseBinding(spec, '--only');

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as UsageError).line();
  }
  throw new Error('no error');
}

describe('KEY[=ENV] bindings', () => {
  it.each([
    ['A', { key: 'A', env: 'A' }],
    ['A=B', { key: 'A', env: 'B' }],
    ['db_pass=DB_PASSWORD', { key: 'db_pass', env: 'DB_PASSWORD' }],
  ])('%s', (spec, expected) => expect(parseBinding(spec, '--only')).toEqual(expected));

  it.each(['', 'A=', '=B', 'A=B=C', '1A', 'A-B', 'A=B C'])('refuses %j', (spec) => {
    expect(usageMessage(() => parseBinding(spec, '--file'))).toMatch(/^--file /);
  });
});

describe('reserved names', () => {
  it.each([
    'PATH',
    'HOME',
    'SHELL',
    'PWD',
    'USER',
    'TERM',
    'IFS',
    'LD_PRELOAD',
    'LD_LIBRARY_PATH',
    'LD_AUDIT',
    'DYLD_INSERT_LIBRARIES',
    'NODE_OPTIONS',
    'BASH_ENV',
    'ENV',
    'PS1',
    'BASH_FUNC_x%%',
  ])('%s is reserved', (name) => expect(isReserved(name)).toBe(true));
  it.each(['PATH_PREFIX', 'MY_HOME', 'path', 'DB_PASS', 'LDAP_URL', 'ENVIRONMENT'])('%s is not', (name) => expect(isReserved(name)).toBe(false));
});

describe('planInjection', () => {
  it('injects every text key by default, naming overrides of the parent env', () => {
    const plan = planInjection(textOnly, sel(), { DB_PASS: 'parent', OTHER: 'x' });
    expect([...plan.env]).toEqual([
      ['API_KEY', 'api-value'],
      ['DB_PASS', 'db-value'],
    ]);
    expect(plan.overridden).toEqual(['DB_PASS']);
    expect(plan.kept).toEqual([]);
  });

  it('lets the parent win with --preserve-env', () => {
    const plan = planInjection(textOnly, sel({ preserveEnv: true }), { DB_PASS: 'parent' });
    expect([...plan.env.keys()]).toEqual(['API_KEY']);
    expect(plan.kept).toEqual(['DB_PASS']);
  });

  it('injects only --only keys, renamed where asked', () => {
    const plan = planInjection(values, sel({ only: [b('DB_PASS=PGPASSWORD')] }), {});
    expect([...plan.env]).toEqual([['PGPASSWORD', 'db-value']]);
  });

  it('hands --file keys over as files, not also as variables', () => {
    const plan = planInjection(values, sel({ files: [b('CERT=CERT_FILE')] }), {});
    expect([...plan.env.keys()]).toEqual(['API_KEY', 'DB_PASS']);
    expect(plan.files).toEqual([{ env: 'CERT_FILE', key: 'CERT', value: values.get('CERT') }]);
  });

  it('refuses a binary value as a variable, pointing at --file', () => {
    const msg = usageMessage(() => planInjection(values, sel(), {}));
    expect(msg).toMatch(/CERT holds binary data.*--file CERT=CERT_FILE/);
  });

  it('refuses reserved names unless renamed', () => {
    const withPath = new Map<string, SecretValue>([...textOnly, ['PATH', '/evil'], ['LD_PRELOAD', '/evil.so']]);
    expect(usageMessage(() => planInjection(withPath, sel(), {}))).toMatch(/reserved variables PATH, LD_PRELOAD.*--only KEY=NAME/);
    expect(usageMessage(() => planInjection(withPath, sel({ only: [b('API_KEY=NODE_OPTIONS')] }), {}))).toMatch(/NODE_OPTIONS/);
    const renamed = planInjection(withPath, sel({ only: [b('PATH=EXTRA_PATH')] }), {});
    expect([...renamed.env]).toEqual([['EXTRA_PATH', '/evil']]);
    const asFiles = planInjection(withPath, sel({ files: [b('PATH=PATH_FILE'), b('LD_PRELOAD=PRELOAD_FILE')] }), {});
    expect([...asFiles.env.keys()]).toEqual(['API_KEY', 'DB_PASS']);
  });

  it('refuses a variable set twice', () => {
    expect(usageMessage(() => planInjection(values, sel({ only: [b('API_KEY=X'), b('DB_PASS=X')] }), {}))).toMatch(/X would be set twice/);
    expect(usageMessage(() => planInjection(textOnly, sel({ files: [b('API_KEY=DB_PASS')] }), {}))).toMatch(
      /DB_PASS would be set twice: by key DB_PASS and by --file API_KEY=DB_PASS/,
    );
  });

  it('never puts a value in an error', () => {
    const secret = new Map<string, SecretValue>([
      ['PATH', 'sup3r-s3cret'],
      ['BIN', 'nul\0inside-s3cret'],
    ]);
    for (const s of [sel(), sel({ only: [b('BIN')] }), sel({ only: [b('BIN=X'), b('PATH=X')] })]) {
      expect(usageMessage(() => planInjection(secret, s, {}))).not.toMatch(/s3cret/);
    }
  });
});

describe('buildRunOptions', () => {
  it('parses the command line into options', () => {
    const o = runCommand.build(['node', '-e', 'x'], { only: ['A', 'A', 'B=C'], file: ['D'], mask: false, preserveEnv: true, project: 'web' });
    expect(o).toEqual({
      project: 'web',
      domain: undefined,
      command: 'node',
      args: ['-e', 'x'],
      only: [
        { key: 'A', env: 'A' },
        { key: 'B', env: 'C' },
      ],
      files: [{ key: 'D', env: 'D' }],
      mask: false,
      preserveEnv: true,
      expand: [],
      exclude: [],
    });
    expect(runCommand.build(['env'], {}).mask).toBeUndefined();
  });

  it('needs a command', () => {
    expect(usageMessage(() => runCommand.build([], {}))).toMatch(/no command to run/);
  });
});

describe('what unlocks the store stays with scoped', () => {
  it('inheritedEnv drops SCOPED_LOCAL_KEY and keeps the rest (SCOPED_*, AWS_*)', async () => {
    const { inheritedEnv } = await import('../../src/deploy/bindings.js');
    const parent = { SCOPED_LOCAL_KEY: 'k', SCOPED_ORG: 'acme', SCOPED_PROJECT: 'web', AWS_PROFILE: 'p', AWS_SECRET_ACCESS_KEY: 's', UNSET: undefined, PATH: '/bin' };
    expect(inheritedEnv(parent)).toEqual({ SCOPED_ORG: 'acme', SCOPED_PROJECT: 'web', AWS_PROFILE: 'p', AWS_SECRET_ACCESS_KEY: 's', PATH: '/bin' });
  });

  it('a secret may not be injected as SCOPED_LOCAL_KEY, by key or by rename', () => {
    const v = new Map<string, SecretValue>([
      ['SCOPED_LOCAL_KEY', 'x'],
      ['OTHER', 'y'],
    ]);
    const sel: Selection = { only: [], files: [], preserveEnv: false };
    expect(() => planInjection(v, sel, {})).toThrow(/^refusing to set SCOPED_LOCAL_KEY from secrets: it would replace the key that unlocks the store$/);
    expect(() => planInjection(v, { ...sel, only: [{ key: 'OTHER', env: 'SCOPED_LOCAL_KEY' }] }, {})).toThrow(UsageError);
    expect(() => planInjection(v, { ...sel, files: [{ key: 'OTHER', env: 'SCOPED_LOCAL_KEY' }], only: [{ key: 'OTHER', env: 'OTHER' }] }, {})).toThrow(UsageError);
    expect([...planInjection(v, { ...sel, only: [{ key: 'SCOPED_LOCAL_KEY', env: 'OLD_KEY' }] }, {}).env.keys()]).toEqual(['OLD_KEY']);
  });

  it('storeKeyTexts: the env key and the key file, as written and trimmed; nothing when there is none', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { storeKeyTexts } = await import('../../src/run/store-key.js');
    const home = mkdtempSync(join(tmpdir(), 'scoped-key-'));
    try {
      expect(storeKeyTexts({}, home)).toEqual([]);
      writeFileSync(join(home, 'local.key'), 'FILEKEY==\n');
      expect(storeKeyTexts({ SCOPED_LOCAL_KEY: ' ENVKEY== ' }, home)).toEqual([' ENVKEY== ', 'ENVKEY==', 'FILEKEY==\n', 'FILEKEY==']);
      expect(storeKeyTexts({ SCOPED_LOCAL_KEY: '' }, undefined)).toEqual([]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

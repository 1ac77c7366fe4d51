import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { formatScopeAddress, parseScopeAddress } from '../../src/core/address.js';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { guessFormat, importFormat, parseSource, unreadDotenvLines } from '../../src/import/formats.js';
import { countActions, planWrites, sameValue, validateDesired, type Existing } from '../../src/import/plan.js';
import { IMPORT_LIMIT } from '../../src/cli/value-source.js';
import { readBounded } from '../../src/support/read-input.js';

const usage = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as UsageError).line();
  }
  throw new Error('no usage error');
};
const usageAsync = async (p: Promise<unknown>): Promise<string> => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(UsageError);
  return (err as UsageError).line();
};

describe('scope addresses', () => {
  it.each([
    ['billing/production', { project: 'billing', domain: 'production' }],
    ['billing/_', { project: 'billing', domain: undefined }],
    ['_/staging', { project: undefined, domain: 'staging' }],
    ['_/_', { project: undefined, domain: undefined }],
  ])('%s', (text, address) => {
    expect(parseScopeAddress(text)).toEqual(address);
    expect(formatScopeAddress(parseScopeAddress(text))).toBe(text);
  });
  it.each([['billing'], ['a/b/c'], [''], ['/prod'], ['Billing/_'], ['_/prod_'], ['a b/_']])('refuses %j, naming the forms', (text) => {
    expect(usage(() => parseScopeAddress(text))).toMatch(/invalid scope address .*PROJECT\/DOMAIN, PROJECT\/_, _\/DOMAIN or _\/_/);
  });
});

describe('import formats', () => {
  it.each([
    ['.env', 'dotenv'], ['prod.env', 'dotenv'], ['.env.production', 'dotenv'], ['dir/.env.local', 'dotenv'],
    ['a.json', 'json'], ['a.JSON', 'json'], ['a.yaml', 'yaml'], ['a.yml', 'yaml'], ['a.txt', undefined], ['env', undefined],
  ])('guesses %s as %s', (file, format) => {
    expect(guessFormat(file)).toBe(format);
  });
  it('needs --format for stdin and unknown names', () => {
    expect(usage(() => importFormat('-', undefined))).toMatch(/stdin needs --format/);
    expect(usage(() => importFormat('secrets.txt', undefined))).toMatch(/cannot tell the format of secrets.txt/);
    expect(importFormat('-', 'yaml')).toBe('yaml');
    expect(importFormat('a.json', 'dotenv')).toBe('dotenv');
  });

  it('reads dotenv as real .env files are written', async () => {
    const text = [
      '# a comment',
      'export EXPORTED=yes',
      'PLAIN=value with spaces   # trailing comment',
      "SINGLE='$HOME stays literal \\n'",
      'DOUBLE="line1\\nline2"',
      'MULTI="first',
      'second"',
      'BACKTICK=`it\'s "both"`',
      'HASH="a#b"',
      'EQUALS=a=b=c',
      '',
    ].join('\n');
    const entries = await parseSource(Buffer.from(`\uFEFF${text}`), 'dotenv', '.env');
    expect(Object.fromEntries(entries.map((e) => [e.key, e.value]))).toEqual({
      EXPORTED: 'yes',
      PLAIN: 'value with spaces',
      SINGLE: '$HOME stays literal \\n',
      DOUBLE: 'line1\nline2',
      MULTI: 'first\nsecond',
      BACKTICK: 'it\'s "both"',
      HASH: 'a#b',
      EQUALS: 'a=b=c',
    });
  });

  it('refuses lines the dotenv parser would skip, by number, writing nothing', async () => {
    const text = 'A=1\nFOO\n# fine\n\nmy key=value\nB="multi\nline # not a comment\nstill B"\n  \nC=3 # comment\n';
    expect(unreadDotenvLines(text)).toEqual([2, 5]);
    expect(await usageAsync(parseSource(Buffer.from(text), 'dotenv', '.env'))).toBe(
      '.env: nothing written: lines 2, 5 are not KEY=value; fix or comment out such lines (a value with spaces or # needs quotes)',
    );
    expect(unreadDotenvLines('A=1\r\nB=2\r\n')).toEqual([]);
  });

  it("uses dotenv's own line pattern (a dotenv upgrade that changes it fails here)", () => {
    const main = readFileSync(createRequire(import.meta.url).resolve('dotenv'), 'utf8');
    const line = /^const LINE = (\/.*\/[a-z]*)$/m.exec(main)?.[1];
    const ours = /^const DOTENV_LINE = (\/.*\/)[a-z]*;$/m.exec(readFileSync(new URL('../../src/import/formats.ts', import.meta.url), 'utf8'))?.[1];
    expect(line).toBeDefined();
    expect(line?.startsWith(ours as string)).toBe(true);
  });

  it('reads JSON and YAML mappings of KEY to string', async () => {
    expect(await parseSource(Buffer.from('{"A":"1","B":"x\\ny"}'), 'json', 'a.json')).toEqual([{ key: 'A', value: '1' }, { key: 'B', value: 'x\ny' }]);
    // YAML 1.2 core schema: no, on, 0755 are strings.
    const yaml = await parseSource(Buffer.from('A: no\nB: "007"\nC: |\n  two\n  lines\nD: on\n'), 'yaml', 'a.yaml');
    expect(yaml).toEqual([{ key: 'A', value: 'no' }, { key: 'B', value: '007' }, { key: 'C', value: 'two\nlines\n' }, { key: 'D', value: 'on' }]);
    expect(await parseSource(Buffer.from('# only a comment\n'), 'yaml', 'a.yaml')).toEqual([]);
  });

  it.each([
    ['json', '{"PORT": 5432}', /the value of "PORT" is a number, not a string; quote such values/],
    ['json', '{"ON": true}', /"ON" is a boolean/],
    ['json', '{"N": null}', /"N" is null/],
    ['json', '{"NESTED": {"a": "b"}}', /"NESTED" is a mapping, not a string; quote such values .*; store structured values as JSON text/],
    ['json', '["A"]', /is a list, not a mapping of KEY to value/],
    ['json', '{"A": "1",}', /is not valid JSON/],
    ['yaml', 'A: 1\n', /"A" \(line 1, column 4\) is a number/],
    ['yaml', 'A: true\n', /"A" \(line 1, column 4\) is a boolean/],
    ['yaml', 'A: x\nA: y\n', /a.yaml is not valid YAML: line 2, column 1: a key given twice; /],
    ['yaml', 'A: [1\n', /is not valid YAML/],
    ['yaml', '- a\n', /is a list/],
  ] as const)('refuses %s %j, naming the key and its type', async (format, text, message) => {
    expect(await usageAsync(parseSource(Buffer.from(text), format, `a.${format}`))).toMatch(message);
  });

  it('refuses a source that is not UTF-8', async () => {
    expect(await usageAsync(parseSource(Buffer.from([0x41, 0x3d, 0xff, 0xfe]), 'dotenv', '.env'))).toMatch(/.env is not UTF-8 text/);
  });
});

describe('bounded reading', () => {
  it('stops a source that never ends past the limit, and destroys it', async () => {
    let produced = 0;
    const endless = new Readable({
      read() {
        produced += 1 << 20;
        this.push(Buffer.alloc(1 << 20, 0x41));
      },
    });
    expect(await usageAsync(readBounded(async () => endless, 'stdin', undefined, IMPORT_LIMIT))).toMatch(/the import source from stdin is longer than the limit of 33,554,432 bytes/);
    expect(endless.destroyed).toBe(true);
    expect(produced).toBeLessThanOrEqual(IMPORT_LIMIT.read + (3 << 20));
  });
  it('reads a source at the limit whole', async () => {
    const small = { ...IMPORT_LIMIT, read: 16, stated: 16 };
    const bytes = await readBounded(async () => Readable.from([Buffer.alloc(10), Buffer.alloc(6)]), 'x', undefined, small);
    expect(bytes.length).toBe(16);
    expect(await usageAsync(readBounded(async () => Readable.from([Buffer.alloc(17)]), 'x', undefined, small))).toMatch(/longer than the limit/);
  });
});

describe('validation before the first write', () => {
  it('names every bad key and value, never a value', () => {
    const line = usage(() =>
      validateDesired(
        [
          { key: 'GOOD', value: 'canary-value-1' },
          { key: 'my-key', value: 'canary-value-2' },
          { key: 'EMPTY', value: '' },
          { key: 'BIG', value: 'x'.repeat(65_537) },
          { key: 'BIG_BYTES', value: new Uint8Array(65_537) },
        ],
        '.env',
      ),
    );
    expect(line).toMatch(/^.env: nothing written: invalid key "my-key"; EMPTY has an empty value; BIG is 65537 bytes, over the limit of 65536; BIG_BYTES is 65537 bytes/);
    expect(line).not.toMatch(/canary/);
    expect(() => validateDesired([{ key: 'A', value: 'x'.repeat(65_536) }], 'f')).not.toThrow();
  });
  it('shows the first five problems and how many more', () => {
    const entries = Array.from({ length: 8 }, (_, i) => ({ key: `${i}BAD`, value: 'v' }));
    expect(usage(() => validateDesired(entries, 'f'))).toMatch(/invalid key "4BAD", and 3 more/);
    expect(usage(() => validateDesired([{ key: `A-${'x'.repeat(100)}`, value: 'v' }], 'f'))).toMatch(new RegExp(`invalid key "A-${'x'.repeat(62)}…"`));
  });
});

describe('the plan', () => {
  const existing = new Map<string, Existing>([
    ['SAME', { deleted: false, value: 'v' }],
    ['OTHER', { deleted: false, value: 'old' }],
    ['GONE', { deleted: true }],
    ['BIN', { deleted: false, value: new Uint8Array([1, 2, 3]) }],
  ]);
  const desired = [
    { key: 'NEW', value: 'n' },
    { key: 'SAME', value: 'v' },
    { key: 'OTHER', value: 'new' },
    { key: 'BIN', value: new Uint8Array([1, 2, 3]) },
  ];
  it.each([
    ['fail', [['NEW', 'create'], ['SAME', 'unchanged'], ['BIN', 'unchanged']], ['OTHER']],
    ['skip', [['NEW', 'create'], ['SAME', 'unchanged'], ['OTHER', 'skip'], ['BIN', 'unchanged']], []],
    ['update', [['NEW', 'create'], ['SAME', 'unchanged'], ['OTHER', 'update'], ['BIN', 'unchanged']], []],
  ] as const)('--on-conflict %s', (mode, rows, conflicts) => {
    const plan = planWrites(desired, existing, mode);
    expect(plan.rows.map((r) => [r.key, r.action])).toEqual(rows);
    expect(plan.conflicts).toEqual(conflicts);
    expect(plan.deleted).toEqual([]);
  });
  it('a key scheduled for deletion is refused under every mode', () => {
    for (const mode of ['fail', 'skip', 'update'] as const) expect(planWrites([{ key: 'GONE', value: 'x' }], existing, mode).deleted).toEqual(['GONE']);
  });
  it('compares byte for byte, and text never equals bytes', () => {
    expect(sameValue('abc', 'abc')).toBe(true);
    expect(sameValue('abc', 'abd')).toBe(false);
    expect(sameValue(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(sameValue(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(sameValue(new Uint8Array(Buffer.from('abc')), 'abc')).toBe(false);
    expect(sameValue(Buffer.from('xabc').subarray(1), new Uint8Array(Buffer.from('abc')))).toBe(true);
  });
  it('counts every action', () => {
    expect(countActions([{ action: 'create' }, { action: 'create' }, { action: 'skip' }])).toEqual({ create: 2, update: 0, unchanged: 0, skip: 1 });
  });
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { guessFormat, importFormat, parseSource, unreadDotenvLines } from '../../src/import/formats.js';

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
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UsageError);
  return (err as UsageError).line();
};

describe('import formats', () => {
  it.each([
    ['.env', 'dotenv'],
    ['prod.env', 'dotenv'],
    ['.env.production', 'dotenv'],
    ['dir/.env.local', 'dotenv'],
    ['a.json', 'json'],
    ['a.JSON', 'json'],
    ['a.yaml', 'yaml'],
    ['a.yml', 'yaml'],
    ['a.txt', undefined],
    ['env', undefined],
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
    expect(await parseSource(Buffer.from('{"A":"1","B":"x\\ny"}'), 'json', 'a.json')).toEqual([
      { key: 'A', value: '1' },
      { key: 'B', value: 'x\ny' },
    ]);
    // YAML 1.2 core schema: no, on, 0755 are strings.
    const yaml = await parseSource(Buffer.from('A: no\nB: "007"\nC: |\n  two\n  lines\nD: on\n'), 'yaml', 'a.yaml');
    expect(yaml).toEqual([
      { key: 'A', value: 'no' },
      { key: 'B', value: '007' },
      { key: 'C', value: 'two\nlines\n' },
      { key: 'D', value: 'on' },
    ]);
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
    ['yaml', 'A: x\nA: y\n', /^a\.yaml: nothing written: the key "A" is given twice \(line 2, column 1\); give each key once$/],
    ['yaml', 'A: x\nB: &k y\n"A": z\n', /^a\.yaml: nothing written: the key "A" is given twice \(line 3, column 1\); give each key once$/],
    ['yaml', 'A: [1\n', /is not valid YAML/],
    ['yaml', '- a\n', /is a list/],
  ] as const)('refuses %s %j, naming the key and its type', async (format, text, message) => {
    expect(await usageAsync(parseSource(Buffer.from(text), format, `a.${format}`))).toMatch(message);
  });

  it('refuses a source that is not UTF-8', async () => {
    expect(await usageAsync(parseSource(Buffer.from([0x41, 0x3d, 0xff, 0xfe]), 'dotenv', '.env'))).toMatch(/.env is not UTF-8 text/);
  });
});

import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { buildShaping, fieldVariable, parseExpand, shapeValues } from '../../src/deploy/expand.js';
import { jsonFieldTexts, Masker, maskNeedles } from '../../src/run/mask.js';
import { addMaskCommands } from '../../src/export/github.js';
import { fillTemplate, templateKeys } from '../../src/export/template.js';
import type { SecretValue } from '../../src/store/types.js';

const usage = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as UsageError).line();
  }
  throw new Error('no usage error');
};

const RDS = JSON.stringify({
  username: 'admin',
  password: 'pw-canary-123',
  port: 5432,
  host: 'db.internal',
  'ssl-mode': 'require',
  opts: { tls: true, ca: 'ca-canary' },
  dbname: null,
  ok: true,
});

describe('--expand KEY[=PREFIX]', () => {
  it('parses, with the prefix defaulting to the key', () => {
    expect(parseExpand('RDS')).toEqual({ key: 'RDS', prefix: 'RDS' });
    expect(parseExpand('RDS=DB')).toEqual({ key: 'RDS', prefix: 'DB' });
    expect(usage(() => parseExpand('RDS='))).toMatch(/invalid prefix ""/);
    expect(usage(() => parseExpand('my-key'))).toMatch(/invalid key "my-key"/);
  });
  it('names variables PREFIX_FIELD, upper-cased, other characters made _', () => {
    expect(fieldVariable('DB', 'ssl-mode')).toBe('DB_SSL_MODE');
    expect(fieldVariable('DB', 'host.name')).toBe('DB_HOST_NAME');
    expect(fieldVariable('DB', 'pässword')).toBe('DB_P_SSWORD');
    expect(fieldVariable('DB', '')).toBe('DB_');
  });
  it('replaces the key by one variable per top-level field: nested as JSON text, null empty', () => {
    const values = new Map<string, SecretValue>([
      ['A', 'a'],
      ['RDS', RDS],
      ['Z', 'z'],
    ]);
    const { values: out, only } = shapeValues(values, [], { expand: [{ key: 'RDS', prefix: 'DB' }], exclude: [] });
    expect([...out]).toEqual([
      ['A', 'a'],
      ['DB_USERNAME', 'admin'],
      ['DB_PASSWORD', 'pw-canary-123'],
      ['DB_PORT', '5432'],
      ['DB_HOST', 'db.internal'],
      ['DB_SSL_MODE', 'require'],
      ['DB_OPTS', '{"tls":true,"ca":"ca-canary"}'],
      ['DB_DBNAME', ''],
      ['DB_OK', 'true'],
      ['Z', 'z'],
    ]);
    expect(only).toEqual([]);
  });
  it('with --only, the expanded variables join the selection', () => {
    const values = new Map<string, SecretValue>([
      ['A', 'a'],
      ['J', '{"x":"1"}'],
    ]);
    const { only } = shapeValues(values, [{ key: 'A', env: 'AA' }], { expand: [{ key: 'J', prefix: 'J' }], exclude: [] });
    expect(only).toEqual([
      { key: 'A', env: 'AA' },
      { key: 'J_X', env: 'J_X' },
    ]);
  });
  it('--exclude drops keys first', () => {
    const values = new Map<string, SecretValue>([
      ['A', 'a'],
      ['BLOB', new Uint8Array([0, 1])],
    ]);
    expect([...shapeValues(values, [], { expand: [], exclude: ['BLOB', 'NOT_THERE'] }).values.keys()]).toEqual(['A']);
  });
  it('refuses a clash, naming both sources', () => {
    const two = new Map<string, SecretValue>([['J', '{"a-b":"1","a_b":"2"}']]);
    expect(usage(() => shapeValues(two, [], { expand: [{ key: 'J', prefix: 'J' }], exclude: [] }))).toMatch(
      /--expand J: fields "a-b" and "a_b" both become J_A_B; choose another prefix/,
    );
    const withKey = new Map<string, SecretValue>([
      ['J', '{"port":"1"}'],
      ['J_PORT', 'p'],
    ]);
    expect(usage(() => shapeValues(withKey, [], { expand: [{ key: 'J', prefix: 'J' }], exclude: [] }))).toMatch(
      /variable J_PORT would be set twice: by field "port" of --expand J and by key J_PORT/,
    );
    const withRename = new Map<string, SecretValue>([
      ['J', '{"port":"1"}'],
      ['P', 'p'],
    ]);
    expect(usage(() => shapeValues(withRename, [{ key: 'P', env: 'J_PORT' }], { expand: [{ key: 'J', prefix: 'J' }], exclude: [] }))).toMatch(/by --only P=J_PORT/);
    const twoExpands = new Map<string, SecretValue>([
      ['A', '{"x":"1"}'],
      ['B', '{"x":"2"}'],
    ]);
    expect(
      usage(() =>
        shapeValues(twoExpands, [], {
          expand: [
            { key: 'A', prefix: 'P' },
            { key: 'B', prefix: 'P' },
          ],
          exclude: [],
        }),
      ),
    ).toMatch(/P_X would be set twice: by field "x" of --expand B and by field "x" of --expand A/);
  });
  it.each([['"just text"'], ['[1,2]'], ['not json'], ['null']])('refuses a value that is not a JSON object (%s), naming the key only', (v) => {
    const line = usage(() => shapeValues(new Map([['K', v]]), [], { expand: [{ key: 'K', prefix: 'K' }], exclude: [] }));
    expect(line).toBe('--expand K: its value is not a JSON object; leave out --expand K, or store the value as a JSON object');
  });
  it('refuses a binary value', () => {
    expect(usage(() => shapeValues(new Map([['K', new Uint8Array([123, 125])]]), [], { expand: [{ key: 'K', prefix: 'K' }], exclude: [] }))).toMatch(/not a JSON object/);
  });
  it('a key goes to one of --expand, --exclude, --only, --file', () => {
    expect(usage(() => buildShaping(['A'], ['A'], []))).toMatch(/A is given to both --expand and --exclude/);
    expect(usage(() => buildShaping(['A'], [], [{ key: 'A', env: 'A' }]))).toMatch(/A is given to both --expand and --only/);
    expect(usage(() => buildShaping([], ['A'], [], [{ key: 'A', env: 'F' }]))).toMatch(/A is given to both --exclude and --file/);
    expect(usage(() => buildShaping(['A', 'A=B'], [], []))).toMatch(/--expand A is given twice/);
    expect(usage(() => buildShaping([], ['bad-key'], []))).toMatch(/--exclude "bad-key": invalid key/);
    expect(buildShaping(['A=X', 'A=X'], ['B', 'B'], [])).toEqual({ expand: [{ key: 'A', prefix: 'X' }], exclude: ['B'] });
  });
});

describe('masking JSON-object values', () => {
  it('every string and number field, at any depth; not booleans or null', () => {
    expect(jsonFieldTexts(RDS)).toEqual(['admin', 'pw-canary-123', '5432', 'db.internal', 'require', 'ca-canary']);
    expect(jsonFieldTexts('not json')).toEqual([]);
    expect(jsonFieldTexts('["a-list-value"]')).toEqual([]);
  });
  it('a child that parses the JSON and prints a field shows ***; short fields follow the minimum length rule', () => {
    const m = new Masker(maskNeedles(['{"user":"bob","password":"pw-canary-123"}']));
    const out = Buffer.concat([m.push(Buffer.from('user bob, password pw-canary-123\n')), m.end()]).toString();
    expect(out).toBe('user bob, password ***\n');
  });
  it('export --format github masks the fields too', () => {
    const { commands } = addMaskCommands(new Map([['RDS', RDS]]));
    expect(commands).toContain('::add-mask::pw-canary-123\n');
    expect(commands).toContain('::add-mask::ca-canary\n');
  });
});

describe('render {{ secret "KEY" "field" }}', () => {
  const values = new Map([
    ['RDS', RDS],
    ['TEXT', 'plain'],
  ]);
  it('reads a field: strings as they are, others as JSON text, null empty', () => {
    const t = 'u={{ secret "RDS" "username" }} p={{secret \'RDS\' \'port\'}} o={{ secret "RDS" "opts" }} n=[{{ secret "RDS" "dbname" }}] w={{ secret "TEXT" }}';
    expect(templateKeys(t, 't')).toEqual(['RDS', 'TEXT']);
    expect(fillTemplate(t, values, 't')).toBe('u=admin p=5432 o={"tls":true,"ca":"ca-canary"} n=[] w=plain');
  });
  it('a missing field or a value that is not a JSON object is a usage error, never showing the value', () => {
    expect(usage(() => fillTemplate('\n{{ secret "RDS" "nope" }}', values, 'cfg.tmpl'))).toMatch(
      /^cfg.tmpl:2: \{\{ secret "RDS" "nope" \}\}: RDS has no field "nope"; its fields: username, password/,
    );
    const line = usage(() => fillTemplate('{{ secret "TEXT" "x" }}', values, 'cfg.tmpl'));
    expect(line).toMatch(/the value of TEXT is not a JSON object/);
    expect(line).not.toMatch(/plain/);
  });
  it('a malformed field reference fails', () => {
    expect(usage(() => templateKeys('{{ secret "RDS" field }}', 't'))).toMatch(/malformed secret reference/);
  });
});

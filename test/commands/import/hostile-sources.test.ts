import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../../helpers/io.js';

/** In every source below; must never be in stdout or stderr. */
const MARK = 'hostile-mark-5150';
let sb: Sandbox;
beforeEach(() => {
  sb = sandbox({ SCOPED_ORG: 'acme' });
});
afterEach(() => sb.cleanup());

/** Every file under the store folder and its bytes: what "the store is unchanged" compares. */
function storeState(): string {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [`${join(dir, e.name)}:${readFileSync(join(dir, e.name)).toString('base64')}`],
    );
  try {
    return walk(sb.env.SCOPED_HOME as string)
      .sort()
      .join('\n');
  } catch {
    return '(no store)';
  }
}

/** Imports `text` as FILE and expects one line, exit 2, nothing on stdout, no mark, nothing written. */
async function refused(file: string, text: string | Buffer, ...flags: string[]): Promise<string> {
  writeFileSync(join(sb.dir, file), text);
  const before = storeState();
  const r = await sb.run(['import', file, ...flags]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(`${r.stdout}${r.stderr}`).not.toContain(MARK);
  expect(storeState()).toBe(before);
  return r.stderr;
}

describe('parse errors never quote the source (item: leaks)', () => {
  it.each([
    ['a dotenv file read as JSON', 'a.env', `DB_PASSWORD=${MARK}\n`, /a\.env is not valid JSON: line 1, column 1: a value JSON does not have/],
    ['a bare word where a JSON value belongs', 'a.json', `{\n  "A": ${MARK}\n}`, /line 2, column 8: a value JSON does not have/],
    ['text after the JSON value', 'a.json', `{"A": "x"} ${MARK}`, /line 1, column 12: unexpected text/],
    ['an unterminated JSON string', 'a.json', `{"A": "${MARK}`, /not valid JSON: line 1, column \d+: a closing quote/],
    ['single quotes in JSON', 'a.json', `{'A': '${MARK}'}`, /not valid JSON: line 1, column 2: text that is not valid JSON/],
    ['a trailing comma', 'a.json', `{"A": "${MARK}",}`, /not valid JSON: line 1, column \d+/],
    ['a tab in a JSON string', 'a.json', `{"A": "a\t${MARK}"}`, /not valid JSON: line 1, column \d+/],
    ['an empty JSON file', 'a.json', '', /a\.json is not valid JSON: it is empty/],
    ['an unterminated YAML string', 'a.yaml', `A: "${MARK}\n`, /a\.yaml is not valid YAML: line 2, column 1: a closing quote or bracket is missing/],
    ['a YAML value with ": " unquoted', 'a.yaml', `A: ${MARK}: x\n`, /not valid YAML: line 1, column 4: a nested mapping/],
    ['text after a YAML flow mapping', 'a.yaml', `{A: x} ${MARK}\n`, /not valid YAML: line 1, column \d+/],
    ['a YAML key given twice', 'a.yaml', `A: ${MARK}\nA: y\n`, /the key "A" is given twice \(line 2, column 1\)/],
  ])('%s', async (_what, file, text, message) => {
    expect(await refused(file, text, ...(file === 'a.env' ? ['--format', 'json'] : []))).toMatch(message);
  });

  it('a JSON value that is not a string names the key and its type, never the value', async () => {
    expect(await refused('a.json', `{"OK": "${MARK}", "PORT": 5432, "ON": true}`)).toMatch(
      /the value of "PORT" is a number, not a string; the value of "ON" is a boolean, not a string; quote such values/,
    );
  });
});

describe('every problem named, the first five and how many more', () => {
  it('JSON', async () => {
    const doc = Object.fromEntries([...'ABCDEFG'].map((k, i) => [k, i]));
    const line = await refused('a.json', JSON.stringify({ ...doc, S: MARK }));
    expect(line).toMatch(/"A" is a number.*"B".*"C".*"D".*"E" is a number, not a string, and 2 more; /);
    expect(line).not.toMatch(/"F"/);
  });
  it('one error for every kind of problem, in the order of the file: types, keys, empty values, NUL', async () => {
    const line = await refused('a.json', `{"bad-key": "${MARK}", "A": 1, "E": "", "OK": "${MARK}", "N": "a\\u0000b", "bad-2": 2}`);
    expect(line).toMatch(
      /nothing written: invalid key "bad-key"; the value of "A" is a number, not a string; E has an empty value; the value of N holds a NUL character.*; invalid key "bad-2" \(a key is a letter or underscore/,
    );
    const yaml = await refused('a.yaml', `A: 1\nbad-key: "${MARK}"\n`);
    expect(yaml).toMatch(/the value of "A" \(line 1, column 4\) is a number, not a string; invalid key "bad-key" \(a key is/);
  });
  it('YAML, with line and column', async () => {
    const line = await refused('a.yaml', `S: ${MARK}\nA: 1\nB: true\nC: ~\nD:\nE: [x]\nF: {a: b}\nG: 2\n`);
    expect(line).toMatch(
      /the value of "A" \(line 2, column 4\) is a number, not a string; the value of "B" \(line 3, column 4\) is a boolean.*"C" \(line 4, column 4\) is null.*"D" \(line 5, column 3\) is null.*"E" \(line 6, column 4\) is a list, not a string, and 2 more/,
    );
  });
});

describe('YAML that is hostile or surprising', () => {
  it('an alias bomb ("billion laughs") is refused at once as the lists it holds, exit 2', async () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 12; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(',')}]`,
      );
    const line = await refused('bomb.yaml', `S: ${MARK}\n${levels.join('\n')}\n`);
    expect(line).toMatch(/the value of "a" \(line 2, column 7\) is a list, not a string/);
    expect(line).toMatch(/and 7 more/);
  });
  it.each([
    ['200,000 nested brackets', `A: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n`, /line 1, column 68: collections nested more than 64 levels deep/],
    ['200,000 unclosed brackets', `A: ${'['.repeat(200_000)}\n`, /line 1, column 68: collections nested more than 64 levels deep/],
    ['50,000 nested lists on one line', `S: ${MARK}\nB: ${'- '.repeat(50_000)}x\n`.replace('B: ', ''), /line 2, column 1: collections nested more than 64 levels deep/],
    ['65 nested flow mappings', `A: ${'{a: '.repeat(65)}1${'}'.repeat(65)}\n`, /line 1, column 260: collections nested more than 64 levels deep/],
  ])('%s: refused before the parser recurses (it would exhaust the stack, or abort Node)', async (_what, text, message) => {
    expect(await refused('deep.yaml', text)).toMatch(message);
  });
  it('deep but valid JSON is refused as the list it is; broken deep JSON by its place', async () => {
    expect(await refused('deep.json', `{"A": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`)).toMatch(/the value of "A" is a list, not a string/);
    expect(await refused('deep.json', `{"A": ${'['.repeat(200_000)}}`)).toMatch(/not valid JSON: line 1, column 70: collections nested more than 64 levels deep/);
  });
  it('64 levels are read (and refused as the list they are)', async () => {
    expect(await refused('a.yaml', `A: ${'['.repeat(64)}${']'.repeat(64)}\n`)).toMatch(/the value of "A" \(line 1, column 4\) is a list, not a string/);
  });
  it('a key that is a list or a mapping is refused, with no warning from Node', async () => {
    expect(await refused('a.yaml', `? [a, b]\n: ${MARK}\n`)).toMatch(/a key \(line 1, column 3\) is a list, not a name/);
    expect(await refused('a.yaml', `{a: 1}: ${MARK}\n`)).toMatch(/a key \(line 1, column 1\) is a mapping, not a name/);
  });
  it('!!binary is named as binary data, and a custom tag by its name', async () => {
    expect(await refused('a.yaml', 'A: !!binary aGVsbG8=\n')).toMatch(/the value of "A" \(line 1, column 13\) is binary data \(!!binary\), not a string/);
    expect(await refused('a.yaml', `A: !vault ${MARK}\n`)).toMatch(/the value of "A" \(line 1, column 11\) is tagged !vault, a tag scoped does not read/);
    expect(await refused('a.yaml', `!vault {A: ${MARK}}\n`)).toMatch(/a\.yaml is tagged !vault, a tag scoped does not read, not a mapping/);
  });
  it('an alias to a missing anchor is refused; one to a string is that string', async () => {
    expect(await refused('a.yaml', 'A: *nope\n')).toMatch(/the value of "A" \(line 1, column 4\) is an alias that names no anchor/);
    writeFileSync(join(sb.dir, 'ok.yaml'), `A: &x "${MARK}"\nB: *x\n`);
    expect(await sb.run(['import', 'ok.yaml'])).toMatchObject({ code: 0, stdout: 'A\tcreate\nB\tcreate\n' });
    expect((await sb.run(['get', 'secret', 'B', '--reveal'])).stdout).toBe(MARK);
  });
  it('0755 stays the text as written (as docs/import-and-copy.md promises); no/on/yes stay strings; other numbers are refused', async () => {
    writeFileSync(join(sb.dir, 'ok.yaml'), 'MODE: 0755\nQ: "0755"\nA: no\nB: on\nC: yes\nD: !!str 0755\nZ: 00\n');
    expect((await sb.run(['import', 'ok.yaml'])).code).toBe(0);
    const values = { A: 'no', B: 'on', C: 'yes', D: '0755', MODE: '0755', Q: '0755', Z: '00' };
    expect((await sb.run(['export', '--format', 'json'])).stdout).toBe(`${JSON.stringify(values, null, 2)}\n`);
    expect(await refused('a.yaml', 'MODE: !!int 0755\n')).toMatch(/the value of "MODE" \(line 1, column 13\) is a number, not a string/);
    for (const n of ['755', '-0755', '0x1F', '0o17', '1e3', '0'])
      expect(await refused('a.yaml', `N: ${n}\n`)).toMatch(/the value of "N" \(line 1, column 4\) is a number, not a string; quote such values/);
  });
});

describe('values no reader can carry are refused at import, naming the key (never the value)', () => {
  it.each([
    ['a NUL in JSON', 'a.json', `{"OK": "${MARK}", "BAD": "x\\u0000${MARK}"}`, /the value of BAD holds a NUL character/],
    ['a NUL in dotenv', 'a.env', Buffer.from(`OK=${MARK}\nBAD=x\0${MARK}\n`), /the value of BAD holds a NUL character/],
    ['a NUL in YAML', 'a.yaml', `BAD: "x\\0${MARK}"\n`, /the value of BAD holds a NUL character/],
    ['a lone surrogate in JSON', 'a.json', `{"BAD": "${MARK}\\ud800"}`, /the value of BAD holds a lone UTF-16 surrogate/],
    ['a lone low surrogate in YAML', 'a.yaml', `BAD: "\\udc00${MARK}"\n`, /the value of BAD holds a lone UTF-16 surrogate/],
  ])('%s', async (_what, file, text, message) => {
    expect(await refused(file, text)).toMatch(message);
  });
  it('a surrogate pair (an emoji written as JSON escapes) is text and round-trips', async () => {
    writeFileSync(join(sb.dir, 'a.json'), '{"E": "\\ud83d\\ude00"}');
    expect((await sb.run(['import', 'a.json'])).code).toBe(0);
    expect((await sb.run(['get', 'secret', 'E', '--reveal'])).stdout).toBe('😀');
    expect((await sb.run(['import', 'a.json'])).stdout).toBe('E\tunchanged\n');
  });
  it('set secret keeps bytes holding a NUL as binary (binary kept binary), as create does', async () => {
    const r = await sb.run(['set', 'secret', 'BIN'], { stdin: Buffer.from('a\0b') });
    expect(r.code).toBe(0);
    expect((await sb.run(['get', 'secret', 'BIN', '--reveal'])).stdout).toBe('a\0b');
    expect((await sb.run(['export'])).stderr).toMatch(/BIN.*binary/);
  });
});

describe('render refuses a template that is not UTF-8 instead of changing it', () => {
  it('names the line and the byte offset', async () => {
    await sb.run(['create', 'secret', 'K', MARK]);
    writeFileSync(join(sb.dir, 't.tmpl'), Buffer.concat([Buffer.from('a: {{ secret "K" }}\nb: caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
    const r = await sb.run(['render', 't.tmpl']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^scoped: t\.tmpl:2: not UTF-8 text \(byte offset 26\); /);
    expect(r.stderr).not.toContain(MARK);
  });
  it('a U+FFFD that is really in the template, and a byte-order mark, are kept', async () => {
    await sb.run(['create', 'secret', 'K', 'v']);
    writeFileSync(join(sb.dir, 't.tmpl'), '\uFEFFx\uFFFD {{ secret "K" }}');
    const r = await sb.run(['render', 't.tmpl']);
    expect(r).toMatchObject({ code: 0, stdout: '\uFEFFx\uFFFD v' });
  });
});

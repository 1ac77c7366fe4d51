import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSource } from '../../src/import/formats.js';
import { sandbox, type Sandbox } from '../helpers/io.js';

/**
 * A JSON key given twice is refused, as a YAML one is (review s28, finding 9: `{"A":"1","A":"2"}` was
 * imported as A=2 without a word, since JSON.parse keeps the last).
 */
const MARK = 'json-repeat-mark-2b7c';

async function refusal(text: string): Promise<string> {
  const err: unknown = await parseSource(Buffer.from(text), 'json', 'a.json').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  expect((err as { exitCode?: number }).exitCode ?? 2).toBe(2);
  return (err as Error).message;
}

describe('JSON import: a key given twice', () => {
  it.each([
    ['the same text', `{"A": "${MARK}", "A": "2"}`, /^a\.json: nothing written: the key "A" is given twice \(line 1, column 32\)$/],
    ['on later lines', `{\n  "A": "1",\n  "B": "${MARK}",\n  "B": "3"\n}`, /the key "B" is given twice \(line 4, column 3\)/],
    ['written with an escape', `{"AB": "${MARK}", "\\u0041B": "2"}`, /the key "AB" is given twice/],
    ['__proto__', `{"__proto__": "${MARK}", "__proto__": "2"}`, /the key "__proto__" is given twice/],
  ])('%s: refused, naming the key and where, never the value', async (_what, text, message) => {
    const line = await refusal(text);
    expect(line).toMatch(message);
    expect(line).not.toContain(MARK);
  });

  it('keys that only look alike are kept', async () => {
    expect(await parseSource(Buffer.from('{"A": "1", "a": "2", "A_": "3"}'), 'json', 'a.json')).toEqual([
      { key: 'A', value: '1' },
      { key: 'a', value: '2' },
      { key: 'A_', value: '3' },
    ]);
  });

  it('a repeat inside a nested value is refused as that value is (not a string)', async () => {
    expect(await refusal('{"A": {"x": "1", "x": "2"}}')).toMatch(/the value of "A" is a mapping, not a string/);
  });
});

describe('scoped import of such a file', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = sandbox({ SCOPED_LOCAL_KEY: Buffer.alloc(32, 7).toString('base64') });
  });
  afterEach(() => sb.cleanup());

  it('exit 2, one line, nothing on stdout, nothing written', async () => {
    writeFileSync(join(sb.dir, 'in.json'), `{"NEW": "x1234", "A": "${MARK}", "A": "second"}`);
    const r = await sb.run(['import', 'in.json', '-p', 'app']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^scoped: in\.json: nothing written: the key "A" is given twice \(line 1, column 48\); give each key once\n$/);
    expect(r.stderr).not.toContain(MARK);
    const store = (() => {
      try {
        return readdirSync(sb.home);
      } catch {
        return [];
      }
    })();
    expect(store.filter((f) => !f.startsWith('.'))).toEqual([]);
    expect((await sb.run(['get', 'secret', 'NEW', '-p', 'app'])).code).toBe(3);
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dotenv from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { DOTENV_READERS, dotenvValue, formatDotenv, type DotenvReader } from '../../src/export/dotenv.js';
import { yamlDocument } from '../../src/support/yaml-text.js';
import { formatYaml } from '../../src/export/formats.js';
import { rng } from '../helpers/seed.js';
import { HARD } from './values-corpus.js';

const dir = mkdtempSync(join(tmpdir(), 'scoped-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** A reader on the machine, given the file's path; it prints the key -> value map as JSON (ASCII-escaped). */
function readWith(cmd: string, args: string[], quiet = true): Record<string, string> {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' }, timeout: 20_000 });
  if (quiet) expect(r.stderr, `${cmd} ${args.join(' ')}`).toBe('');
  expect(r.status).toBe(0);
  return JSON.parse(r.stdout) as Record<string, string>;
}

const PY_YAML = `
import json, sys, yaml
text = open(sys.argv[1], encoding='utf-8').read()
safe = yaml.safe_load(text)
full = yaml.load(text, Loader=yaml.FullLoader)
assert safe == full, 'safe_load and FullLoader disagree'
assert all(isinstance(v, str) for v in safe.values()), 'not all strings: ' + repr([k for k, v in safe.items() if not isinstance(v, str)])
print(json.dumps(safe))
`;
const PY_DOTENV = `
import json, sys
from dotenv import dotenv_values
print(json.dumps(dotenv_values(sys.argv[1])))
`;
/** Sources the file with allexport and prints what the shell now holds for each key. */
const SHELL_DUMP = (path: string, keys: string[]) =>
  `set -a; . '${path}'; exec '${process.execPath}' -e 'const o={};for(const k of process.argv.slice(1))o[k]=process.env[k];process.stdout.write(JSON.stringify(o))' ${keys.join(' ')}`;

describe('export --format yaml reads back as the same strings', () => {
  const values = new Map(HARD);
  const yaml = formatYaml(values);
  const path = file('values.yaml', yaml);
  const expected = Object.fromEntries(values);

  it('in PyYAML (YAML 1.1): safe_load and FullLoader', () => {
    expect(readWith('python3', ['-c', PY_YAML, path])).toEqual(expected);
  });

  it('in the yaml package, as YAML 1.2 and 1.1', () => {
    expect(parseYaml(yaml)).toEqual(expected);
    expect(parseYaml(yaml, { version: '1.1' })).toEqual(expected);
  });

  it('keys that look like other types stay strings too, and an empty export is an empty map', () => {
    const keys = new Map([
      ['yes', 'a'],
      ['null', 'b'],
      ['_1_000', 'c'],
    ]);
    expect(readWith('python3', ['-c', PY_YAML, file('keys.yaml', formatYaml(keys))])).toEqual(Object.fromEntries(keys));
    expect(parseYaml(formatYaml(new Map()))).toEqual({});
  });
});

describe('-o yaml: store text (descriptions, tags) reads back as the same strings', () => {
  const data = {
    items: HARD.map(([k, v]) => ({ key: k, description: v, tags: { [v || 'empty']: v }, deletedAt: null, count: 2 })),
  };
  it('in PyYAML and the yaml package (1.1 and 1.2)', async () => {
    const text = await yamlDocument(data);
    const py = readWith('python3', [
      '-c',
      PY_YAML.replace("assert all(isinstance(v, str) for v in safe.values()), 'not all strings: ' + repr([k for k, v in safe.items() if not isinstance(v, str)])", ''),
      file('data.yaml', text),
    ]);
    expect(py).toEqual(data);
    expect(parseYaml(text)).toEqual(data);
    expect(parseYaml(text, { version: '1.1' })).toEqual(data);
  });
});

describe('export --format dotenv: every reader reads back exactly what it is not warned about', () => {
  const values = new Map(HARD);
  const warnings: string[] = [];
  formatDotenv(values, (l) => warnings.push(l));
  // The keys a reader misreads, from each value's encoding (the warnings name the first few of them).
  const misreadIn = (all: Map<string, string>, reader: DotenvReader): Set<string> =>
    new Set([...all].filter(([, v]) => dotenvValue(v)?.misreadBy.includes(reader)).map(([k]) => k));
  const misread = (reader: DotenvReader): Set<string> => misreadIn(values, reader);

  const readers: Record<DotenvReader, (text: string, name: string) => Record<string, string | undefined | null>> = {
    'node dotenv': (t) => dotenv.parse(t),
    'python-dotenv': (t, name) => readWith('python3', ['-c', PY_DOTENV, file(name, t)]),
    'POSIX shell (set -a; . FILE)': (t, name) => readWith('bash', ['--norc', '--noprofile', '-c', SHELL_DUMP(file(name, t), keysOf(t))]),
  };
  const keysOf = (t: string): string[] => [...t.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1] as string);

  /**
   * A value a reader misreads may also spoil the keys after it there (the warning says so); the guarantee
   * is that a file with no warning for a reader reads back exactly in it.
   */
  function checkReader(reader: DotenvReader, all: Map<string, string>, read = readers[reader]): void {
    const warned: string[] = [];
    formatDotenv(all, (l) => warned.push(l));
    const skip = misreadIn(all, reader);
    // Every such key is warned about: one line per reader and reason, naming the first few.
    if (skip.size > 0) expect(warned.some((w) => w.includes(`${reader} would read`))).toBe(true);
    const fit = new Map([...all].filter(([k]) => !skip.has(k)));
    const again: string[] = [];
    const got = read(
      formatDotenv(fit, (l) => again.push(l)),
      `${reader.split(' ')[0]}-${all.size}.env`,
    );
    expect(again.filter((w) => w.includes(reader))).toEqual([]);
    for (const [k, v] of fit) expect(got[k], `${k} ${JSON.stringify(v)} in ${reader}`).toBe(v);
    // The warnings are not a blanket: most values reach every reader.
    expect(skip.size).toBeLessThan(all.size / 3);
  }

  for (const reader of DOTENV_READERS) it(reader, () => checkReader(reader, values));
  it('POSIX shell: dash reads what bash reads', () =>
    checkReader('POSIX shell (set -a; . FILE)', values, (t, name) => readWith('dash', ['-c', SHELL_DUMP(file(name, t), keysOf(t))])));

  it('random values from a hard alphabet, in every reader', () => {
    const r = rng(11);
    const alphabet = ["'", '"', '`', '\\', 'n', 'r', '\n', '\r', ' ', '#', '$', '{', '}', ':', '-', '=', 'é', 'x'];
    const word = () => Array.from({ length: Math.floor(r() * 10) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
    const random = new Map(Array.from({ length: 600 }, (_, i) => [`R${i}`, word()] as const).filter(([, v]) => dotenvValue(v) !== undefined));
    expect(random.size).toBeGreaterThan(500);
    for (const reader of DOTENV_READERS) checkReader(reader, random);
  });

  it('${...} is named as python-dotenv cannot carry it; warnings name keys and readers, never a value', () => {
    expect(warnings.find((w) => w.includes('python-dotenv would read') && w.includes('it expands ${...}'))).toMatch(
      /^[A-Z_, ]*BRACE_[A-Z_]+[A-Z_, ]*(and \d+ more)?: python-dotenv would read/,
    );
    expect(misread('python-dotenv')).toContain('BRACE_DEFAULT');
    for (const w of warnings) {
      for (const [, v] of values) if (v.length > 3) expect(w).not.toContain(v);
    }
  });
});

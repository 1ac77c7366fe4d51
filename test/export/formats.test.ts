import { spawnSync } from 'node:child_process';
import dotenv from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { dotenvValue, formatDotenv } from '../../src/export/dotenv.js';
import { formatJson, formatShell, formatYaml } from '../../src/export/formats.js';
import { addMaskCommands, githubEnvBlock, heredocDelimiter } from '../../src/export/github.js';
import { NASTY, rng } from '../helpers/seed.js';

/** Everything at once; shell, json and yaml must carry it too. */
const WORST = `it's "q" \`b\` $HOME \\ \\n # é\r\n\ttab\n`;

describe('dotenv', () => {
  it('round-trips through the dotenv parser', () => {
    const values = new Map(NASTY);
    expect(dotenv.parse(formatDotenv(values))).toEqual(Object.fromEntries(values));
  });

  it('round-trips random nasty values in node dotenv, or warns or refuses by name', () => {
    const r = rng(7);
    const alphabet = ["'", '"', '`', '\\', 'n', '\n', '\r', ' ', '#', '$', '=', 'é', 'x'];
    const word = () => Array.from({ length: Math.floor(r() * 9) }, () => alphabet[Math.floor(r() * alphabet.length)]).join('');
    let checked = 0;
    for (let t = 0; t < 20_000; t++) {
      const values = new Map([
        ['A', word()],
        ['B', word()],
        ['C', 'plain'],
      ]);
      if ([...values.values()].some((v) => dotenvValue(v) === undefined)) continue;
      const warned: string[] = [];
      const parsed = dotenv.parse(formatDotenv(values, (l) => warned.push(l)));
      const misread = new Set(warned.filter((w) => w.includes(': node dotenv would read')).map((w) => w.slice(0, w.indexOf(':'))));
      for (const [k, v] of values) if (!misread.has(k)) expect(parsed[k], JSON.stringify([...values])).toBe(v);
      if (misread.size === 0) checked++;
    }
    expect(checked).toBeGreaterThan(14_000);
  });

  it('refuses a value no dotenv quoting can hold, naming the key only', () => {
    const values = new Map([
      ['OK', 'fine'],
      ['BAD', WORST],
    ]);
    expect(() => formatDotenv(values)).toThrow(UsageError);
    expect(() => formatDotenv(values)).toThrow(/^BAD cannot be written as dotenv/);
    expect(() => formatDotenv(values)).not.toThrow(/tab|HOME/);
  });
});

describe('shell', () => {
  it('eval "$(...)" in bash restores every value exactly', () => {
    const values = new Map([...NASTY, ['WORST', WORST], ['LONG', 'x'.repeat(70_000)]]);
    const script = formatShell(values);
    // The script goes in on stdin, never on argv; node prints what bash ended up with.
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', `eval "$(cat)"; exec "${process.execPath}" -e 'process.stdout.write(JSON.stringify(process.env))'`], {
      input: script,
      env: {},
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    const env = JSON.parse(r.stdout) as Record<string, string>;
    for (const [k, v] of values) expect(env[k], k).toBe(v);
  });

  it('writes one export line per key, single-quoted', () => {
    expect(formatShell(new Map([['A', "it's"]]))).toBe(`export A='it'\\''s'\n`);
  });
});

describe('json and yaml', () => {
  it('are maps that parse back to the same values', async () => {
    const values = new Map([...NASTY, ['WORST', WORST], ['NUMBERISH', '0123'], ['BOOLISH', 'yes'], ['LONG', 'word '.repeat(100)]]);
    const expected = Object.fromEntries(values);
    expect(JSON.parse(formatJson(values))).toEqual(expected);
    expect(parseYaml(await formatYaml(values))).toEqual(expected);
  });
});

/** What the GitHub runner does with $GITHUB_ENV: `K=v` lines and `K<<DELIM ... DELIM` blocks. */
function parseGithubEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      for (i++; lines[i] !== heredoc[2]; i++) {
        if (i >= lines.length) throw new Error(`unterminated ${heredoc[1]}`);
        body.push(lines[i] as string);
      }
      out[heredoc[1] as string] = body.join('\n');
    } else if (line.includes('=')) out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
  }
  return out;
}

describe('github', () => {
  it('writes heredoc blocks the runner reads back, multi-line values included', () => {
    const values = new Map(NASTY.filter(([k]) => k !== 'CRLF'));
    const env = 'EXISTING=1\n' + githubEnvBlock(values);
    expect(parseGithubEnv(env)).toEqual({ EXISTING: '1', ...Object.fromEntries(values) });
  });

  it('never picks a delimiter that occurs in a value', () => {
    const values = new Map([['A', 'x\nghadelimiter_aaaa\ny']]);
    const tries = ['aaaa', 'aaaa', 'bbbb'];
    expect(heredocDelimiter(values, () => tries.shift() as string)).toBe('ghadelimiter_bbbb');
    // Even a value that tries to end the block early and define another variable stays one value.
    const hostile = new Map([['A', 'x\nghadelimiter_aaaa\nEVIL=1']]);
    const block = githubEnvBlock(
      hostile,
      heredocDelimiter(hostile, () => tries.shift() ?? 'cccc'),
    );
    expect(parseGithubEnv(block)).toEqual({ A: 'x\nghadelimiter_aaaa\nEVIL=1' });
    expect(heredocDelimiter(new Map())).toMatch(/^ghadelimiter_[0-9a-f]{32}$/);
  });

  it('masks every line of every value, escaped, skipping short lines', () => {
    const { commands, short } = addMaskCommands(
      new Map([
        ['PEM', '-----BEGIN-----\nABCDEFG\nab\n-----END-----\n'],
        ['PCT', '100%\rdone'],
        ['TINY', 'abc'],
        ['EMPTY', ''],
      ]),
    );
    expect(commands).toBe(['::add-mask::-----BEGIN-----', '::add-mask::ABCDEFG', '::add-mask::-----END-----', '::add-mask::100%25%0Ddone', ''].join('\n'));
    expect(short).toEqual(['PEM', 'TINY']);
  });
});

/**
 * `run -- CMD` through the hot entry (src/cli/hot-entry.ts) against the full CLI, byte for byte: each line runs
 * through the built binary as installed and with SCOPED_NO_HOT=1 (stdout, stderr and exit code equal), and through
 * hot.cjs alone, which answers once the child is about to start and declines (having written nothing, no child
 * started) on every error before it: the full CLI then says what is wrong.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../../helpers/bin.js';
import { binRun, hotOnly } from './hot-harness.js';

const KEY = Buffer.alloc(32, 5).toString('base64');

/** A line, whether the hot entry answers it, and what the child reads on stdin and the run's environment. */
type Line = [args: string[], answered: boolean, o?: { env?: Record<string, string>; input?: string }];

let dir: string;
let env: Record<string, string>;

/** Runs `line` three ways and checks them against each other; returns the full CLI's outcome. */
function check([args, answered, o = {}]: Line): { code: number | null; stdout: string; stderr: string } {
  const e = { ...env, ...o.env };
  const input = o.input ?? '';
  const alone = hotOnly(dir, args, e, dir, input);
  const hot = binRun(args, e, dir, true, input);
  const full = binRun(args, e, dir, false, input);
  expect(hot, `scoped ${args.join(' ')}`).toEqual(full);
  expect(alone.answered !== null, `hot.cjs ${answered ? 'answers' : 'declines'}: scoped ${args.join(' ')}`).toBe(answered);
  if (answered) expect({ code: alone.answered, stdout: alone.stdout, stderr: alone.stderr }).toEqual(full);
  else expect([alone.stdout, alone.stderr]).toEqual(['', '']);
  return full;
}

const sh = (script: string): string[] => ['--', 'sh', '-c', script];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-hot-run-'));
  env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    LANG: 'C.UTF-8',
    XDG_CACHE_HOME: join(dir, 'cache'),
    SCOPED_HOME: join(dir, 'store'),
    SCOPED_LOCAL_KEY: KEY,
    SCOPED_ORG: 'acme',
  };
  const create = (key: string, value: string, scope: string[] = []): void => {
    const r = spawnSync(process.execPath, [BIN, 'create', 'secret', key, '--from-file', '-', ...scope], { env, cwd: dir, input: value, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
  };
  create('K1', 'k1-org-canary');
  create('K1', 'k1-billing-canary', ['-p', 'billing']);
  create('K2', 'k2-org-canary');
  create('JSON', '{"host":"db.internal","port":"5432"}');
  create('SHORT', 'ab');
  writeFileSync(join(dir, 'bad.json'), '{"not": "a pin"}');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run through the hot entry, as the full CLI runs it', () => {
  const answered: Line[] = [
    // The child's exit code, and its signal as 128 + N.
    [['run', '--', 'true'], true],
    [['run', ...sh('exit 7')], true],
    [['run', ...sh('kill -KILL $$')], true],
    [['run', ...sh('kill -TERM $$')], true],
    // Masked (stdout and stderr are pipes here), and not.
    [['run', ...sh('echo "$K1 and $K2"; echo "$K2" >&2')], true],
    [['run', '--no-mask', ...sh('echo "$K1 and $K2"')], true],
    [['run', '--mask', ...sh('echo "$K1"')], true],
    [['run', ...sh('for i in $(seq 1 3000); do echo "$K1 line $i and $K2"; done')], true],
    // The warning before the child starts (held, then written): a value too short to mask.
    [['run', '--only', 'SHORT', ...sh('echo "$SHORT"')], true],
    // --only / --file / --expand / --exclude; env vs flags; names only on stderr.
    [['run', '--only', 'K1', '--only', 'K2=OTHER', '--no-mask', ...sh('echo "${K1:-unset} ${K2:-unset} $OTHER"')], true],
    [['run', '--file', 'K1', ...sh('cat "$K1"; echo; test -f "$K1" && echo file')], true],
    [['run', '--file', 'K2=PATHVAR', '--only', 'K1', ...sh('cat "$PATHVAR"; echo " ${K1}"')], true],
    [['run', '--expand', 'JSON', '--no-mask', ...sh('echo "$JSON_HOST:$JSON_PORT"')], true],
    [['run', '--exclude', 'K2', '--no-mask', ...sh('echo "${K2:-none}"')], true],
    [['run', '-p', 'billing', '--no-mask', ...sh('echo "$K1"')], true],
    [['run', '--no-mask', ...sh('echo "$K1"')], true, { env: { SCOPED_PROJECT: 'billing' } }],
    [['run', '-p', 'other', '--no-mask', ...sh('echo "$K1"')], true, { env: { SCOPED_PROJECT: 'billing' } }],
    [['run', '--no-mask', ...sh('echo "$K1"')], true, { env: { K1: 'from-env' } }],
    [['run', '--preserve-env', '--no-mask', ...sh('echo "$K1"')], true, { env: { K1: 'from-env' } }],
    [['--org', 'acme', 'run', '-q', ...sh('echo "$K1"')], true, { env: { K1: 'from-env' } }],
    // (The full CLI's run has SCOPED_NO_HOT=1 in its environment.)
    [['run', '--no-color', ...sh('env | grep -v SCOPED_NO_HOT | sort')], true],
    // stdin passed through to the child.
    [['run', '--', 'cat'], true, { input: 'from stdin\n' }],
    [['run', ...sh('read line; echo "$line $K2"')], true, { input: 'got\n' }],
    // The child cannot start: its own lines, after the spawn.
    [['run', '--', 'no-such-command-anywhere'], true],
    [['run', '--', './bad.json'], true],
    [['run', '-p', 'nobody', '--', 'true'], true],
  ];
  const declined: Line[] = [
    // Errors before the child starts: the full CLI's message.
    [['run', '--only', 'NOPE', '--', 'true'], false],
    [['run', '--file', 'K1', '--only', 'K1', '--expand', 'K1', '--', 'true'], false],
    [['run', '--expand', 'K1', '--', 'true'], false],
    [['run', '-p', 'bad name', '--', 'true'], false],
    [['run', '-o', 'json', '--', 'true'], false],
    [['run', '--pinned', 'missing.json', '--', 'true'], false],
    [['run', '--pinned', 'bad.json', '--', 'true'], false],
    [['run', '--', 'true'], false, { env: { SCOPED_BACKEND: 'nope' } }],
    [['run', '--'], false],
    [['run', '--', ''], false],
    // Outside the grammar.
    [['run', 'true'], false],
    [['run', 'ls', '-la'], false],
    [['run', '--mask', '--no-mask', '--', 'true'], false],
    [['run', '--pinned', '-', '--', 'true'], false, { input: '{}' }],
    [['run', '--bogus', '--', 'true'], false],
    [['run', '--only', 'K1', '--only', 'K1', '--', 'true'], false],
    [['run', '--interval', '5s', '--', 'true'], false],
    // (--debug is outside the grammar too; its lines carry timings, so two runs differ.)
    [['-p', 'billing', 'run', '--', 'true'], false],
  ];

  it.each(answered)('answers %j', (...line) => void check(line as Line));
  it.each(declined)('declines %j', (...line) => void check(line as Line));

  it('a signal to scoped reaches the child (its code is 128 + N), both ways', () => {
    // The child sends SIGTERM to its parent (scoped, or hot.cjs's runner), which relays it back: the child ends by it.
    const full = check([['run', ...sh('kill -TERM $PPID; exec sleep 30')], true]);
    expect(full.code).toBe(143);
  });

  it('the secret files are gone after the run, both ways', () => {
    for (const hot of [true, false]) {
      const where = join(dir, `where-${hot}`);
      const r = binRun(['run', '--file', 'K1', '--exclude', 'SHORT', ...sh(`printf %s "$K1" > '${where}'; cat "$K1"`)], env, dir, hot);
      expect(r, `hot: ${hot}`).toEqual({ code: 0, stdout: '***', stderr: '' });
      const path = readFileSync(where, 'utf8');
      expect(path).not.toBe('');
      expect(existsSync(path), `hot: ${hot}`).toBe(false);
    }
  });

  it('a declined line started no child', () => {
    const marker = join(dir, 'started');
    const r = hotOnly(dir, ['run', '--only', 'NOPE', ...sh(`touch '${marker}'`)], env, dir);
    expect(r.answered).toBeNull();
    expect(existsSync(marker)).toBe(false);
  });
});

/**
 * The prompts on a real terminal, through the built binary: the hidden value prompt of `create secret`, and
 * the confirmations of `rollback secret` and `delete secret`. Run on a pseudo-terminal (test/helpers/on-tty.py,
 * Python's pty), the only way the bundled prompt code runs as a user meets it: every other test gives stdin as
 * a pipe, where scoped reads the value without a prompt. A build that broke the prompt library (its
 * `class MuteStream extends Stream` against a lazily loaded node:stream) made every one of them an
 * "unexpected error", exit 1.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, binSandbox } from '../helpers/bin.js';

const CANARY = 'canary-tty-prompt-5e1f';
const KEY = Buffer.alloc(32, 11).toString('base64');

let sb: ReturnType<typeof binSandbox>;
beforeEach(() => {
  sb = binSandbox();
  Object.assign(sb.env, { SCOPED_LOCAL_KEY: KEY, TERM: 'xterm' });
});
afterEach(() => sb.cleanup());

/** The binary on a terminal, typing each step's keys once its text is on the screen. */
function onTty(args: string[], steps: [string, string][]): { code: number | null; out: string; stuck?: string } {
  const r = spawnSync('python3', [join(ROOT, 'test', 'helpers', 'on-tty.py'), JSON.stringify([process.execPath, BIN, ...args]), JSON.stringify(steps)], {
    cwd: sb.home,
    env: sb.env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { code: number | null; out: string; stuck?: string };
}

const reveal = (key: string) => sb.run(['get', 'secret', key, '--reveal']);

describe('prompts on a terminal (built binary)', () => {
  it('create secret: the hidden prompt takes the value, never shows it, and stores it', { timeout: 150_000 }, () => {
    const r = onTty(['create', 'secret', 'TTY_KEY'], [['Value for TTY_KEY', `${CANARY}-1\r`]]);
    expect(r.stuck).toBeUndefined();
    expect(r.out).not.toContain('unexpected error');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Created TTY_KEY at org default');
    // Typed after the prompt took the terminal: not echoed, not masked into the line either.
    expect(r.out).not.toContain(CANARY);
    expect(reveal('TTY_KEY')).toMatchObject({ code: 0, stdout: `${CANARY}-1` });
  });

  it('rollback secret --previous: asks, and moves AWSCURRENT back on yes', { timeout: 150_000 }, () => {
    expect(sb.run(['create', 'secret', 'TTY_KEY'], { stdin: `${CANARY}-1` }).code).toBe(0);
    expect(sb.run(['update', 'secret', 'TTY_KEY'], { stdin: `${CANARY}-2` }).code).toBe(0);
    const r = onTty(['rollback', 'secret', 'TTY_KEY', '--previous'], [['(y/N)', 'y\r']]);
    expect([r.stuck, r.code]).toEqual([undefined, 0]);
    expect(r.out).toContain('Rolled back TTY_KEY at org default');
    expect(r.out).not.toContain(CANARY);
    expect(reveal('TTY_KEY')).toMatchObject({ code: 0, stdout: `${CANARY}-1` });
  });

  it('delete secret: no keeps the secret (exit 130), yes schedules its deletion', { timeout: 150_000 }, () => {
    expect(sb.run(['create', 'secret', 'TTY_KEY'], { stdin: `${CANARY}-1` }).code).toBe(0);
    const no = onTty(['delete', 'secret', 'TTY_KEY'], [['(y/N)', 'n\r']]);
    expect([no.stuck, no.code]).toEqual([undefined, 130]);
    expect(no.out).toContain('scoped: deletion cancelled; nothing was deleted');
    expect(reveal('TTY_KEY').code).toBe(0);
    const yes = onTty(['delete', 'secret', 'TTY_KEY'], [['(y/N)', 'y\r']]);
    expect([yes.stuck, yes.code]).toEqual([undefined, 0]);
    expect(yes.out).toContain('Scheduled TTY_KEY at org default for deletion');
    // Scheduled, not gone: a read says so (exit 4, conflict) until restore secret or the window ends.
    expect(reveal('TTY_KEY')).toMatchObject({ code: 4, stdout: '' });
  });
});

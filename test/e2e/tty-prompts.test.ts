/**
 * The prompts on a real terminal, through the built binary: the hidden value prompt of `create secret`, and
 * the confirmations of `rollback secret` and `delete secret`. Run on a pseudo-terminal (test/helpers/on-tty.py,
 * Python's pty), the only way the bundled prompt code runs as a user meets it: every other test gives stdin as
 * a pipe, where scoped reads the value without a prompt. A build that broke the prompt library (its
 * `class MuteStream extends Stream` against a lazily loaded node:stream) made every one of them an
 * "unexpected error", exit 1.
 *
 * Ctrl-D (end of input) at a prompt is a cancellation, as Ctrl-C is: exit 130, one line, nothing changed. It
 * used to print "cancelled" and exit 0 (the prompt library rejected only from its exit hook, after the event loop
 * had drained; with stdout on the terminal the 130 never landed), so `scoped delete secret K && next` went on.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

/**
 * The binary on a terminal, typing each step's keys once its text is on the screen ("SIG:SIGINT" sends the signal
 * instead). With `stdoutFile`, its stdout goes to that file and only stdin and stderr are the terminal.
 */
function onTty(args: string[], steps: [string, string][], stdoutFile?: string): { code: number | null; out: string; stuck?: string } {
  const helper = join(ROOT, 'test', 'helpers', 'on-tty.py');
  const r = spawnSync('python3', [helper, JSON.stringify([process.execPath, BIN, ...args]), JSON.stringify(steps), ...(stdoutFile === undefined ? [] : [stdoutFile])], {
    cwd: sb.home,
    env: sb.env,
    encoding: 'utf8',
    timeout: 120_000,
  });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { code: number | null; out: string; stuck?: string };
}

/** The screen as text: colours, cursor moves and carriage returns taken out. */
const plain = (out: string): string => out.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

/** What the terminal shows after the prompt's own text (`marker` ends it): the command's every other word. */
function afterPrompt(out: string, marker: string): string {
  const text = plain(out);
  const at = text.lastIndexOf(marker);
  expect(at).toBeGreaterThanOrEqual(0);
  return text.slice(at + marker.length).trim();
}

const EOF = '\u0004';
const MASKED = '[input is masked]';

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

  describe('Ctrl-D (end of input) at a prompt cancels: exit 130, one line, nothing changed', () => {
    it('create secret: the hidden value prompt; nothing is stored', { timeout: 150_000 }, () => {
      const r = onTty(['create', 'secret', 'TTY_KEY'], [['Value for TTY_KEY', EOF]]);
      expect([r.stuck, r.code]).toEqual([undefined, 130]);
      expect(afterPrompt(r.out, MASKED)).toBe('scoped: cancelled');
      expect(reveal('TTY_KEY')).toMatchObject({ code: 3, stdout: '' });
    });

    it('create secret with stdout not the terminal: stdout stays empty', { timeout: 150_000 }, () => {
      const file = join(sb.home, 'stdout.txt');
      const r = onTty(['create', 'secret', 'TTY_KEY'], [['Value for TTY_KEY', EOF]], file);
      expect([r.stuck, r.code]).toEqual([undefined, 130]);
      expect(afterPrompt(r.out, MASKED)).toBe('scoped: cancelled');
      expect(readFileSync(file, 'utf8')).toBe('');
      expect(reveal('TTY_KEY').code).toBe(3);
    });

    it.each([['update'], ['set']])('%s secret: the hidden value prompt; the value is unchanged', { timeout: 150_000 }, (verb) => {
      expect(sb.run(['create', 'secret', 'TTY_KEY'], { stdin: `${CANARY}-1` }).code).toBe(0);
      const r = onTty([verb, 'secret', 'TTY_KEY'], [['Value for TTY_KEY', EOF]]);
      expect([r.stuck, r.code]).toEqual([undefined, 130]);
      expect(afterPrompt(r.out, MASKED)).toBe('scoped: cancelled');
      expect(sb.run(['history', 'secret', 'TTY_KEY', '-o', 'json']).stdout.match(/"versionId"/g)).toHaveLength(1);
      expect(reveal('TTY_KEY')).toMatchObject({ code: 0, stdout: `${CANARY}-1` });
    });

    it('delete secret: the confirmation; nothing is deleted, and `&&` does not go on', { timeout: 150_000 }, () => {
      expect(sb.run(['create', 'secret', 'TTY_KEY'], { stdin: `${CANARY}-1` }).code).toBe(0);
      const r = onTty(['delete', 'secret', 'TTY_KEY'], [['(y/N)', EOF]]);
      expect([r.stuck, r.code]).toEqual([undefined, 130]);
      expect(afterPrompt(r.out, '(y/N)')).toBe('scoped: cancelled');
      expect(reveal('TTY_KEY')).toMatchObject({ code: 0, stdout: `${CANARY}-1` });
    });

    it('rollback secret --previous: the confirmation; AWSCURRENT stays where it was', { timeout: 150_000 }, () => {
      expect(sb.run(['create', 'secret', 'TTY_KEY'], { stdin: `${CANARY}-1` }).code).toBe(0);
      expect(sb.run(['update', 'secret', 'TTY_KEY'], { stdin: `${CANARY}-2` }).code).toBe(0);
      const r = onTty(['rollback', 'secret', 'TTY_KEY', '--previous'], [['(y/N)', EOF]]);
      expect([r.stuck, r.code]).toEqual([undefined, 130]);
      expect(afterPrompt(r.out, '(y/N)')).toBe('scoped: cancelled');
      expect(reveal('TTY_KEY')).toMatchObject({ code: 0, stdout: `${CANARY}-2` });
    });
  });

  describe('Ctrl-C and signals at a prompt', () => {
    it('Ctrl-C (a key while the prompt holds the terminal) at a confirmation: exit 130, nothing deleted', { timeout: 150_000 }, () => {
      expect(sb.run(['create', 'secret', 'TTY_KEY'], { stdin: `${CANARY}-1` }).code).toBe(0);
      const r = onTty(['delete', 'secret', 'TTY_KEY'], [['(y/N)', '\u0003']]);
      expect([r.stuck, r.code]).toEqual([undefined, 130]);
      expect(afterPrompt(r.out, '(y/N)')).toBe('scoped: cancelled');
      expect(reveal('TTY_KEY').code).toBe(0);
    });

    it.each([
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ])('%s sent while the value prompt waits: exit %i with one line saying so, nothing stored', { timeout: 150_000 }, (signal, code) => {
      const r = onTty(['create', 'secret', 'TTY_KEY'], [['Value for TTY_KEY', `SIG:${signal}`]]);
      expect([r.stuck, r.code]).toEqual([undefined, code]);
      expect(afterPrompt(r.out, MASKED)).toBe(`scoped: interrupted (${signal}) while waiting for an answer at the prompt`);
      expect(reveal('TTY_KEY').code).toBe(3);
    });
  });
});

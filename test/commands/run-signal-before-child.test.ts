/**
 * A signal that reaches `scoped run` after its relay is listening but before the child exists (for real: while
 * `--watch` re-checks the deployment before the first start) ends scoped as that signal would have ended it
 * without the relay: 128 + N (130 SIGINT, 143 SIGTERM), one line on stderr, nothing on stdout, no child started,
 * secret files already written removed, and it wins over a failure on the way (a --file that cannot be written,
 * a command that is not found). Before, the signal was lost: the failure's own code (2, 127), or the child ran.
 *
 * The signal comes from the injected IO at a fixed point: the relay adds its SIGHUP listener last (no other
 * listener of `run` takes SIGHUP), so the source sends the signal right then ('install'), or on the next tick
 * after it ('next tick'): the path without --watch goes from the relay to the spawn without yielding, and Node
 * reports a spawn that failed (ENOENT) on a later tick, so that signal falls between the two.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/main.js';
import { SignalRelay } from '../../src/run/child.js';
import { sandbox, testIO, type Sandbox } from '../helpers/io.js';
import { node, seed } from '../helpers/seed.js';

/** Sends `sig` once, when the relay has installed its listeners ('install') or on the tick after that. */
class SignalAtRelay extends EventEmitter {
  sent = false;
  constructor(
    private readonly sig: NodeJS.Signals,
    private readonly when: 'install' | 'next tick',
  ) {
    super();
  }
  override on(event: string | symbol, listener: (...args: unknown[]) => void): this {
    super.on(event, listener);
    if (event === 'SIGHUP' && !this.sent) {
      this.sent = true;
      const send = (): void => void this.emit(this.sig, this.sig);
      if (this.when === 'install') send();
      else process.nextTick(send);
    }
    return this;
  }
}

const STOPPED = (sig: string, cmd: string): string => `scoped: interrupted (${sig}) while starting ${JSON.stringify(cmd)}; the command was not run\n`;

let sb: Sandbox;
let tmp: string;
const savedTmp = process.env.TMPDIR;
beforeEach(async () => {
  sb = sandbox();
  await seed(sb, { DB_PASS: 'db-s3cret value' });
  tmp = join(sb.dir, 'tmp');
  mkdirSync(tmp);
  // Where --file writes its private directory (os.tmpdir() reads TMPDIR at each call).
  process.env.TMPDIR = tmp;
});
afterEach(() => {
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  sb.cleanup();
});

async function run(argv: string[], signals: SignalAtRelay, tty = false): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = Object.assign(testIO({ cwd: sb.dir, tty, env: { ...sb.env, PATH: process.env.PATH } }), { signals });
  const code = await main(argv, io);
  expect(signals.sent, 'the relay was installed and the signal sent').toBe(true);
  expect(
    ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => signals.listenerCount(s)),
    'no listener left behind',
  ).toEqual([0, 0, 0]);
  return { code, stdout: io.stdout.text, stderr: io.stderr.text };
}

describe('run: a signal before the child started', () => {
  it('wins over a --file that cannot be written: 143, not 2 (with and without --watch)', async () => {
    // TMPDIR a plain file: the private directory cannot be made there.
    const notADir = join(sb.dir, 'not-a-dir');
    writeFileSync(notADir, '');
    process.env.TMPDIR = notADir;
    const marker = join(sb.dir, 'ran');
    const touch = node(`require('fs').writeFileSync(${JSON.stringify(marker)}, '')`);
    for (const watch of [[], ['--watch', '--interval', '1h']]) {
      const r = await run(['run', ...watch, '--file', 'DB_PASS', ...touch], new SignalAtRelay('SIGTERM', 'install'));
      expect(r, watch.join(' ')).toEqual({ code: 143, stdout: '', stderr: STOPPED('SIGTERM', process.execPath) });
    }
    expect(existsSync(marker)).toBe(false);
    // The control: with no signal, the same line is the --file failure (exit 2).
    const plain = await sb.run(['run', '--file', 'DB_PASS', ...touch], { env: { PATH: process.env.PATH } });
    expect([plain.code, plain.stdout]).toEqual([2, '']);
    expect(plain.stderr).toMatch(/^scoped: cannot write --file secrets under .*not-a-dir: .*; set TMPDIR to a writable directory\n$/);
  });

  it('wins over a command not found: 143, not 127, and the secret files written for it are removed', async () => {
    const missing = join(sb.dir, 'no-such-command');
    for (const watch of [[], ['--watch', '--interval', '1h']]) {
      const when = watch.length === 0 ? 'next tick' : 'install';
      const r = await run(['run', ...watch, '--file', 'DB_PASS', '--', missing], new SignalAtRelay('SIGTERM', when));
      expect(r, watch.join(' ')).toEqual({ code: 143, stdout: '', stderr: STOPPED('SIGTERM', missing) });
      expect(readdirSync(tmp), 'no --file directory left').toEqual([]);
    }
    // Without the --watch, the files were written before the spawn failed (on the tick after it, the signal came).
    const plain = await sb.run(['run', '--file', 'DB_PASS', '--', missing], { env: { PATH: process.env.PATH } });
    expect([plain.code, plain.stdout, plain.stderr]).toEqual([127, '', `scoped: cannot run ${JSON.stringify(missing)}: command not found\n`]);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('starts no child: --watch stopped by SIGTERM or SIGHUP before its first start', async () => {
    const marker = join(sb.dir, 'ran');
    const touch = node(`require('fs').writeFileSync(${JSON.stringify(marker)}, '')`);
    for (const [sig, code] of [
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ] as const) {
      const r = await run(['run', '--watch', '--interval', '1h', ...touch], new SignalAtRelay(sig, 'install'));
      expect(r, sig).toEqual({ code, stdout: '', stderr: STOPPED(sig, process.execPath) });
      expect(existsSync(marker), sig).toBe(false);
    }
  });

  it('at a terminal, a Ctrl-C before the child existed is not swallowed (no child got it): 130, nothing runs', async () => {
    const marker = join(sb.dir, 'ran');
    const touch = node(`require('fs').writeFileSync(${JSON.stringify(marker)}, '')`);
    for (const watch of [[], ['--watch', '--interval', '1h']]) {
      const r = await run(['run', ...watch, ...touch], new SignalAtRelay('SIGINT', 'install'), true);
      expect(r, watch.join(' ')).toEqual({ code: 130, stdout: '', stderr: STOPPED('SIGINT', process.execPath) });
      expect(existsSync(marker), watch.join(' ')).toBe(false);
    }
    // The control: with no signal the same line runs the child.
    const ran = await sb.run(['run', ...touch], { tty: true, env: { PATH: process.env.PATH } });
    expect(ran.code, ran.stderr).toBe(0);
    expect(existsSync(marker)).toBe(true);
  });
});

describe('SignalRelay: a signal before any child', () => {
  const fakeChild = (): ChildProcess & { got: string[] } => {
    const got: string[] = [];
    return { exitCode: null, signalCode: null, got, kill: (sig: NodeJS.Signals) => got.push(sig) > 0 } as unknown as ChildProcess & { got: string[] };
  };

  it('keeps the first one, SIGINT at a terminal too, until a child is attached (which is sent it)', () => {
    const source = new EventEmitter();
    const relay = new SignalRelay(source, false);
    expect(relay.caughtBeforeChild()).toBeUndefined();
    source.emit('SIGINT');
    source.emit('SIGTERM');
    expect(relay.caughtBeforeChild()).toBe('SIGINT');
    const child = fakeChild();
    relay.attach(child);
    expect(child.got).toEqual(['SIGINT']);
    expect(relay.caughtBeforeChild()).toBeUndefined();
    // Once the child exists, SIGINT at a terminal is its own again (not passed on), SIGTERM is.
    source.emit('SIGINT');
    source.emit('SIGTERM');
    expect(child.got).toEqual(['SIGINT', 'SIGTERM']);
    expect(relay.caughtBeforeChild()).toBeUndefined();
    relay.dispose();
  });
});

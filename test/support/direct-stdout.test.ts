import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { directStdout, mayBeTerminal } from '../../src/support/direct-stdout.js';
import { BIN } from '../helpers/bin.js';

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: fake`), { code });

let dir: string;
let fd: number;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-direct-'));
  fd = openSync(join(dir, 'out'), 'w');
});
afterEach(() => {
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});
const written = () => readFileSync(join(dir, 'out'), 'utf8');
const noFallback = () => {
  throw new Error('handed over');
};

describe('directStdout', () => {
  it('writes a file or pipe with write(2), whole, however the kernel splits it', () => {
    // A writer that takes 3 bytes at a time, as a pipe may take part of a large write.
    const out = directStdout(fd, noFallback, (f, data) => writeSync(f, data.subarray(0, 3)));
    expect(out).toBeDefined();
    expect(out?.write('--project\n')).toBe(true);
    expect(out?.write(Buffer.from('--profile ✓\n'))).toBe(true);
    expect(written()).toBe('--project\n--profile ✓\n');
    expect(out?.failure()).toBeUndefined();
  });

  it('writes /dev/null too; leaves another character device (a terminal, /dev/full) to Node: undefined', () => {
    const devNull = openSync('/dev/null', 'w');
    const devFull = openSync('/dev/full', 'w');
    try {
      expect(directStdout(devNull, noFallback)?.write('dropped\n')).toBe(true);
      expect(directStdout(devFull, noFallback)).toBeUndefined();
      expect([mayBeTerminal(devNull), mayBeTerminal(devFull), mayBeTerminal(fd), mayBeTerminal(987654)]).toEqual([false, true, false, true]);
    } finally {
      closeSync(devNull);
      closeSync(devFull);
    }
    expect(directStdout(987654, noFallback)).toBeUndefined();
  });

  it('a reader that went away (EPIPE) ends the output quietly: no failure, later writes dropped', () => {
    let calls = 0;
    const out = directStdout(fd, noFallback, () => {
      calls++;
      throw errno('EPIPE');
    });
    expect(out?.write('a\n')).toBe(false);
    expect(out?.write('b\n')).toBe(false);
    expect(calls).toBe(1);
    expect(out?.failure()).toBeUndefined();
  });

  it('another error (a full disk) is kept for the exit code, and nothing more is written', () => {
    let calls = 0;
    const out = directStdout(fd, noFallback, () => {
      calls++;
      throw errno('ENOSPC');
    });
    out?.write('a\n');
    out?.write('b\n');
    expect(calls).toBe(1);
    expect(out?.failure()?.code).toBe('ENOSPC');
  });

  it('a full non-blocking pipe (EAGAIN) hands the rest, and every later write, to Node stream', () => {
    const stream: (string | Uint8Array)[] = [];
    let fallbacks = 0;
    let first = true;
    const out = directStdout(
      fd,
      () => {
        fallbacks++;
        return { write: (c: string | Uint8Array) => stream.push(c) };
      },
      (f, data) => {
        if (first) {
          first = false;
          return writeSync(f, data.subarray(0, 2));
        }
        throw errno('EAGAIN');
      },
    );
    out?.write('abcdef');
    out?.write('ghi');
    expect(written()).toBe('ab');
    expect(stream.map((c) => Buffer.from(c).toString())).toEqual(['cdef', 'ghi']);
    expect(fallbacks).toBe(1);
  });
});

describe('the fast file through a pipe', () => {
  it('a reader that went away (| true exits before scoped writes: EPIPE) costs no error: exit 0, stderr empty', () => {
    for (const line of ['completion zsh', '--help', '__complete bash -- get secret --pro', '--version', '-V']) {
      const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" ${line} | true; echo "rc=$?"`], { encoding: 'utf8', timeout: 20_000 });
      expect(r.stdout).toBe('rc=0\n');
      expect(r.stderr).toBe('');
    }
  });

  it.each([['completion', 'bash'], ['--version'], ['-V'], ['get', 'secret', '--help']])('a full disk is one line and exit 6, as for every command: %j', (...line) => {
    // /dev/full is a character device, so Node's stream writes it: the same settling, the same words.
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, ...line], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8', timeout: 20_000 });
      expect(r.status).toBe(6);
      expect(r.stderr).toMatch(/^scoped: cannot write to stdout: .*; the output is incomplete\n$/);
    } finally {
      closeSync(full);
    }
  });
});

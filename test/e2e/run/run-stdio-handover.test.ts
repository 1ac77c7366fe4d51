import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, binSandbox } from '../../helpers/bin.js';

/**
 * How the built `run` hands its own stdin, stdout and stderr to the child: file descriptors passed as
 * they are, not Node's streams for them (which scoped never creates for a child that prints nothing).
 * Linux: the child looks at its descriptors through /proc.
 */
const linux = existsSync('/proc/self/fdinfo/0');

let sb: ReturnType<typeof binSandbox>;
beforeAll(() => {
  sb = binSandbox();
  const r = sb.run(['create', 'secret', 'TOKEN', '--from-file', '-'], { stdin: 'handover-secret-value' });
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => sb.cleanup());

/**
 * The built binary with these stdio settings: stdin written from `input`, stderr read. A child shell tells
 * what its own fd 1 is by `p=$(readlink /proc/$$/fd/1)` (a redirection would change the fd it looks at).
 */
function run(args: string[], stdout: 'pipe' | number, input = '') {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: sb.home, env: sb.env, input, stdio: ['pipe', stdout, 'pipe'], encoding: 'utf8', timeout: 20_000 });
}

describe.skipIf(!linux)('run hands its stdio to the child', () => {
  it("stdin is the child's own: what is written to scoped's stdin is read by the child", () => {
    const r = run(['run', '--', 'sh', '-c', 'p=$(readlink /proc/$$/fd/0); echo "$p" >&2; cat'], 'pipe', 'lines on stdin\n');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('lines on stdin\n');
    // spawnSync's 'pipe' is a socket pair: the child has scoped's, not one scoped copies into.
    expect(r.stderr).toMatch(/^socket:/m);
  });

  it("stdout on /dev/null is the child's own stdout, unmasked (no one reads it); stderr, a pipe, is still masked", () => {
    const devNull = openSync('/dev/null', 'w');
    try {
      const r = run(['--debug', 'run', '--', 'sh', '-c', 'p=$(readlink /proc/$$/fd/1); echo "$p" >&2; echo "$TOKEN" >&2; echo "$TOKEN"'], devNull);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toContain('masking stdout off, stderr on');
      expect(r.stderr).toMatch(/^\/dev\/null$/m);
      expect(r.stderr).toMatch(/^\*\*\*$/m);
      expect(r.stderr).not.toContain('handover-secret-value');
    } finally {
      closeSync(devNull);
    }
  });

  it('stdout a pipe: masked, through scoped (the child writes to a socket pair of its own)', () => {
    const r = run(['run', '--', 'sh', '-c', 'p=$(readlink /proc/$$/fd/1); echo "$p"; echo "$TOKEN"'], 'pipe');
    expect(r.status, r.stderr).toBe(0);
    const [target, value] = r.stdout.split('\n');
    expect(target).toMatch(/^socket:/);
    expect(value).toBe('***');
  });

  it('--mask on /dev/null changes nothing anyone can see: the child still runs and its exit code passes through', () => {
    const devNull = openSync('/dev/null', 'w');
    try {
      const r = run(['run', '--mask', '--', 'sh', '-c', 'echo "$TOKEN"; exit 7'], devNull);
      expect(r.status, r.stderr).toBe(7);
      expect(r.stderr).toBe('');
    } finally {
      closeSync(devNull);
    }
  });

  // util-linux `script` gives the line a terminal for stdin, stdout and stderr (its output on script's stdout).
  it.skipIf(spawnSync('script', ['--version']).status !== 0)('at a terminal: the child has the terminal itself on 0, 1 and 2, unmasked', () => {
    const child = `sh -c 'test -t 0 && echo tty0; test -t 1 && echo tty1; test -t 2 && echo tty2 >&2; echo "$TOKEN"'`;
    const line = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} run -- ${child}`;
    const r = spawnSync('script', ['-qc', line, '/dev/null'], { cwd: sb.home, env: sb.env, input: '', encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split(/\r?\n/).filter(Boolean)).toEqual(['tty0', 'tty1', 'tty2', 'handover-secret-value']);
  });
});

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, binSandbox } from '../helpers/bin.js';

let sb: ReturnType<typeof binSandbox>;
beforeEach(() => {
  sb = binSandbox();
});
afterEach(() => sb.cleanup());

const LIMIT_LINE = /^scoped: the value from (stdin|--from-file \S+) is longer than the limit of 65,536 bytes; [^\n]+\n$/;

/** The built binary, left running; resolves with how it ended once it has. */
function start(
  args: string[],
  stdio: ('pipe' | 'ignore')[] = ['ignore', 'pipe', 'pipe'],
): { child: ChildProcess; stderr: () => string; done: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: sb.home, env: sb.env, stdio });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, stderr: () => err, done };
}

/** Resolves once stderr holds `text` (the --debug line written just before the read starts). */
function waitFor(child: ChildProcess, text: string): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    child.stderr?.on('data', (c: Buffer) => {
      seen += c.toString();
      if (seen.includes(text)) resolve();
    });
  });
}

describe('reading a value is bounded and interruptible', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    it(`--from-file on a FIFO nobody writes to waits, and ${signal} ends it with ${code}`, async () => {
      const fifo = join(sb.home, 'fifo');
      spawnSync('mkfifo', [fifo]);
      const run = start(['--debug', 'create', 'secret', 'WAIT', '--from-file', fifo]);
      await waitFor(run.child, 'reading the value from');
      run.child.kill(signal);
      const end = await run.done;
      expect(end).toEqual({ code, signal: null });
      expect(run.stderr()).toContain(`scoped: interrupted (${signal}) while reading the value from --from-file ${fifo}; nothing was stored\n`);
      expect(sb.run(['get', 'secret', 'WAIT']).code).toBe(3);
    });
  }

  it('a stdin pipe that stays open and silent (`sleep 1000 | scoped create ...`) is interruptible too', async () => {
    const run = start(['--debug', 'create', 'secret', 'SILENT'], ['pipe', 'pipe', 'pipe']);
    await waitFor(run.child, 'reading the value from stdin');
    run.child.kill('SIGTERM');
    expect(await run.done).toEqual({ code: 143, signal: null });
    expect(run.stderr()).toContain('scoped: interrupted (SIGTERM) while reading the value from stdin; nothing was stored\n');
    run.child.stdin?.destroy();
  });

  // util-linux `script` gives the command a terminal that stays silent while `sleep` holds its input open.
  it.skipIf(spawnSync('script', ['--version']).status !== 0)('--from-file /dev/tty (a silent terminal) is interruptible, and the process exits', async () => {
    const key = `TTY_${process.pid}`;
    const inner = `"${process.execPath}" "${BIN}" --debug create secret ${key} --from-file /dev/tty`;
    const outer = spawn('sh', ['-c', `sleep 60 | script -qc '${inner}' /dev/null`], { env: sb.env, cwd: sb.home, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    // script puts the terminal's output (our stderr included) on its stdout.
    await new Promise<void>((resolve) => {
      let seen = '';
      outer.stdout?.on('data', (c: Buffer) => {
        seen += c.toString();
        if (seen.includes('reading the value from --from-file /dev/tty')) resolve();
      });
    });
    // The node process itself (not sh or script), told by its executable: Node 24 renames its main thread, so `comm` is no guide.
    const node = realpathSync(process.execPath);
    const exe = (p: string) => {
      try {
        return readlinkSync(`/proc/${p}/exe`);
      } catch {
        return undefined;
      }
    };
    const pid = Number(
      spawnSync('pgrep', ['-f', `create secret ${key} --from-file`], { encoding: 'utf8' })
        .stdout.split('\n')
        .find((p) => p && Number(p) !== outer.pid && exe(p) === node),
    );
    expect(pid).toBeGreaterThan(0);
    const ended = new Promise<string>((resolve) => {
      let seen = '';
      outer.stdout?.on('data', (c: Buffer) => {
        seen += c.toString();
        if (seen.includes('nothing was stored')) resolve(seen);
      });
    });
    process.kill(pid, 'SIGTERM');
    expect(await ended).toContain('scoped: interrupted (SIGTERM) while reading the value from --from-file /dev/tty; nothing was stored');
    // Gone, not left hanging on a read: signal 0 finds no such process once it has exited.
    await new Promise<void>((resolve) => {
      const poll = (): void => {
        try {
          process.kill(pid, 0);
          setTimeout(poll, 20);
        } catch {
          resolve();
        }
      };
      poll();
    });
    process.kill(-(outer.pid as number), 'SIGKILL');
  });

  it('a FIFO whose writer comes later is read', async () => {
    const fifo = join(sb.home, 'fifo');
    spawnSync('mkfifo', [fifo]);
    const run = start(['--debug', 'create', 'secret', 'LATE', '--from-file', fifo]);
    await waitFor(run.child, 'reading the value from');
    // Opening for writing blocks until the reader is there, which it now is.
    const fd = openSync(fifo, 'w');
    writeFileSync(fd, 'late-value\n');
    closeSync(fd);
    expect((await run.done).code).toBe(0);
    expect(sb.run(['get', 'secret', 'LATE', '--reveal']).stdout).toBe('late-value\n');
  });

  it('--from-file /dev/zero stops just past the limit: exit 2, one line naming the limit and the file', () => {
    const r = sb.run(['create', 'secret', 'ZERO', '--from-file', '/dev/zero']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(LIMIT_LINE);
    expect(r.stderr).toContain('--from-file /dev/zero');
  });

  it('an endless stdin pipe stops just past the limit (piped, and --from-file -)', async () => {
    for (const args of [
      ['create', 'secret', 'ENDLESS'],
      ['create', 'secret', 'ENDLESS', '--from-file', '-'],
    ]) {
      const run = start(args, ['pipe', 'pipe', 'pipe']);
      // `yes`, in-process: writes for as long as anyone reads.
      const chunk = Buffer.alloc(16_384, 'y');
      const feed = (): void => {
        while (run.child.stdin?.writable && run.child.stdin.write(chunk));
        run.child.stdin?.once('drain', feed);
      };
      run.child.stdin?.on('error', () => undefined);
      feed();
      expect(await run.done).toEqual({ code: 2, signal: null });
      expect(run.stderr()).toMatch(LIMIT_LINE);
    }
  });

  it('render: a template from an endless stdin stops at 4 MiB; one on a FIFO is interruptible', async () => {
    const r = sb.run(['render', '/dev/zero']);
    expect(r).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'scoped: the template from /dev/zero is longer than the limit of 4,194,304 bytes; a template is read whole; split it, or render smaller files\n',
    });
    const fifo = join(sb.home, 'tmpl-fifo');
    spawnSync('mkfifo', [fifo]);
    const run = start(['--debug', 'render', fifo]);
    await waitFor(run.child, 'reading the template from');
    run.child.kill('SIGINT');
    expect(await run.done).toEqual({ code: 130, signal: null });
    expect(run.stderr()).toContain(`scoped: interrupted (SIGINT) while reading the template from ${fifo}; nothing was written\n`);
  });

  it('a regular file over the limit is refused unread; at the limit it is stored', () => {
    const big = join(sb.home, 'big');
    writeFileSync(big, Buffer.alloc(70_000, 'x'));
    expect(sb.run(['create', 'secret', 'BIG', '--from-file', big]).stderr).toMatch(LIMIT_LINE);
    writeFileSync(big, Buffer.alloc(65_536, 'x'));
    expect(sb.run(['create', 'secret', 'BIG', '--from-file', big]).code).toBe(0);
    mkdirSync(join(sb.home, 'dir'));
    expect(sb.run(['create', 'secret', 'DIR', '--from-file', join(sb.home, 'dir')])).toMatchObject({
      code: 2,
      stderr: `scoped: cannot read --from-file ${join(sb.home, 'dir')}: is a directory\n`,
    });
  });
});

describe('values byte for byte', () => {
  it('a leading UTF-8 BOM is kept, piped and --from-file', () => {
    const value = '\ufeffbom-value';
    expect(sb.run(['create', 'secret', 'PIPED'], { stdin: `${value}\n` }).code).toBe(0);
    const file = join(sb.home, 'bom.txt');
    writeFileSync(file, value);
    expect(sb.run(['create', 'secret', 'FILE', '--from-file', file]).code).toBe(0);
    for (const key of ['PIPED', 'FILE']) {
      const r = spawnSync(process.execPath, [BIN, 'get', 'secret', key, '--reveal'], { env: sb.env, cwd: sb.home });
      expect(r.stdout, key).toEqual(Buffer.from(value));
    }
  });
});

describe('stdout that cannot take the output', () => {
  beforeEach(() => {
    expect(sb.run(['create', 'secret', 'OUT', '--from-file', '-'], { stdin: 'out-value' }).code).toBe(0);
  });

  function withStdout(args: string[], stdout: number | 'ignore'): { code: number | null; stderr: string } {
    const r = spawnSync(process.execPath, [BIN, ...args], { env: sb.env, cwd: sb.home, stdio: ['ignore', stdout, 'pipe'], encoding: 'utf8', timeout: 20_000 });
    return { code: r.status, stderr: r.stderr };
  }

  it('a full disk: one line, exit 6 (export, get --reveal, a listing)', () => {
    const full = openSync('/dev/full', 'w');
    try {
      for (const args of [['export'], ['get', 'secret', 'OUT', '--reveal'], ['get', 'secret', '--all', '-o', 'json']]) {
        expect(withStdout(args, full), args.join(' ')).toEqual({ code: 6, stderr: 'scoped: cannot write to stdout: no space left on the device; the output is incomplete\n' });
      }
    } finally {
      closeSync(full);
    }
  });

  it('a closed stdout (Node puts a read-write /dev/null there): one line, exit 6, for whatever prints data', () => {
    writeFileSync(join(sb.home, 't.tmpl'), 'v: {{ secret "OUT" }}\n');
    const listings = [['resolve'], ['get', 'secret'], ['get', 'secret', '--all', '-o', 'json'], ['policy'], ['config', 'show'], ['diff', 'a/b', 'c/d', '--all']];
    for (const args of [['export'], ['get', 'secret', 'OUT', '--reveal'], ['render', 't.tmpl'], ...listings]) {
      const r = withStdout(args, 'ignore');
      expect(r.code, args.join(' ')).toBe(6);
      // Informational lines (policy's) may come first; the error is the last line.
      expect(
        r.stderr.split('\n').filter((l) => l.startsWith('scoped:')),
        args.join(' '),
      ).toEqual(['scoped: cannot write to stdout: it is closed; give the command somewhere to print (a file or a pipe)']);
    }
    // Commands that print no data (messages go to stderr) do not need a stdout.
    expect(withStdout(['create', 'secret', 'QUIET_ONE', 'quiet-value'], 'ignore').code).toBe(0);
    // github: no ::add-mask:: lines means no masks in the log, so no value is appended either.
    const githubEnv = join(sb.home, 'github-env');
    writeFileSync(githubEnv, '');
    const gh = spawnSync(process.execPath, [BIN, 'export', '--format', 'github'], {
      env: { ...sb.env, GITHUB_ENV: githubEnv },
      cwd: sb.home,
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
    });
    expect(gh).toMatchObject({ status: 6, stderr: 'scoped: cannot write to stdout: it is closed; give the command somewhere to print (a file or a pipe)\n' });
    expect(readFileSync(githubEnv, 'utf8')).toBe('');
    // The shell's own `>&-`, for real.
    const sh = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" get secret OUT --reveal >&-`], { env: sb.env, cwd: sb.home, encoding: 'utf8' });
    expect(sh).toMatchObject({ status: 6, stderr: 'scoped: cannot write to stdout: it is closed; give the command somewhere to print (a file or a pipe)\n' });
  });

  it("a stdout open only for reading: one line, exit 6; a /dev/null of the user's own is fine", () => {
    const ro = openSync('/dev/null', 'r');
    const wo = openSync('/dev/null', 'w');
    try {
      expect(withStdout(['get', 'secret', 'OUT', '--reveal'], ro)).toEqual({
        code: 6,
        stderr: 'scoped: cannot write to stdout: it is closed or not open for writing; the output is incomplete\n',
      });
      expect(withStdout(['get', 'secret', 'OUT', '--reveal'], wo)).toEqual({ code: 0, stderr: '' });
    } finally {
      closeSync(ro);
      closeSync(wo);
    }
  });

  it('a reader that goes away (| head) still ends quietly, exit 0', () => {
    for (let i = 0; i < 8; i++) expect(sb.run(['create', 'secret', `BIG_${i}`, '--from-file', '-'], { stdin: 'z'.repeat(60_000) }).code).toBe(0);
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" export | head -c 1 >/dev/null; echo "\${PIPESTATUS[0]}"`], { env: sb.env, cwd: sb.home, encoding: 'utf8' });
    expect(r).toMatchObject({ stdout: '0\n', stderr: '' });
  });
});

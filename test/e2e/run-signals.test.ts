import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, binSandbox } from '../helpers/bin.js';

/** End to end: the built `bin/scoped.cjs` as a real parent process, signalled from outside. */
let sb: ReturnType<typeof binSandbox>;
beforeEach(() => {
  sb = binSandbox();
  const r = sb.run(['create', 'secret', 'TOKEN', '--from-file', '-'], { stdin: 'e2e-s3cret-value' });
  expect(r.code, r.stderr).toBe(0);
});
afterEach(() => sb.cleanup());

interface Running {
  pid: number;
  stdout: () => string;
  /** Resolves once the child has printed `text`. */
  waitFor(text: string): Promise<void>;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

function scopedRun(args: string[], script: string): Running {
  const p = spawn(process.execPath, [BIN, 'run', ...args, '--', process.execPath, '-e', script], { cwd: sb.home, env: sb.env, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  p.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    waiters.forEach((w) => w());
  });
  p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return {
    pid: p.pid as number,
    stdout: () => stdout,
    waitFor: (text) =>
      new Promise((resolve) => {
        const check = () => stdout.includes(text) && resolve();
        waiters.push(check);
        check();
      }),
    done: new Promise((resolve) => p.on('close', (code, signal) => resolve({ code, signal, stderr }))),
  };
}

/** Traps the three signals, says which one came, and exits with its own code. */
const trapping = `
const codes = { SIGINT: 11, SIGTERM: 12, SIGHUP: 13 };
for (const [sig, code] of Object.entries(codes)) process.on(sig, () => { process.stdout.write('child got ' + sig + '\\n'); process.exit(code); });
process.stdout.write('ready\\n');
setInterval(() => {}, 1000);`;

describe('scoped run: signals (built binary)', () => {
  it.each([
    ['SIGINT', 11],
    ['SIGTERM', 12],
    ['SIGHUP', 13],
  ] as const)('forwards %s to the child and exits with its code', async (sig, code) => {
    const run = scopedRun([], trapping);
    await run.waitFor('ready');
    process.kill(run.pid, sig);
    const end = await run.done;
    expect(run.stdout()).toBe(`ready\nchild got ${sig}\n`);
    expect(end).toMatchObject({ code, signal: null });
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('removes --file files when %s ends the child (exit %i)', async (sig, code) => {
    const script = `process.stdout.write(process.env.TOKEN_FILE + '\\n'); setInterval(() => {}, 1000);`;
    const run = scopedRun(['--file', 'TOKEN=TOKEN_FILE'], script);
    await run.waitFor('\n');
    const path = run.stdout().trim();
    expect(existsSync(path)).toBe(true);
    process.kill(run.pid, sig);
    expect((await run.done).code).toBe(code);
    expect(existsSync(path)).toBe(false);
  });

  it('a masked child whose reader goes away ends by SIGPIPE, as it would unmasked (141)', () => {
    const script = `"${process.execPath}" "${BIN}" run -- yes e2e-s3cret-value | head -n 2; echo "rc=\${PIPESTATUS[0]}"`;
    const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { cwd: sb.home, env: sb.env, encoding: 'utf8', timeout: 20_000 });
    expect(r.stdout).toBe('***\n***\nrc=141\n');
    expect(r.stderr).toBe('');
  });

  it("keeps values off scoped's and the child's argv, and masks its output", async () => {
    const script = `
const fs = require('fs');
const argvs = ['/proc/self/cmdline', '/proc/' + process.ppid + '/cmdline'].map((p) => fs.readFileSync(p, 'utf8'));
const parentIsScoped = argvs[1].includes('scoped.cjs');
process.stdout.write(JSON.stringify({ parentIsScoped, leaked: argvs.some((a) => a.includes(process.env.TOKEN)) }) + ' ' + process.env.TOKEN);`;
    const run = scopedRun(['--debug'], script);
    const end = await run.done;
    expect(end.code).toBe(0);
    expect(run.stdout()).toBe('{"parentIsScoped":true,"leaked":false} ***');
    expect(end.stderr).not.toContain('e2e-s3cret-value');
  });
});

import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, binSandbox } from '../../helpers/bin.js';

/** `run --watch` end to end on the local store: the built binary, a real child, values changed by `scoped set secret`. */
let sb: ReturnType<typeof binSandbox>;
let out: string;
beforeEach(() => {
  sb = binSandbox();
  out = join(sb.home, 'child-events.txt');
  writeFileSync(out, '');
  const r = sb.run(['create', 'secret', 'TOKEN', '--from-file', '-'], { stdin: 'watch-value-one' });
  expect(r.code, r.stderr).toBe(0);
});
afterEach(() => sb.cleanup());

/** The child: appends `start <pid> <TOKEN>` to OUT, and a line per signal it gets; `ignoreTerm` keeps it alive through SIGTERM. */
const child = (ignoreTerm = false): string => `
const fs = require('fs');
const say = (l) => fs.appendFileSync(process.env.OUT, l + '\\n');
say('start ' + process.pid + ' ' + process.env.TOKEN);
process.on('SIGHUP', () => say('hup ' + process.pid));
process.on('SIGTERM', () => { say('term ' + process.pid); ${ignoreTerm ? '' : 'process.exit(0);'} });
setInterval(() => {}, 1000);`;

const events = (): string[] => readFileSync(out, 'utf8').split('\n').filter(Boolean);

/** Resolves once the child's events satisfy `done`; a hang guard (not a timed assertion) fails it after 20 s. */
async function until(done: (lines: string[]) => boolean, what: string): Promise<string[]> {
  for (let i = 0; i < 400; i++) {
    const lines = events();
    if (done(lines)) return lines;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`hang guard: never saw ${what}; events: ${JSON.stringify(events())}`);
}

function watch(flags: string[], script: string) {
  const p = spawn(process.execPath, [BIN, 'run', '--watch', '--interval', '150ms', '--jitter', '50ms', ...flags, '--', process.execPath, '-e', script], {
    cwd: sb.home,
    env: { ...sb.env, OUT: out },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) => p.on('close', (code) => resolve({ code, stderr, stdout })));
  return { pid: p.pid as number, done, stderr: () => stderr };
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const starts = (lines: string[]) => lines.filter((l) => l.startsWith('start '));
const pidOf = (line: string): number => Number(line.split(' ')[1]);

function setToken(value: string): void {
  const r = sb.run(['set', 'secret', 'TOKEN', '--from-file', '-'], { stdin: value });
  expect(r.code, r.stderr).toBe(0);
}

describe('scoped run --watch on the local store (built binary)', () => {
  it('restarts the child with the new value after set secret, the old child gone first; SIGTERM to scoped then ends the new one', async () => {
    const run = watch([], child());
    const [first] = starts(await until((l) => starts(l).length === 1, 'the first start'));
    expect(first).toMatch(/ watch-value-one$/);
    setToken('watch-value-two');
    const lines = await until((l) => starts(l).length === 2, 'a restart');
    const [, second] = starts(lines);
    expect(second).toMatch(/ watch-value-two$/);
    // SIGTERM reached the first child before the second started.
    expect(lines.indexOf(`term ${pidOf(first!)}`)).toBeGreaterThan(-1);
    expect(lines.indexOf(`term ${pidOf(first!)}`)).toBeLessThan(lines.indexOf(second!));
    expect(alive(pidOf(first!))).toBe(false);
    process.kill(run.pid, 'SIGTERM');
    const end = await run.done;
    expect(end.code).toBe(0); // the child's own exit code on SIGTERM
    expect(alive(pidOf(second!))).toBe(false);
    expect(end.stderr).toContain('the deployment changed: restarting the child');
    expect(end.stderr).not.toContain('watch-value');
    expect(end.stdout).toBe('');
  });

  it('--signal HUP sends SIGHUP on a change and keeps the same child', async () => {
    const run = watch(['--signal', 'HUP'], child());
    const [first] = starts(await until((l) => starts(l).length === 1, 'the first start'));
    setToken('watch-value-two');
    const lines = await until((l) => l.includes(`hup ${pidOf(first!)}`), 'a SIGHUP');
    expect(starts(lines)).toEqual([first]);
    process.kill(run.pid, 'SIGINT'); // not a terminal: passed on; the child does not trap SIGINT
    const end = await run.done;
    expect(end.code).toBe(130);
    expect(alive(pidOf(first!))).toBe(false);
    expect(end.stderr).toContain('sending SIGHUP to the child');
  });

  it('a child that ignores SIGTERM is killed after --grace, then started again with the new value', async () => {
    const run = watch(['--grace', '300ms'], child(true));
    const [first] = starts(await until((l) => starts(l).length === 1, 'the first start'));
    setToken('watch-value-two');
    const lines = await until((l) => starts(l).length === 2, 'a restart');
    expect(lines.slice(0, 3)).toEqual([first, `term ${pidOf(first!)}`, starts(lines)[1]]);
    expect(starts(lines)[1]).toMatch(/ watch-value-two$/);
    expect(alive(pidOf(first!))).toBe(false);
    process.kill(run.pid, 'SIGINT');
    const end = await run.done;
    expect(end.stderr).toContain('did not stop within 300ms of SIGTERM: sending SIGKILL');
  });

  it('a failed re-check (a corrupt shard) keeps the child and warns once per streak, then recovers', async () => {
    const run = watch(['--debug'], child());
    const [first] = starts(await until((l) => starts(l).length === 1, 'the first start'));
    const shard = findShard(join(sb.home, '.local/share/scoped/secrets'));
    const good = readFileSync(shard);
    writeFileSync(shard, 'not a shard');
    await untilStderr(run, /re-check \d+ of the deployment failed/);
    // Three more re-checks in the failing state (counted by their --debug lines): still one warning, the same child.
    const failedAt = run.stderr().length;
    await untilStderr(run, /(next re-check[^]*){3}/, failedAt);
    writeFileSync(shard, good);
    await untilStderr(run, /works again/);
    expect(run.stderr().match(/re-check \d+ of the deployment failed/g)).toHaveLength(1);
    expect(starts(events())).toEqual([first]);
    expect(alive(pidOf(first!))).toBe(true);
    process.kill(run.pid, 'SIGTERM');
    await run.done;
    expect(run.stderr()).not.toContain('watch-value');
  });

  it('the child exiting on its own ends scoped with its code', async () => {
    const run = watch([], `require('fs').appendFileSync(process.env.OUT, 'start ' + process.pid + '\\n'); setTimeout(() => process.exit(7), 300);`);
    expect((await run.done).code).toBe(7);
    expect(starts(events())).toHaveLength(1);
  });

  it('refuses the watch flags without --watch, and a bad duration or signal', () => {
    for (const [args, text] of [
      [['--interval', '5s'], '--interval is for --watch'],
      [['--watch', '--interval', 'soon'], '--interval "soon": not a duration'],
      [['--watch', '--interval', '10ms'], 'out of range'],
      [['--watch', '--signal', 'KILL'], '--signal "KILL"'],
      [['--watch', '--pinned', '-'], 'cannot re-read a pin from stdin'],
    ] as const) {
      const r = sb.run(['run', ...args, '--', 'true']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(text);
    }
  });
});

function findShard(dir: string): string {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      const found = findShard(path);
      if (found) return found;
    } else if (name.endsWith('.shard')) return path;
  }
  return '';
}

/** Resolves once stderr (from character `from` on) matches `re`; a hang guard fails it after 20 s. */
async function untilStderr(run: { stderr: () => string }, re: RegExp, from = 0): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (re.test(run.stderr().slice(from))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`hang guard: stderr never matched ${re}: ${run.stderr()}`);
}

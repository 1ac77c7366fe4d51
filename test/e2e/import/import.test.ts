/** The built binary on the local store: import, set, copy and run --expand as a user types them. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { binSandbox } from '../../helpers/bin.js';

const CANARY = 'e2e-canary-3141';
let sb: ReturnType<typeof binSandbox>;
beforeEach(() => {
  sb = binSandbox();
  sb.env.SCOPED_ORG = 'acme';
});
afterEach(() => sb.cleanup());

it('migrates a .env, re-runs as a no-op, promotes with copy, and never prints a value', () => {
  writeFileSync(join(sb.home, '.env'), `# billing\nexport DB_PASSWORD='${CANARY}'\nAPI_URL=https://api.example.com\n`);
  const imp = sb.run(['import', '.env', '-p', 'billing', '-d', 'staging']);
  expect(imp).toMatchObject({ code: 0, stdout: 'DB_PASSWORD\tcreate\nAPI_URL\tcreate\n' });
  expect(sb.run(['import', '.env', '-p', 'billing', '-d', 'staging']).stdout).toBe('DB_PASSWORD\tunchanged\nAPI_URL\tunchanged\n');
  const copy = sb.run(['copy', 'secret', '--all', '-p', 'billing', '-d', 'staging', '--to', 'billing/production', '--dry-run']);
  expect(copy).toMatchObject({ code: 0, stdout: 'API_URL\tcreate\nDB_PASSWORD\tcreate\n' });
  expect(sb.run(['copy', 'secret', '--all', '-p', 'billing', '-d', 'staging', '--to', 'billing/production']).code).toBe(0);
  expect(sb.run(['resolve', 'DB_PASSWORD', '-p', 'billing', '-d', 'production', '--reveal']).stdout).toBe(CANARY);
  for (const r of [imp, copy]) expect(`${r.stdout}${r.stderr}`).not.toContain(CANARY);
});

it('set secret: Created / Unchanged / Updated, exit 4 for a name scheduled for deletion', () => {
  expect(sb.run(['set', 'secret', 'TOKEN'], { stdin: `${CANARY}\n` }).stderr).toMatch(/Created TOKEN at org acme/);
  expect(sb.run(['set', 'secret', 'TOKEN'], { stdin: `${CANARY}\n` }).stderr).toMatch(/Unchanged TOKEN at org acme/);
  expect(sb.run(['set', 'secret', 'TOKEN'], { stdin: 'other\n' }).stderr).toMatch(/Updated TOKEN at org acme/);
  sb.run(['delete', 'secret', 'TOKEN', '--yes']);
  const r = sb.run(['set', 'secret', 'TOKEN'], { stdin: 'x\n' });
  expect([r.code, r.stdout]).toEqual([4, '']);
  expect(r.stderr).toMatch(/undo that with: scoped restore secret TOKEN/);
});

it('a source that never ends (/dev/zero) stops with exit 2 and writes nothing', () => {
  const r = sb.run(['import', '/dev/zero', '--format', 'dotenv']);
  expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'scoped: the import source from /dev/zero is longer than the limit of 33,554,432 bytes; split it into several files\n' });
  expect(sb.run(['get', 'secret', '-o', 'json']).stdout.trim()).toBe('[]');
});

it('run --expand masks a field a child prints after parsing the JSON', () => {
  sb.run(['create', 'secret', 'RDS'], { stdin: JSON.stringify({ username: 'admin', password: CANARY }) });
  const r = sb.run(['run', '--', process.execPath, '-e', 'const r = JSON.parse(process.env.RDS); console.log(r.password)']);
  expect(r).toMatchObject({ code: 0, stdout: '***\n' });
  const e = sb.run(['run', '--expand', 'RDS=DB', '--', process.execPath, '-e', 'console.log(process.env.DB_USERNAME.length, process.env.DB_PASSWORD)']);
  expect(e).toMatchObject({ code: 0, stdout: '5 ***\n' });
});

it('--help lists the new commands', () => {
  const help = sb.run(['--help']).stdout;
  for (const c of ['set', 'import', 'copy']) expect(help).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
  expect(sb.run(['import', '--help']).stdout).toMatch(/--on-conflict <what>/);
});

it('an import reading a stdin that never ends is interrupted by Ctrl-C (SIGINT) and writes nothing', async () => {
  const { spawn } = await import('node:child_process');
  const { BIN } = await import('../../helpers/bin.js');
  const child = spawn(process.execPath, [BIN, 'import', '-', '--format', 'dotenv'], { cwd: sb.home, env: sb.env, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin.write('A=1\n');
  // Some input has arrived and more may come: the read is in progress when the signal lands.
  await new Promise((r) => setTimeout(r, 500));
  const ended = new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('exit', (code, signal) => r([code, signal])));
  child.kill('SIGINT');
  const [code, signal] = await ended;
  expect(code === 130 || signal === 'SIGINT').toBe(true);
  expect(sb.run(['get', 'secret', '-o', 'json']).stdout.trim()).toBe('[]');
});

it('an import from a FIFO nobody writes to ends on SIGTERM (143) and writes nothing', async () => {
  const { spawn, spawnSync } = await import('node:child_process');
  const { BIN } = await import('../../helpers/bin.js');
  const fifo = join(sb.home, 'keys.fifo');
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  const child = spawn(process.execPath, [BIN, '--debug', 'import', fifo, '--format', 'dotenv'], { cwd: sb.home, env: sb.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  // Waiting for a writer: the debug line says the read has begun.
  await new Promise<void>((resolve) => child.stderr.on('data', (d: Buffer) => ((err += d.toString()), err.includes('reading the import source') && resolve())));
  const ended = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  child.kill('SIGTERM');
  expect(await ended).toBe(143);
  expect(err).toContain(`scoped: interrupted (SIGTERM) while reading the import source from ${fifo}; nothing was written`);
  expect(sb.run(['get', 'secret', '-o', 'json']).stdout.trim()).toBe('[]');
}, 20_000);

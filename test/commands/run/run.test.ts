import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../../helpers/io.js';
import { node, seed } from '../../helpers/seed.js';

let sb: Sandbox;
beforeEach(async () => {
  sb = sandbox();
  await seed(sb, { DB_PASS: 'org-db-s3cret', API_KEY: 'org-api-s3cret' });
  await seed(sb, { DB_PASS: 'web-db-s3cret' }, ['--project', 'web']);
});
afterEach(() => sb.cleanup());

const printEnv = (...names: string[]) => `process.stdout.write(JSON.stringify(Object.fromEntries(${JSON.stringify(names)}.map((n) => [n, process.env[n] ?? null]))))`;

describe('scoped run: environment', () => {
  it("gives the child the deployment's values, most specific scope first", async () => {
    const r = await sb.run(['run', '--project', 'web', '--no-mask', ...node(printEnv('DB_PASS', 'API_KEY'))]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ DB_PASS: 'web-db-s3cret', API_KEY: 'org-api-s3cret' });
    const viaEnv = await sb.run(['run', '--no-mask', ...node(printEnv('DB_PASS'))], { env: { SCOPED_PROJECT: 'web' } });
    expect(JSON.parse(viaEnv.stdout)).toEqual({ DB_PASS: 'web-db-s3cret' });
  });

  it('--only picks and renames; a missing key fails before anything runs', async () => {
    const r = await sb.run(['run', '--no-mask', '--only', 'DB_PASS=PGPASSWORD', ...node(printEnv('PGPASSWORD', 'DB_PASS', 'API_KEY'))]);
    expect(JSON.parse(r.stdout)).toEqual({ PGPASSWORD: 'org-db-s3cret', DB_PASS: null, API_KEY: null });
    const marker = join(sb.dir, 'ran');
    const missing = await sb.run(['run', '--only', 'NOPE', '--only', 'DB_PASS', '--file', 'GONE', ...node(`require('fs').writeFileSync(${JSON.stringify(marker)}, '')`)]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/keys NOPE, GONE not visible to org default/);
    expect(existsSync(marker)).toBe(false);
  });

  it('names overridden variables on stderr (names only); --preserve-env keeps the parent value', async () => {
    const parent = { DB_PASS: 'from-parent', OTHER: 'kept' };
    const r = await sb.run(['run', '--no-mask', ...node(printEnv('DB_PASS', 'OTHER'))], { env: parent });
    expect(JSON.parse(r.stdout)).toEqual({ DB_PASS: 'org-db-s3cret', OTHER: 'kept' });
    expect(r.stderr).toBe("secrets override DB_PASS from the environment (--preserve-env keeps the environment's)\n");
    const p = await sb.run(['run', '--no-mask', '--preserve-env', ...node(printEnv('DB_PASS', 'API_KEY'))], { env: parent });
    expect(JSON.parse(p.stdout)).toEqual({ DB_PASS: 'from-parent', API_KEY: 'org-api-s3cret' });
    expect(p.stderr).toMatch(/keeping DB_PASS from the environment/);
    expect((await sb.run(['run', '-q', ...node('')], { env: parent })).stderr).toBe('');
  });

  it('refuses reserved names unless renamed (exit 2, nothing runs)', async () => {
    await seed(sb, { PATH: '/tmp/evil-bin', LD_PRELOAD: '/tmp/evil.so' });
    const r = await sb.run(['run', ...node('')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to set reserved variables LD_PRELOAD, PATH from secrets; rename with --only KEY=NAME/);
    expect(r.stderr).not.toContain('evil');
    const renamed = await sb.run(['run', '--no-mask', '--only', 'PATH=EXTRA_PATH', ...node(printEnv('EXTRA_PATH'))]);
    expect(JSON.parse(renamed.stdout)).toEqual({ EXTRA_PATH: '/tmp/evil-bin' });
    expect((await sb.run(['run', '--only', 'DB_PASS=NODE_OPTIONS', ...node('')])).code).toBe(2);
  });

  it('refuses a binary value as a variable and hands it over as an exact file', async () => {
    const bytes = Buffer.from([0, 1, 2, 255, 0x0a, 0]);
    await seed(sb, { KEYSTORE: bytes });
    const r = await sb.run(['run', ...node('')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/KEYSTORE holds binary data, which an environment variable cannot carry; hand it over as a file: --file KEYSTORE=KEYSTORE_FILE/);
    const f = await sb.run(['run', '--file', 'KEYSTORE=KS', ...node(`process.stdout.write(require('fs').readFileSync(process.env.KS).toString('hex'))`)]);
    expect(f.stdout).toBe(bytes.toString('hex'));
  });
});

describe('scoped run: exit codes', () => {
  it.each([
    ['0', 'process.exit(0)', 0],
    ['1', 'process.exit(1)', 1],
    ['42', 'process.exit(42)', 42],
    ['an uncaught error (1)', 'throw new Error("boom")', 1],
    ['SIGTERM -> 143', "process.kill(process.pid, 'SIGTERM')", 143],
    ['SIGKILL -> 137', "process.kill(process.pid, 'SIGKILL')", 137],
  ])('passes through %s', async (_name, script, code) => {
    expect((await sb.run(['run', ...node(script)])).code).toBe(code);
  });

  it('127 when the command is not found, 126 when it cannot be executed', async () => {
    const nf = await sb.run(['run', '--', join(sb.dir, 'no-such-command')]);
    expect(nf).toMatchObject({ code: 127, stdout: '' });
    expect(nf.stderr).toMatch(/cannot run ".*no-such-command": command not found/);
    const plain = join(sb.dir, 'not-executable');
    writeFileSync(plain, 'echo hi\n', { mode: 0o644 });
    expect((await sb.run(['run', '--', plain])).code).toBe(126);
  });

  it('is a usage error without a command', async () => {
    expect((await sb.run(['run'])).code).toBe(2);
  });
});

const fileProbe = `
const fs = require('fs'), path = require('path');
const p = process.env.DB_FILE;
const mode = (s) => (s.mode & 0o777).toString(8);
process.stdout.write(JSON.stringify({ path: p, content: fs.readFileSync(p, 'utf8'), file: mode(fs.statSync(p)), dir: mode(fs.statSync(path.dirname(p))) }));
`;

describe('scoped run --file', () => {
  it('writes a 0600 file in a private 0700 dir and removes it when the child exits', async () => {
    const r = await sb.run(['run', '--no-mask', '--file', 'DB_PASS=DB_FILE', ...node(fileProbe)]);
    expect(r.code).toBe(0);
    const seen = JSON.parse(r.stdout) as { path: string; content: string; file: string; dir: string };
    expect(seen).toMatchObject({ content: 'org-db-s3cret', file: '600', dir: '700' });
    expect(existsSync(seen.path)).toBe(false);
    expect(existsSync(join(seen.path, '..'))).toBe(false);
  });

  it.each([
    ['exits with an error', 'process.exit(3)', 3],
    ['crashes (SIGSEGV)', "process.kill(process.pid, 'SIGSEGV')", 139],
    ['is killed (SIGKILL)', "process.kill(process.pid, 'SIGKILL')", 137],
  ])('removes it when the child %s', async (_name, end, code) => {
    const r = await sb.run(['run', '--file', 'DB_PASS=DB_FILE', ...node(`process.stdout.write(process.env.DB_FILE + '\\n'); ${end}`)]);
    expect(r.code).toBe(code);
    const path = r.stdout.trim();
    expect(path).toMatch(/scoped-run-.*DB_FILE$/);
    expect(existsSync(path)).toBe(false);
  });
});

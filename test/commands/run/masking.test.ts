import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../../helpers/io.js';
import { node, seed } from '../../helpers/seed.js';

const PEM = '-----BEGIN TEST KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX\n-----END TEST KEY-----';
const VALUES = { DB_PASS: 'org-db-s3cret', DB_PASS_LONG: 'org-db-s3cret-and-more', PEM, TINY: 'abc' };

let sb: Sandbox;
beforeEach(async () => {
  sb = sandbox();
  await seed(sb, VALUES);
});
afterEach(() => sb.cleanup());

/** Writes to fd 1 and 2 with writeSync, so each call is a separate write the parent reads. */
const echoBoth = `
const fs = require('fs');
for (const k of ['DB_PASS', 'DB_PASS_LONG', 'PEM', 'TINY']) {
  fs.writeSync(1, k + '=' + process.env[k] + '\\n');
  fs.writeSync(2, k + '=' + process.env[k] + '\\n');
}`;
const maskedText = 'DB_PASS=***\nDB_PASS_LONG=***\nPEM=***\nTINY=abc\n';
const plainText = Object.entries(VALUES)
  .map(([k, v]) => `${k}=${v}\n`)
  .join('');

describe('scoped run: masking', () => {
  it("masks stdout and stderr by default when they are not terminals; --no-mask doesn't", async () => {
    const r = await sb.run(['run', ...node(echoBoth)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(maskedText);
    expect(r.stderr).toBe(`warning: not masked, shorter than 4 characters: TINY\n${maskedText}`);
    const plain = await sb.run(['run', '--no-mask', ...node(echoBoth)]);
    expect(plain.stdout).toBe(plainText);
  });

  it('does not mask a terminal by default; --mask does', async () => {
    const tty = await sb.run(['run', ...node(echoBoth)], { tty: true });
    expect(tty.stdout).toBe(plainText);
    const forced = await sb.run(['run', '--mask', ...node(echoBoth)], { tty: true });
    expect(forced.stdout).toBe(maskedText);
    expect(forced.stderr).toContain(maskedText);
  });

  it('masks a value the child writes one byte at a time', async () => {
    const script = `const fs = require('fs'); for (const c of Buffer.from('[' + process.env.PEM + ']')) fs.writeSync(1, Buffer.from([c]));`;
    expect((await sb.run(['run', ...node(script)])).stdout).toBe('[***]');
  });

  it('masks a single line of a multi-line value printed on its own', async () => {
    const script = `console.log('body: ' + process.env.PEM.split('\\n')[1])`;
    expect((await sb.run(['run', ...node(script)])).stdout).toBe('body: ***\n');
  });

  it('masks output far larger than a pipe buffer', async () => {
    const script = `
const line = 'x'.repeat(1000) + process.env.DB_PASS + 'y'.repeat(1000) + process.env.DB_PASS_LONG + '\\n';
let out = ''; for (let i = 0; i < 300; i++) out += line;
process.stdout.write(out);`;
    const r = await sb.run(['run', ...node(script)]);
    const line = `${'x'.repeat(1000)}***${'y'.repeat(1000)}***\n`;
    expect(r.stdout.length).toBe(line.length * 300);
    expect(r.stdout).toBe(line.repeat(300));
  });
});

describe('scoped run: no value leaks', () => {
  it("never puts a value on the child's or scoped's argv", async () => {
    const script = `
const fs = require('fs');
const values = ['DB_PASS', 'PEM'].map((k) => process.env[k]);
const argvs = ['/proc/self/cmdline', '/proc/' + process.ppid + '/cmdline'].map((p) => fs.readFileSync(p));
process.stdout.write(JSON.stringify({ seen: values.every(Boolean), leaked: argvs.some((a) => values.some((v) => a.includes(v))) }));`;
    const r = await sb.run(['run', '--no-mask', '--only', 'DB_PASS', '--only', 'PEM', ...node(script)]);
    expect(JSON.parse(r.stdout)).toEqual({ seen: true, leaked: false });
  });

  it('never prints a value in --debug lines, reports or errors', async () => {
    const leaks = (text: string) => Object.values(VALUES).filter((v) => v.length >= 4 && text.includes(v));
    const ok = await sb.run(['--debug', 'run', '--no-mask', '--file', 'PEM=PEM_FILE', ...node('')], { env: { DB_PASS: 'parent' } });
    expect(ok.code).toBe(0);
    expect(ok.stderr).toMatch(/debug: .*variable\(s\), 1 file\(s\)/);
    expect(ok.stderr).toMatch(/override DB_PASS/);
    expect(leaks(ok.stderr)).toEqual([]);
    for (const argv of [
      ['--debug', 'run', '--only', 'DB_PASS=PATH', ...node('')],
      ['--debug', 'run', '--only', 'DB_PASS=X', '--only', 'PEM=X', ...node('')],
      ['--debug', 'run', '--', '/no/such/command'],
    ]) {
      const r = await sb.run(argv);
      expect(r.code).not.toBe(0);
      expect(leaks(r.stdout + r.stderr)).toEqual([]);
    }
  });
});

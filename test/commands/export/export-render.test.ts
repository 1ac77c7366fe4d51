import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dotenv from 'dotenv';
import { parse as parseYaml } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../../helpers/io.js';
import { NASTY, seed } from '../../helpers/seed.js';

/** Every nasty value the store accepts (it refuses empty values). */
const STORED = Object.fromEntries(NASTY.filter(([, v]) => v !== ''));

let sb: Sandbox;
beforeEach(async () => {
  sb = sandbox();
  await seed(sb, STORED);
});
afterEach(() => sb.cleanup());

describe('scoped export', () => {
  it('dotenv (the default) round-trips through the dotenv parser', async () => {
    const r = await sb.run(['export']);
    expect(r.code).toBe(0);
    expect(dotenv.parse(r.stdout)).toEqual(STORED);
    // Values other readers cannot carry are named (key and reader, never the value); node dotenv is not among them.
    for (const line of r.stderr.split('\n').filter(Boolean))
      expect(line).toMatch(/^warning: [A-Z_]+(, [A-Z_]+)*( and \d+ more)?: (python-dotenv|POSIX shell \(set -a; \. FILE\)) would read (a )?different value/);
  });

  it('shell: eval "$(scoped export --format shell)" in bash restores every value', async () => {
    const r = await sb.run(['export', '--format', 'shell']);
    const bash = spawnSync('bash', ['--norc', '--noprofile', '-c', `eval "$(cat)"; exec "${process.execPath}" -e 'process.stdout.write(JSON.stringify(process.env))'`], {
      input: r.stdout,
      env: {},
      encoding: 'utf8',
    });
    expect(bash.stderr).toBe('');
    expect(JSON.parse(bash.stdout)).toMatchObject(STORED);
  });

  it('json and yaml are maps of the values; -o json|yaml picks them too', async () => {
    expect(JSON.parse((await sb.run(['export', '--format', 'json'])).stdout)).toEqual(STORED);
    expect(parseYaml((await sb.run(['export', '--format', 'yaml'])).stdout)).toEqual(STORED);
    expect(JSON.parse((await sb.run(['-o', 'json', 'export'])).stdout)).toEqual(STORED);
    expect(parseYaml((await sb.run(['export', '-o', 'yaml'])).stdout)).toEqual(STORED);
  });

  it('--only picks keys, renamed where asked, for the deployment', async () => {
    await seed(sb, { SINGLE: 'web value' }, ['--project', 'web']);
    const r = await sb.run(['export', '--format', 'json', '-p', 'web', '--only', 'SINGLE=QUOTE', '--only', 'HASH']);
    expect(JSON.parse(r.stdout)).toEqual({ QUOTE: 'web value', HASH: STORED.HASH });
    const missing = await sb.run(['export', '--only', 'NOPE']);
    expect(missing).toMatchObject({ code: 3, stdout: '' });
  });

  it('github: appends heredoc blocks to $GITHUB_ENV and prints a mask per value line', async () => {
    const envFile = join(sb.dir, 'github_env');
    writeFileSync(envFile, 'EARLIER=1\n');
    const r = await sb.run(['export', '--format', 'github', '--only', 'NEWLINES', '--only', 'DOLLAR'], { env: { GITHUB_ENV: envFile } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(['::add-mask::line 1', '::add-mask::line 2', '::add-mask::line 4', `::add-mask::${STORED.DOLLAR}`, ''].join('\n'));
    expect(r.stderr).toBe('2 variable(s) added to $GITHUB_ENV for the next steps\n');
    const written = readFileSync(envFile, 'utf8');
    const m = /^EARLIER=1\nNEWLINES<<(ghadelimiter_[0-9a-f]{32})\nline 1\nline 2\n\nline 4\n\n\1\nDOLLAR<<\1\n(.*)\n\1\n$/.exec(written);
    expect(m?.[2]).toBe(STORED.DOLLAR);
  });

  it('github without $GITHUB_ENV is a usage error and prints nothing', async () => {
    const r = await sb.run(['export', '--format', 'github']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/\$GITHUB_ENV, which is not set/);
  });

  it('refuses binary values and reserved names (shell, github), naming keys, never values', async () => {
    await seed(sb, { BLOB: Buffer.from([0, 159, 146, 150]) });
    const bin = await sb.run(['export', '--format', 'json']);
    expect(bin).toMatchObject({ code: 2, stdout: '' });
    expect(bin.stderr).toMatch(/^scoped: BLOB holds binary data, which --format json cannot carry; leave it out with --exclude KEY/);
    await seed(sb, { LD_PRELOAD: '/tmp/evil.so' });
    const reserved = await sb.run(['export', '--format', 'shell', '--only', 'LD_PRELOAD', '--only', 'HASH']);
    expect(reserved).toMatchObject({ code: 2, stdout: '' });
    expect(reserved.stderr).toMatch(/reserved variable LD_PRELOAD with --format shell/);
    expect(reserved.stderr).not.toContain('evil');
    const renamed = await sb.run(['export', '--format', 'shell', '--only', 'LD_PRELOAD=PRELOAD']);
    expect(renamed.stdout).toBe("export PRELOAD='/tmp/evil.so'\n");
  });
});

describe('scoped render', () => {
  const TEMPLATE = [
    'db:',
    '  password: "{{ secret "DOUBLE" }}"',
    "  hash: {{secret 'HASH'}}",
    '  again: {{   secret   "HASH"   }}',
    '  untouched: {{ .Values.other }} {{ secrets.X }}',
    '',
  ].join('\n');
  const FILLED = TEMPLATE.replace('{{ secret "DOUBLE" }}', STORED.DOUBLE as string)
    .replace("{{secret 'HASH'}}", STORED.HASH as string)
    .replace('{{   secret   "HASH"   }}', STORED.HASH as string);

  it('fills references to stdout, or to --out with mode 0600, atomically', async () => {
    const tmpl = join(sb.dir, 'config.tmpl.yaml');
    writeFileSync(tmpl, TEMPLATE);
    expect(await sb.run(['render', 'config.tmpl.yaml'])).toMatchObject({ code: 0, stdout: FILLED, stderr: '' });
    const out = join(sb.dir, 'config.yaml');
    writeFileSync(out, 'old', { mode: 0o644 });
    const r = await sb.run(['render', tmpl, '--out', 'config.yaml']);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toBe('Wrote config.yaml (mode 0600, 2 key(s))\n');
    expect(readFileSync(out, 'utf8')).toBe(FILLED);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(sb.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect((await sb.run(['render', '-'], { stdin: 'x={{ secret "EQUALS" }}' })).stdout).toBe('x=a=b=c');
  });

  it('names every missing key and writes nothing', async () => {
    writeFileSync(join(sb.dir, 't'), '{{ secret "NOPE" }} {{ secret "HASH" }} {{ secret "GONE" }}');
    const r = await sb.run(['render', 't', '--out', 'out']);
    expect(r).toMatchObject({ code: 3, stdout: '' });
    expect(r.stderr).toMatch(/keys NOPE, GONE not visible to org default/);
    expect(readdirSync(sb.dir).sort()).toEqual(['store', 't']);
  });

  it('refuses malformed references and bad keys with their line', async () => {
    const bad = await sb.run(['render', '-'], { stdin: 'ok\n{{ secret "HASH }}\n' });
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toMatch(/stdin:2: malformed secret reference/);
    expect((await sb.run(['render', '-'], { stdin: '{{ secret "bad-key" }}' })).stderr).toMatch(/stdin:1: invalid key "bad-key"/);
    expect((await sb.run(['render', 'missing.tmpl'])).stderr).toMatch(/cannot read template missing.tmpl: no such file or directory/);
  });
});

import { spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BIN, binSandbox, readmeBlock, ROOT } from '../helpers/bin.js';
import { LocalStore } from '../../src/store/local/local-store.js';

let sb: ReturnType<typeof binSandbox>;
beforeEach(() => {
  sb = binSandbox();
});
afterEach(() => sb.cleanup());

describe('end to end (built binary)', () => {
  it("runs the README's quick start verbatim", () => {
    // `npm install` is what CI itself just did; a shim stands in for it so the test stays hermetic.
    writeFileSync(join(sb.home, 'npm'), '#!/bin/sh\n[ "$1" = install ] && exit 0\necho "unexpected npm $*" >&2; exit 1\n');
    chmodSync(join(sb.home, 'npm'), 0o755);
    const script = readmeBlock('Quick start');
    expect(script).toMatch(/^npm install && /);
    const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: ROOT,
      env: { ...sb.env, PATH: `${sb.home}:${sb.env.PATH}` },
      encoding: 'utf8',
    });
    expect(r.stderr).not.toMatch(/error|unexpected/i);
    expect(r.status).toBe(0);
    // resolve --explain, piped: one tab-separated row; then run's child prints the value, masked (stdout is a pipe).
    expect(r.stdout).toBe('DB_URL\tproject\tproject billing\torg (org default)\n***\n');
    expect(r.stdout).not.toContain('postgres://');
  });

  it('exit 0 with data on stdout, messages on stderr', () => {
    const c = sb.run(['create', 'secret', 'API_TOKEN', '--project', 'web'], { stdin: 'tok-123\n' });
    expect(c).toMatchObject({ code: 0, stdout: '' });
    expect(c.stderr).toMatch(/Created API_TOKEN/);
    const g = sb.run(['get', 'secret', 'API_TOKEN', '--project', 'web', '--reveal']);
    expect(g).toMatchObject({ code: 0, stdout: 'tok-123', stderr: '' });
    expect(sb.run(['--version']).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const help = sb.run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: scoped/);
  });

  const failures: [string, number, string[], RegExp][] = [
    ['unknown option', 2, ['get', 'secret', '--bogus'], /unknown option '--bogus' \(see: scoped get secret --help\)/],
    ['bad key', 2, ['create', 'secret', 'bad-key', 'v'], /invalid key "bad-key"/],
    ['bad project', 2, ['get', 'secret', '--project', 'Web'], /invalid project name "Web"/],
    ['bad backend', 2, ['--backend', 'vault', 'get', 'secret'], /vault/],
    ['no value, no terminal', 2, ['create', 'secret', 'EMPTY'], /stdin is empty and not a terminal/],
    ['delete without --yes', 2, ['delete', 'secret', 'API_TOKEN', '-p', 'web'], /add --yes/],
    ['not found', 3, ['get', 'secret', 'MISSING', '--reveal'], /no secret MISSING at org default/],
    ['not visible', 3, ['resolve', 'MISSING', '--project', 'web'], /not visible/],
    [
      'exists',
      4,
      ['create', 'secret', 'API_TOKEN', '--project', 'web', '--from-file', 'package.json'],
      /already exists; change it with: scoped update secret API_TOKEN --project web/,
    ],
  ];
  it.each(failures)('%s: exit %i, one line on stderr, nothing on stdout', (_label, code, argv, message) => {
    expect(sb.run(['create', 'secret', 'API_TOKEN', '--project', 'web'], { stdin: 'tok-123' }).code).toBe(0);
    const r = sb.run(argv, { stdin: '', cwd: ROOT });
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(
      r.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('warning:')),
    ).toHaveLength(1);
    expect(r.stderr).not.toContain('tok-123');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a verb without its resource, or with an unknown one, is one line and exit 2', () => {
    expect(sb.run(['create'])).toMatchObject({ code: 2, stdout: '', stderr: 'scoped: create needs a resource: secret; see: scoped create --help\n' });
    expect(sb.run(['get', 'secrets-manager'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/^scoped: unknown resource 'secrets-manager' for get: secret; see: scoped get --help\n$/),
    });
    expect(sb.run(['create', '--help']).stdout).toMatch(/Usage: scoped create/);
  });

  it('a reader that goes away (| true) ends output quietly: no stack trace', async () => {
    const key = Buffer.alloc(32, 5).toString('base64');
    const store = new LocalStore({ home: join(sb.home, '.local', 'share', 'scoped'), envKey: key });
    await store.createMany(Array.from({ length: 400 }, (_, i) => ({ name: `scoped/default/_/_/K${i}`, value: 'v', tags: {}, description: 'x'.repeat(200) })));
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" get secret --all -o json | true`], { env: { ...sb.env, SCOPED_LOCAL_KEY: key }, encoding: 'utf8' });
    expect(r.stderr).toBe('');
  });

  it('--debug shows each setting once, also for deployment commands', () => {
    const r = sb.run(['--debug', 'run', '-p', 'web', '--', 'true']);
    expect(r.code).toBe(0);
    expect(r.stderr.match(/debug: config org = default/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/debug: config project = web \(flag --project\)/);
  });

  it('--debug after -- belongs to the child, not to scoped', () => {
    const r = sb.run(['run', '--only', 'MISSING', '--', 'true', '--debug']);
    expect(r.code).toBe(3);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(sb.run(['--debug', 'run', '--only', 'MISSING', '--', 'true']).stderr).toMatch(/\n\s+at /);
  });

  it('reads .scoped.yaml found upward, with flags and env winning', () => {
    writeFileSync(join(sb.home, '.scoped.yaml'), 'org: acme\nproject: billing\n');
    const sub = join(sb.home, 'a', 'b');
    spawnSync('mkdir', ['-p', sub]);
    expect(sb.run(['create', 'secret', 'K', '-p', 'billing'], { stdin: 'v', cwd: sub }).code).toBe(0);
    const show = JSON.parse(sb.run(['config', 'show', '-o', 'json'], { cwd: sub }).stdout).settings;
    expect(show.org).toEqual({ value: 'acme', source: `file ${join(sb.home, '.scoped.yaml')}` });
    expect(show.project.value).toBe('billing');
    expect(sb.run(['resolve', 'K', '--reveal'], { cwd: sub }).stdout).toBe('v');
    const env = JSON.parse(sb.run(['config', 'show', '-o', 'json'], { cwd: sub, env: { SCOPED_ORG: 'other' } }).stdout).settings;
    expect(env.org).toEqual({ value: 'other', source: 'env SCOPED_ORG' });
    const bad = sb.run(['get', 'secret'], { cwd: sub, env: { SCOPED_CONFIG: join(sb.home, 'nope.yaml') } });
    expect(bad.code).toBe(2);
    writeFileSync(join(sb.home, '.scoped.yaml'), 'org: acme\ncolour: blue\n');
    const unknown = sb.run(['get', 'secret'], { cwd: sub });
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toMatch(/unknown setting "colour"/);
  });
});

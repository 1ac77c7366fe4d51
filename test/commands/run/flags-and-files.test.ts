import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dotenv from 'dotenv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportCommand } from '../../../src/commands/export.js';
import { renderCommand } from '../../../src/commands/render.js';
import { runCommand } from '../../../src/commands/run.js';
import { UsageError } from '../../../src/errors.js';
import { SecretFiles } from '../../../src/run/secret-files.js';
import { sandbox, type Sandbox } from '../../helpers/io.js';
import { node, seed } from '../../helpers/seed.js';

const VALUES = { DB_PASS: 'db-s3cret value', API_KEY: "it's $HOME" };

let sb: Sandbox;
beforeEach(async () => {
  sb = sandbox();
  await seed(sb, VALUES);
});
afterEach(() => sb.cleanup());

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof UsageError) return err.line();
    throw err;
  }
  throw new Error('no usage error');
}

/** A usage error: exit 2, one line on stderr, nothing on stdout. */
function expectUsage(r: { code: number; stdout: string; stderr: string }, line: RegExp): void {
  expect(r).toMatchObject({ code: 2, stdout: '' });
  expect(r.stderr.trimEnd()).toMatch(line);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
}

describe('conflicting flags', () => {
  it('run --mask --no-mask (either order) is a usage error naming both, and nothing runs', async () => {
    const marker = join(sb.dir, 'ran');
    const touch = node(`require('fs').writeFileSync(${JSON.stringify(marker)}, '')`);
    for (const flags of [
      ['--mask', '--no-mask'],
      ['--no-mask', '--mask'],
    ]) {
      expectUsage(await sb.run(['run', ...flags, ...touch]), /^scoped: option '--mask' cannot be used with option '--no-mask'; give one \(see: scoped run --help\)$/m);
    }
    expect(existsSync(marker)).toBe(false);
    // The same flag twice, or either one after --, is no conflict.
    expect((await sb.run(['run', '--mask', '--mask', ...touch])).code).toBe(0);
    const after = await sb.run(['run', '--mask', '--', process.execPath, '-e', 'process.stdout.write(process.argv.at(-1))', '--', '--no-mask']);
    expect(after).toMatchObject({ code: 0, stdout: '--no-mask' });
  });

  it('export --format X -o Y must agree', async () => {
    expectUsage(await sb.run(['export', '--format', 'json', '-o', 'yaml']), /^scoped: --format json and -o yaml disagree; give one$/);
    expectUsage(await sb.run(['-o', 'json', 'export', '--format', 'dotenv']), /--format dotenv and -o json disagree/);
    expect(JSON.parse((await sb.run(['export', '--format', 'json', '-o', 'json'])).stdout)).toEqual(VALUES);
  });

  it('buildExportOptions: --format, else -o json|yaml, else dotenv', () => {
    expect(exportCommand.build([], {}).format).toBe('dotenv');
    expect(exportCommand.build([], {}, { output: 'yaml' }).format).toBe('yaml');
    expect(exportCommand.build([], { format: 'shell' }).format).toBe('shell');
    expect(exportCommand.build([], { format: 'json' }, { output: 'json' }).format).toBe('json');
    expect(usageMessage(() => exportCommand.build([], { format: 'json' }, { output: 'yaml' }))).toBe('--format json and -o yaml disagree; give one');
    expect(usageMessage(() => exportCommand.build([], { format: 'github', out: 'x' }))).toMatch(/--out does not apply to --format github/);
  });
});

describe('-o where it has nothing to choose', () => {
  it.each([
    [['run', '-o', 'table', ...node('')], /^scoped: -o table does not apply to run; its output is the command's own$/],
    [['-o', 'json', 'run', ...node('')], /^scoped: -o json does not apply to run/],
    [['render', '-', '-o', 'yaml'], /^scoped: -o yaml does not apply to render; -o is the output format; write to a file with --out PATH$/],
    [['export', '-o', 'table'], /^scoped: -o table does not apply to export; choose the shape with --format dotenv\|json\|yaml\|shell\|github$/],
  ])('%j is a usage error', async (argv, line) => {
    expectUsage(await sb.run(argv, { stdin: '{{ secret "DB_PASS" }}' }), line);
  });

  it('the builders refuse it before anything else', () => {
    expect(usageMessage(() => runCommand.build(['env'], {}, { output: 'table' }))).toMatch(/-o table does not apply to run/);
    expect(usageMessage(() => renderCommand.build(['t'], {}, { output: 'json' }))).toMatch(/-o json does not apply to render/);
    expect(runCommand.build(['env'], {}).command).toBe('env');
  });
});

describe('export --out', () => {
  it('writes mode 0600 atomically, replacing a 0644 file, with stdout empty', async () => {
    const out = join(sb.dir, '.env');
    writeFileSync(out, 'OLD=1\n', { mode: 0o644 });
    const r = await sb.run(['export', '--out', '.env']);
    // `it's $HOME` needs double quotes, in which a shell would expand $HOME: said, by key.
    const shellWarning =
      'warning: API_KEY: POSIX shell (set -a; . FILE) would read a different value (quotes, $ and ` are live in a shell: sourcing may fail, or run what the value holds), and may misread the keys after it; use --format json, yaml or shell for it\n';
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: `${shellWarning}Wrote .env (mode 0600, 2 key(s))\n` });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(dotenv.parse(readFileSync(out))).toEqual(VALUES);
    const json = await sb.run(['-o', 'json', 'export', '--only', 'DB_PASS', '--out', join(sb.dir, 'v.json')]);
    expect(json.code).toBe(0);
    expect(JSON.parse(readFileSync(join(sb.dir, 'v.json'), 'utf8'))).toEqual({ DB_PASS: VALUES.DB_PASS });
    expect(statSync(join(sb.dir, 'v.json')).mode & 0o777).toBe(0o600);
  });

  it('fails in words, with stdout empty and nothing left behind', async () => {
    expectUsage(await sb.run(['export', '--format', 'json', '--out', 'no-dir/.env']), /^scoped: cannot write --out no-dir\/.env: no such file or directory$/);
    mkdirSync(join(sb.dir, 'a-dir'));
    expectUsage(await sb.run(['export', '--format', 'json', '--out', 'a-dir']), /^scoped: cannot write --out a-dir: is a directory$/);
    expectUsage(await sb.run(['export', '--format', 'github', '--out', 'x'], { env: { GITHUB_ENV: join(sb.dir, 'gh') } }), /--out does not apply to --format github/);
    expect(existsSync(join(sb.dir, 'gh'))).toBe(false);
  });
});

describe('failures leave stdout empty and say why in words', () => {
  it('github: a $GITHUB_ENV that cannot be appended to fails before any ::add-mask:: line', async () => {
    expectUsage(await sb.run(['export', '--format', 'github'], { env: { GITHUB_ENV: sb.dir } }), /^scoped: cannot append to \$GITHUB_ENV \(.*\): is a directory$/);
    const missing = join(sb.dir, 'no-dir', 'env');
    expectUsage(await sb.run(['export', '--format', 'github'], { env: { GITHUB_ENV: missing } }), /: no such file or directory$/);
  });

  it('render: template and --out errors', async () => {
    expectUsage(await sb.run(['render', 'missing.tmpl']), /^scoped: cannot read template missing.tmpl: no such file or directory$/);
    expectUsage(await sb.run(['render', '.']), /^scoped: cannot read template .: is a directory$/);
    mkdirSync(join(sb.dir, 'out'));
    expectUsage(await sb.run(['render', '-', '--out', 'out'], { stdin: '{{ secret "DB_PASS" }}' }), /^scoped: cannot write --out out: is a directory$/);
  });

  it('run: a command that cannot be executed, in words', async () => {
    const plain = join(sb.dir, 'not-executable');
    writeFileSync(plain, 'echo hi\n', { mode: 0o644 });
    const r = await sb.run(['run', '--', plain]);
    expect(r).toMatchObject({ code: 126, stdout: '' });
    expect(r.stderr).toMatch(/cannot run ".*not-executable": not executable \(permission denied\)$/m);
  });

  it('run --file: an unusable temp directory, in words', () => {
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = join(sb.dir, 'no-such-tmp');
    try {
      expect(usageMessage(() => SecretFiles.create([{ key: 'F', env: 'F', value: 'v' }]))).toBe(
        `cannot write --file secrets under ${join(sb.dir, 'no-such-tmp')}: no such file or directory; set TMPDIR to a writable directory`,
      );
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});

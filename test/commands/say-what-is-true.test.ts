import { linkSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';

// Commands say what happened, on the local store through main: restore of a live secret, a version id
// with a stage, render over its own template, flags whose values Number() would have taken.
let sb: Sandbox;
beforeEach(async () => {
  sb = sandbox({ SCOPED_ORG: 'acme' });
  expect((await sb.run(['create', 'secret', 'DB_URL'], { stdin: 'first' })).code).toBe(0);
});
afterEach(() => sb.cleanup());

describe.each([
  ['terminal', true],
  ['piped', false],
])('restore secret (%s)', (_label, tty) => {
  it('a live secret: exit 0, "nothing to restore", the secret untouched', async () => {
    const r = await sb.run(['restore', 'secret', 'DB_URL'], { tty });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: 'DB_URL at org acme is not scheduled for deletion; nothing to restore\n' });
    expect((await sb.run(['get', 'secret', 'DB_URL', '--reveal'])).stdout).toBe('first');
  });

  it('a deleted one: Restored, and -o json says which happened', async () => {
    expect((await sb.run(['delete', 'secret', 'DB_URL', '--yes'])).code).toBe(0);
    const r = await sb.run(['-o', 'json', 'restore', 'secret', 'DB_URL'], { tty });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/Restored DB_URL at org acme/);
    expect(JSON.parse(r.stdout)).toMatchObject({ key: 'DB_URL', restored: true });
    expect(JSON.parse((await sb.run(['-o', 'json', 'restore', 'secret', 'DB_URL'])).stdout)).toMatchObject({ restored: false });
  });

  it('a missing one: exit 3', async () => {
    expect(await sb.run(['restore', 'secret', 'NOPE'], { tty })).toMatchObject({ code: 3, stdout: '' });
  });
});

describe('get secret --reveal --version-id with --version-stage', () => {
  const versions = async () => {
    expect((await sb.run(['update', 'secret', 'DB_URL'], { stdin: 'second' })).code).toBe(0);
    const { versions: list } = JSON.parse((await sb.run(['-o', 'json', 'get', 'secret', 'DB_URL'])).stdout) as { versions: { versionId: string; stages: string[] }[] };
    const by = (stage: string) => list.find((v) => v.stages.includes(stage))?.versionId as string;
    return { current: by('AWSCURRENT'), previous: by('AWSPREVIOUS') };
  };

  it('both, agreeing: that version', async () => {
    const { previous, current } = await versions();
    expect((await sb.run(['get', 'secret', 'DB_URL', '--reveal', '--version-id', previous, '--version-stage', 'AWSPREVIOUS'])).stdout).toBe('first');
    expect((await sb.run(['get', 'secret', 'DB_URL', '--reveal', '--version-id', current, '--version-stage', 'AWSCURRENT'])).stdout).toBe('second');
  });

  it('both, the version not carrying the stage: exit 3 naming both, nothing on stdout', async () => {
    const { previous } = await versions();
    const r = await sb.run(['get', 'secret', 'DB_URL', '--reveal', '--version-id', previous, '--version-stage', 'AWSCURRENT']);
    expect(r).toMatchObject({ code: 3, stdout: '' });
    expect(r.stderr).toBe(
      `scoped: version ${previous} of DB_URL at org acme is not AWSCURRENT (its stages: AWSPREVIOUS); see its versions with: scoped get secret DB_URL --versions\n`,
    );
  });

  it('a version id or stage with control characters is echoed escaped, never raw to the terminal', async () => {
    // Not a version id at all: refused before any read (exit 2), the id shown escaped.
    const r = await sb.run(['get', 'secret', 'DB_URL', '--reveal', '--version-id', '\u001b]0;x\u0007id'], { tty: true });
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/[\u0007\u001b]/);
    expect(r.stderr).toContain('--version-id "\\u001b]0;x\\u0007id" is not a version id');
    const { current } = await versions();
    const s = await sb.run(['get', 'secret', 'DB_URL', '--reveal', '--version-id', current, '--version-stage', 'AWS\u001b[2J']);
    expect(s.code).toBe(3);
    expect(s.stderr).not.toMatch(/\u001b/);
  });

  it('an unknown version id with a stage: exit 3, no such version', async () => {
    const nope = '00000000-0000-4000-8000-000000000000';
    const r = await sb.run(['get', 'secret', 'DB_URL', '--reveal', '--version-id', nope, '--version-stage', 'AWSCURRENT']);
    expect(r).toMatchObject({ code: 3, stdout: '', stderr: expect.stringMatching(new RegExp(`^scoped: DB_URL at org acme has no version ${nope};`)) });
  });
});

describe('render --out that is the template', () => {
  const template = () => {
    const path = join(sb.dir, 'app.tmpl');
    writeFileSync(path, 'url={{ secret "DB_URL" }}\n');
    return path;
  };

  it.each([
    ['the same path', (t: string) => t, 'is the template'],
    ['the same path spelt differently', (t: string) => join(sb.dir, '.', 'app.tmpl'), 'is the template'],
    ['a symlink to it', (t: string) => (symlinkSync(t, join(sb.dir, 'link')), 'link'), 'is the same file as the template'],
    ['a hard link to it', (t: string) => (linkSync(t, join(sb.dir, 'hard')), 'hard'), 'is the same file as the template'],
  ])('%s: exit 2, the template unchanged', async (_label, outFor, says) => {
    const t = template();
    const out = outFor(t);
    const r = await sb.run(['render', 'app.tmpl', '--out', out]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(`scoped: --out ${out} ${says} app.tmpl: writing it would replace the template; write the result to another file\n`);
    expect(readFileSync(t, 'utf8')).toBe('url={{ secret "DB_URL" }}\n');
  });

  it('a template given through a symlink, --out the file itself: refused too', async () => {
    symlinkSync(template(), join(sb.dir, 'via'));
    expect((await sb.run(['render', 'via', '--out', 'app.tmpl'])).code).toBe(2);
  });

  it('another file, and --out - (stdout), are written', async () => {
    template();
    expect((await sb.run(['render', 'app.tmpl', '--out', 'app.conf'])).code).toBe(0);
    expect(readFileSync(join(sb.dir, 'app.conf'), 'utf8')).toBe('url=first\n');
    expect((await sb.run(['render', 'app.tmpl', '--out', '-'])).stdout).toBe('url=first\n');
  });
});

describe('flag values a number parser would have taken', () => {
  it.each(['7.5', '0x10', '1e1', ' 10', '10 ', '-5', '+10', '0', '31', '1000', '١٠'])('--recovery-days %j: exit 2, nothing deleted', async (days) => {
    const r = await sb.run(['delete', 'secret', 'DB_URL', '--recovery-days', days, '--yes']);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'scoped: --recovery-days must be a whole number from 7 to 30; or use --force to delete at once\n' });
    expect((await sb.run(['get', 'secret', 'DB_URL', '--reveal'])).stdout).toBe('first');
  });

  it('--recovery-days 7 and 30 are the bounds', async () => {
    expect((await sb.run(['delete', 'secret', 'DB_URL', '--recovery-days', '7', '--yes'])).code).toBe(0);
    expect((await sb.run(['delete', 'secret', 'DB_URL', '--recovery-days', '30', '--yes'])).code).toBe(4);
  });

  it('delete of a secret already scheduled: exit 4 before asking, naming restore', async () => {
    expect((await sb.run(['delete', 'secret', 'DB_URL', '--yes'])).code).toBe(0);
    const r = await sb.run(['delete', 'secret', 'DB_URL'], { tty: true });
    expect(r).toMatchObject({ code: 4, stdout: '' });
    expect(r.io.prompts).toEqual([]);
    expect(r.stderr).toMatch(/scheduled for deletion; undo that with: scoped restore secret DB_URL/);
  });
});

describe('-o where it has no shape', () => {
  it.each([
    [['get', 'secret', 'DB_URL', '--reveal', '-o', 'json'], '-o json does not apply to get secret --reveal; the value is printed alone, exactly as stored'],
    [['resolve', 'DB_URL', '--reveal', '-o', 'yaml'], '-o yaml does not apply to resolve --reveal; the value is printed alone, exactly as stored'],
    [['policy', '-o', 'table'], '-o table does not apply to policy; it prints JSON, or YAML with -o yaml'],
    [['completion', 'bash', '-o', 'json'], '-o json does not apply to completion; it prints a shell script'],
  ])('%j: exit 2, one line', async (argv, line) => {
    expect(await sb.run(argv)).toMatchObject({ code: 2, stdout: '', stderr: `scoped: ${line}\n` });
  });
});

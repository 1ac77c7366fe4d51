import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox } from '../helpers/io.js';

/** Hints a user can act on: the command a hint suggests names the same secrets (issue 18). */

const sb = sandbox();
afterAll(() => sb.cleanup());

describe('hints carry the --org (and other where-flags) the user gave', () => {
  it('get secret NOPE --org other suggests listing org other', async () => {
    const res = await sb.run(['get', 'secret', 'NOPE', '--org', 'other']);
    expect(res).toMatchObject({ code: 3, stdout: '', stderr: 'scoped: no secret NOPE at org other; list this scope with: scoped get secret --org other\n' });
  });

  it('a global before the command, with -p: both in the hint', async () => {
    const res = await sb.run(['--org', 'other', 'get', 'secret', 'NOPE', '-p', 'web']);
    expect(res.stderr).toBe('scoped: no secret NOPE at org other, project web; list this scope with: scoped get secret --org other --project web\n');
  });

  it('a given --prefix is carried into the hint (an empty one is refused by the prefix rules)', async () => {
    const res = await sb.run(['get', 'secret', 'NOPE', '--org', 'other', '--prefix', 'team/']);
    expect(res.stderr).toBe('scoped: no secret NOPE at org other; list this scope with: scoped get secret --org other --prefix team/\n');
  });

  it('without --org on the line (org from the environment), the hint has none', async () => {
    const res = await sb.run(['get', 'secret', 'NOPE'], { env: { SCOPED_ORG: 'envorg' } });
    expect(res.stderr).toBe('scoped: no secret NOPE at org envorg; list this scope with: scoped get secret\n');
  });

  it('delete names restore with --org, and the restore it names works', async () => {
    expect((await sb.run(['create', 'secret', 'GONE', '--org', 'other'], { stdin: 'v' })).code).toBe(0);
    const del = await sb.run(['delete', 'secret', 'GONE', '--org', 'other', '--yes']);
    expect(del.code).toBe(0);
    expect(del.stderr).toMatch(/undo with: scoped restore secret GONE --org other\n$/);
    const read = await sb.run(['get', 'secret', 'GONE', '--org', 'other', '--reveal']);
    expect(read).toMatchObject({ code: 4, stdout: '' });
    expect(read.stderr).toMatch(/; undo that with: scoped restore secret GONE --org other\n$/);
    const suggested = /scoped (restore secret GONE --org other)/.exec(read.stderr)?.[1]?.split(' ') ?? [];
    expect((await sb.run(suggested)).code).toBe(0);
    expect((await sb.run(['get', 'secret', 'GONE', '--org', 'other', '--reveal'])).stdout).toBe('v');
  });
});

describe('copy from a secret scheduled for deletion', () => {
  it('names restore secret (exit 4), not "no secret"', async () => {
    expect((await sb.run(['create', 'secret', 'OLD', '-p', 'src'], { stdin: 'v' })).code).toBe(0);
    expect((await sb.run(['delete', 'secret', 'OLD', '-p', 'src', '--yes'])).code).toBe(0);
    const res = await sb.run(['copy', 'secret', 'OLD', '-p', 'src', '--to', 'dst/_']);
    expect(res).toMatchObject({
      code: 4,
      stdout: '',
      stderr: 'scoped: OLD at org default, project src is scheduled for deletion; nothing copied; restore it first with: scoped restore secret OLD --project src\n',
    });
    expect((await sb.run(['get', 'secret', '-p', 'dst'])).stdout).toBe('');
  });

  it('a key that is not there at all is still "no secret" (exit 3)', async () => {
    const res = await sb.run(['copy', 'secret', 'OLD', 'NEVER', '-p', 'src', '--to', 'dst/_']);
    expect(res).toMatchObject({ code: 3, stdout: '' });
    expect(res.stderr).toMatch(/^scoped: no secret NEVER at org default, project src; nothing copied/);
  });
});

describe('a conflict under --dry-run', () => {
  it('import --dry-run: suggests --on-conflict skip|update, not --dry-run again', async () => {
    expect((await sb.run(['create', 'secret', 'TAKEN', '-p', 'imp'], { stdin: 'old' })).code).toBe(0);
    const file = join(sb.dir, 'taken.env');
    writeFileSync(file, 'TAKEN=new\n');
    const res = await sb.run(['import', file, '-p', 'imp', '--dry-run']);
    expect(res).toMatchObject({ code: 4, stdout: '' });
    expect(res.stderr).toMatch(/--on-conflict skip, or overwrite with --on-conflict update\n$/);
    expect(res.stderr).not.toMatch(/--dry-run/);
    // Without --dry-run the plan is still worth pointing at.
    expect((await sb.run(['import', file, '-p', 'imp'])).stderr).toMatch(/\(see the plan first with --dry-run\)\n$/);
  });
});

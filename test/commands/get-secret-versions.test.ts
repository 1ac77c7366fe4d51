import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';

// get secret --reveal with a version id and a stage, through main on the local store.
let sb: Sandbox;
beforeEach(async () => {
  sb = sandbox({ SCOPED_ORG: 'acme' });
  expect((await sb.run(['create', 'secret', 'DB_URL'], { stdin: 'first' })).code).toBe(0);
});
afterEach(() => sb.cleanup());

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

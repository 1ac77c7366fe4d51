import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';

// restore secret through main on the local store: a live secret, a deleted one, a missing one.
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

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';

// delete secret through main on the local store: --recovery-days values a number parser would have taken, a second delete.
let sb: Sandbox;
beforeEach(async () => {
  sb = sandbox({ SCOPED_ORG: 'acme' });
  expect((await sb.run(['create', 'secret', 'DB_URL'], { stdin: 'first' })).code).toBe(0);
});
afterEach(() => sb.cleanup());

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

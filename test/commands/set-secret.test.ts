import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { setSecretCommand } from '../../src/commands/set-secret.js';
import { sandbox, type Sandbox } from '../helpers/io.js';

const CANARY = 'set-canary-Zq81';
let sb: Sandbox;
beforeEach(() => {
  sb = sandbox({ SCOPED_ORG: 'acme' });
});
afterEach(() => sb.cleanup());

const versions = async (key: string, ...flags: string[]): Promise<number> => {
  const r = await sb.run(['get', 'secret', key, ...flags, '--versions', '-o', 'json']);
  return (JSON.parse(r.stdout) as { versions: unknown[] }).versions.length;
};
const noCanary = (r: { stdout: string; stderr: string }) => {
  expect(r.stdout).not.toContain(CANARY);
  expect(r.stderr).not.toContain(CANARY);
};

describe.each([
  ['terminal', true],
  ['piped', false],
])('set secret (%s)', (_label, tty) => {
  // On a terminal the value is typed at the prompt; piped, it arrives on stdin.
  const set = (args: string[], value: string) => sb.run(['set', 'secret', ...args], tty ? { tty, answers: [value] } : { stdin: value });

  it('creates, then makes a new version only for another value', async () => {
    const c = await set(['TOKEN', '-p', 'web'], `${CANARY}-1`);
    expect(c).toMatchObject({ code: 0, stdout: '' });
    expect(c.stderr).toMatch(/Created TOKEN at org acme, project web/);
    const same = await set(['TOKEN', '-p', 'web'], `${CANARY}-1`);
    expect(same.stderr).toMatch(/Unchanged TOKEN at org acme, project web/);
    expect(await versions('TOKEN', '-p', 'web')).toBe(1);
    const u = await set(['TOKEN', '-p', 'web'], `${CANARY}-2`);
    expect(u.stderr).toMatch(/Updated TOKEN at org acme, project web/);
    expect(await versions('TOKEN', '-p', 'web')).toBe(2);
    expect((await sb.run(['get', 'secret', 'TOKEN', '-p', 'web', '--reveal'])).stdout).toBe(`${CANARY}-2`);
    for (const r of [c, same, u]) noCanary(r);
  });

  it('refuses a name scheduled for deletion before asking for a value, naming restore', async () => {
    await sb.run(['create', 'secret', 'OLD', '-d', 'prod'], { stdin: 'v' });
    await sb.run(['delete', 'secret', 'OLD', '-d', 'prod', '--yes']);
    const r = await sb.run(['set', 'secret', 'OLD', '-d', 'prod'], tty ? { tty } : { stdin: 'new' });
    expect(r).toMatchObject({ code: 4, stdout: '' });
    expect(r.stderr).toBe('scoped: secret OLD at org acme, domain prod is scheduled for deletion; undo that with: scoped restore secret OLD --domain prod\n');
    expect(r.io.prompts).toEqual([]);
  });
});

describe('set secret', () => {
  it('-o json reports the action and version', async () => {
    const c = await sb.run(['set', 'secret', 'K', '-o', 'json'], { stdin: 'v1' });
    expect(JSON.parse(c.stdout)).toMatchObject({ key: 'K', action: 'created', name: 'scoped/acme/_/_/K', descriptionUpdated: false });
    expect(JSON.parse(c.stdout).versionId).toEqual(expect.any(String));
    const same = await sb.run(['set', 'secret', 'K', '-o', 'yaml'], { stdin: 'v1' });
    expect(parse(same.stdout)).toMatchObject({ action: 'unchanged', versionId: null });
  });

  it('compares binary values byte for byte', async () => {
    const file = join(sb.dir, 'blob.bin');
    writeFileSync(file, Buffer.from([0, 1, 2, 255]));
    expect((await sb.run(['set', 'secret', 'BLOB', '--from-file', file])).stderr).toMatch(/Created/);
    expect((await sb.run(['set', 'secret', 'BLOB', '--from-file', file])).stderr).toMatch(/Unchanged/);
    writeFileSync(file, Buffer.from([0, 1, 2, 254]));
    expect((await sb.run(['set', 'secret', 'BLOB', '--from-file', file])).stderr).toMatch(/Updated/);
    expect(await versions('BLOB')).toBe(2);
  });

  it('--description: set on create; on an existing secret only when it differs', async () => {
    await sb.run(['set', 'secret', 'K', '--description', 'first'], { stdin: 'v' });
    const same = await sb.run(['set', 'secret', 'K', '--description', 'first'], { stdin: 'v' });
    expect(same.stderr).toMatch(/Unchanged K at org acme\n/);
    const other = await sb.run(['set', 'secret', 'K', '--description', 'second', '-o', 'json'], { stdin: 'v' });
    expect(other.stderr).toMatch(/Unchanged K at org acme \(description updated\)/);
    expect(JSON.parse(other.stdout)).toMatchObject({ action: 'unchanged', descriptionUpdated: true });
    expect(JSON.parse((await sb.run(['get', 'secret', 'K', '-o', 'json'])).stdout)).toMatchObject({ description: 'second' });
    expect(await versions('K')).toBe(1);
  });

  it('refuses an empty value and a bad key with exit 2, writing nothing', async () => {
    const empty = await sb.run(['set', 'secret', 'K', '--from-file', '/dev/null']);
    expect(empty).toMatchObject({ code: 2, stdout: '' });
    expect(empty.stderr).toMatch(/the secret value is empty/);
    expect((await sb.run(['set', 'secret', 'bad-key'], { stdin: 'v' })).code).toBe(2);
    expect((await sb.run(['get', 'secret', '-o', 'json'])).stdout).toMatch(/^\[\s*\]/);
  });

  it('builds options from argv', () => {
    expect(setSecretCommand.build(['K', 'v'], { project: 'p', description: 'd' })).toEqual({
      project: 'p',
      domain: undefined,
      key: 'K',
      value: 'v',
      fromFile: undefined,
      description: 'd',
      generate: undefined,
      rotate: false,
    });
    expect(() => setSecretCommand.build(['K'], { description: 'x'.repeat(2049) })).toThrow(/over the limit of 2048/);
  });
});

import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLocalNames } from '../../../src/store/local/names-reader.js';
import { sandbox, type Sandbox } from '../../helpers/io.js';

/**
 * A symbolic link inside the store (a project folder linked elsewhere, `secrets/` itself) is refused, on
 * reads and writes alike, with one line naming it: exit 2, as a symlinked shard file already was (the
 * store's layout is wrong in a way the user can see and fix, like a file where a folder belongs; exit 1
 * is for damaged contents, which only a backup can fix). Nothing is written through the link, and a
 * listing of the org does not skip the linked scope in silence.
 */
let sb: Sandbox;
let outside: string;
beforeEach(() => {
  sb = sandbox();
  outside = mkdtempSync(join(tmpdir(), 'scoped-outside-'));
});
afterEach(() => {
  sb.cleanup();
  rmSync(outside, { recursive: true, force: true });
});

const secrets = () => join(sb.home, 'secrets');
const project = (name: string) => join(secrets(), 'scoped', 'default', name);
const files = (dir: string) => readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();

async function expectRefused(argv: string[], link: string, stdin?: string): Promise<void> {
  const r = await sb.run(argv, { stdin });
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toBe(
    `scoped: ${link} in the local store is a symbolic link; scoped does not follow links inside its store; remove the link, or put the file or folder it points to in its place\n`,
  );
  expect(r.stderr).not.toContain('canary');
  expect(r.code).toBe(2);
}

async function seed(): Promise<void> {
  for (const [key, flags] of [
    ['TOKEN', []],
    ['API_KEY', ['-p', 'billing']],
    ['WEB_KEY', ['-p', 'web']],
  ] as const) {
    const r = await sb.run(['create', 'secret', key, `${key}-canary`, ...flags]);
    expect(r.code, r.stderr).toBe(0);
  }
}

describe('links inside the local store', () => {
  it('a project folder linked to another folder: create writes nothing there, reads and listings refuse it (exit 2)', async () => {
    await seed();
    const billing = project('billing');
    const target = join(outside, 'billing');
    renameSync(billing, target);
    symlinkSync(target, billing);
    const before = files(outside);
    await expectRefused(['create', 'secret', 'NEW', 'new-canary', '-p', 'billing'], billing);
    await expectRefused(['update', 'secret', 'API_KEY', 'newer-canary', '-p', 'billing'], billing);
    await expectRefused(['import', '-', '--format', 'dotenv', '-p', 'billing'], billing, 'IMPORTED=import-canary\n');
    expect(files(outside)).toEqual(before);
    await expectRefused(['get', 'secret', 'API_KEY', '-p', 'billing', '--reveal'], billing);
    await expectRefused(['get', 'secret', '--all'], billing);
    await expectRefused(['export', '-p', 'billing', '--format', 'dotenv'], billing);
    // Scopes that do not go through the link still work.
    const org = await sb.run(['get', 'secret', 'TOKEN', '--reveal']);
    expect([org.code, org.stdout]).toEqual([0, 'TOKEN-canary']);
    // A Tab leaves the link to the full store, which refuses it in words.
    expect(readLocalNames(sb.home, ['scoped/default/'], { liveOnly: true, now: Date.now() })).toBeUndefined();
  });

  it('a link where a project folder does not exist yet (to /etc, say): create does not write through it', async () => {
    await seed();
    const target = join(outside, 'etc');
    mkdirSync(target);
    symlinkSync(target, project('newproj'));
    await expectRefused(['create', 'secret', 'NEW', 'new-canary', '-p', 'newproj'], project('newproj'));
    await expectRefused(['create', 'secret', 'NEW', 'new-canary', '-p', 'newproj', '-d', 'production'], project('newproj'));
    expect(files(target)).toEqual([]);
    await expectRefused(['get', 'secret', '--all'], project('newproj'));
  });

  it('the secrets folder itself linked elsewhere', async () => {
    await seed();
    const target = join(outside, 'secrets');
    cpSync(secrets(), target, { recursive: true });
    rmSync(secrets(), { recursive: true });
    symlinkSync(target, secrets());
    const before = files(outside);
    await expectRefused(['create', 'secret', 'NEW', 'new-canary'], secrets());
    await expectRefused(['get', 'secret', 'TOKEN', '--reveal'], secrets());
    await expectRefused(['get', 'secret', '--all'], secrets());
    expect(files(outside)).toEqual(before);
  });

  it('a linked shard file inside a project folder is named by a listing too', async () => {
    await seed();
    const shard = join(project('web'), '_.shard');
    renameSync(shard, join(outside, 'web.shard'));
    symlinkSync(join(outside, 'web.shard'), shard);
    await expectRefused(['get', 'secret', '--all'], shard);
    await expectRefused(['get', 'secret', 'WEB_KEY', '-p', 'web', '--reveal'], shard);
    expect(readLocalNames(sb.home, ['scoped/default/web/_/'], { liveOnly: true, now: Date.now() })).toBeUndefined();
  });
});

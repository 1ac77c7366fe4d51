import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copySecretCommand } from '../../src/commands/copy-secret.js';
import { sandbox, type Sandbox } from '../helpers/io.js';

const CANARY = 'copy-canary-5150';
let sb: Sandbox;
beforeEach(async () => {
  sb = sandbox({ SCOPED_ORG: 'acme' });
  const file = join(sb.dir, 'blob.bin');
  writeFileSync(file, Buffer.from([0, 159, 146, 150, 255]));
  await sb.run(['create', 'secret', 'DB_URL', '-p', 'billing', '-d', 'staging', '--description', 'main db', '--tag', 'team=payments'], { stdin: `pg://${CANARY}` });
  await sb.run(['create', 'secret', 'BLOB', '-p', 'billing', '-d', 'staging', '--from-file', file]);
  await sb.run(['create', 'secret', 'OTHER', '-p', 'billing', '-d', 'staging'], { stdin: `${CANARY}-other` });
});
afterEach(() => sb.cleanup());

const from = ['-p', 'billing', '-d', 'staging'];
const describeJson = async (key: string, ...flags: string[]) => JSON.parse((await sb.run(['get', 'secret', key, ...flags, '-o', 'json'])).stdout);
const noCanary = (r: { stdout: string; stderr: string }) => expect(`${r.stdout}${r.stderr}`).not.toContain(CANARY);

describe('copy secret', () => {
  it('promotes staging to production: values (binary stays binary), description, own tags; scoped tags rewritten', async () => {
    const r = await sb.run(['copy', 'secret', '--all', ...from, '--to', 'billing/production']);
    expect(r).toMatchObject({ code: 0, stdout: 'BLOB\tcreate\nDB_URL\tcreate\nOTHER\tcreate\n' });
    expect(r.stderr).toMatch(/Copied into org acme, project billing, domain production: 3 created/);
    noCanary(r);
    const to = ['-p', 'billing', '-d', 'production'];
    const blob = await sb.run(['get', 'secret', 'BLOB', ...to, '--reveal']);
    expect(blob.io.stdout.bytes).toEqual(Buffer.from([0, 159, 146, 150, 255]));
    const d = await describeJson('DB_URL', ...to);
    expect(d.description).toBe('main db');
    expect(d.tags).toEqual({ team: 'payments', 'scoped:org': 'acme', 'scoped:project': 'billing', 'scoped:domain': 'production', 'scoped:key': 'DB_URL' });
    // Again: all unchanged.
    expect((await sb.run(['copy', 'secret', '--all', ...from, '--to', 'billing/production'])).stdout).toBe('BLOB\tunchanged\nDB_URL\tunchanged\nOTHER\tunchanged\n');
  });

  it('named keys to the org scope; a scope tag not set there is dropped', async () => {
    const r = await sb.run(['copy', 'secret', 'DB_URL', ...from, '--to', '_/_', '-o', 'json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ scope: { org: 'acme', project: null, domain: null }, keys: [{ key: 'DB_URL', action: 'create' }] });
    expect((await describeJson('DB_URL')).tags).toEqual({ team: 'payments', 'scoped:org': 'acme', 'scoped:key': 'DB_URL' });
    expect((await sb.run(['get', 'secret', 'DB_URL', '--reveal'])).stdout).toBe(`pg://${CANARY}`);
  });

  it('same conflict and dry-run rules as import', async () => {
    await sb.run(['create', 'secret', 'OTHER', '-d', 'production'], { stdin: 'theirs' });
    const fail = await sb.run(['copy', 'secret', 'OTHER', 'DB_URL', ...from, '--to', '_/production']);
    expect(fail).toMatchObject({ code: 4, stdout: '' });
    expect(fail.stderr).toMatch(/OTHER already exists at org acme, domain production with another value; nothing written/);
    const dry = await sb.run(['copy', 'secret', 'OTHER', 'DB_URL', ...from, '--to', '_/production', '--on-conflict', 'update', '--dry-run']);
    expect(dry.stdout).toBe('OTHER\tupdate\nDB_URL\tcreate\n');
    expect((await sb.run(['get', 'secret', 'OTHER', '-d', 'production', '--reveal'])).stdout).toBe('theirs');
    const skip = await sb.run(['copy', 'secret', 'OTHER', 'DB_URL', ...from, '--to', '_/production', '--on-conflict', 'skip']);
    expect(skip.stdout).toBe('OTHER\tskip\nDB_URL\tcreate\n');
  });

  it('a key not at the source: exit 3 naming it, nothing copied', async () => {
    const r = await sb.run(['copy', 'secret', 'DB_URL', 'NOPE', 'NADA', ...from, '--to', 'billing/_']);
    expect(r).toMatchObject({ code: 3, stdout: '' });
    expect(r.stderr).toBe(
      'scoped: no secret NOPE, NADA at org acme, project billing, domain staging; nothing copied; list the scope with: scoped get secret --project billing --domain staging\n',
    );
    expect(JSON.parse((await sb.run(['get', 'secret', '-p', 'billing', '-o', 'json'])).stdout)).toEqual([]);
  });

  it('refuses copying a scope onto itself, a bad address, KEYs with --all, and nothing to copy', async () => {
    expect((await sb.run(['copy', 'secret', '--all', ...from, '--to', 'billing/staging'])).stderr).toMatch(
      /--to names the scope copied from \(org acme, project billing, domain staging\)/,
    );
    const bad = await sb.run(['copy', 'secret', '--all', '--to', 'production']);
    expect(bad).toMatchObject({ code: 2 });
    expect(bad.stderr).toMatch(/invalid scope address "production"; write PROJECT\/DOMAIN, PROJECT\/_, _\/DOMAIN or _\/_/);
    expect((await sb.run(['copy', 'secret', 'A', '--all', '--to', '_/x'])).stderr).toMatch(/give KEYs or --all, not both/);
    expect((await sb.run(['copy', 'secret', '--to', '_/x'])).stderr).toMatch(/nothing to copy; name the KEYs/);
    expect((await sb.run(['copy', 'secret', 'A'])).stderr).toMatch(/copy needs --to; name the target scope/);
  });

  it('builds options from argv', () => {
    expect(copySecretCommand.build(['A', 'A', 'B'], { to: 'p/_', onConflict: 'fail', domain: 'd' })).toEqual({
      project: undefined,
      domain: 'd',
      keys: ['A', 'B'],
      all: false,
      to: { project: 'p', domain: undefined },
      onConflict: 'fail',
      dryRun: false,
    });
  });
});

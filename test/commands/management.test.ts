import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox({ SCOPED_ORG: 'acme' });
});
afterEach(() => sb.cleanup());

// Each behaviour once as on a terminal and once piped.
describe.each([
  ['terminal', true],
  ['piped', false],
])('management commands (%s)', (_label, tty) => {
  // On a terminal a value is typed at the prompt; piped, it arrives on stdin. ANSI colour is dropped for matching.
  const run = async (argv: string[], o: { stdin?: string; answers?: (string | boolean)[] } = {}) => {
    const r = await sb.run(argv, tty && o.stdin !== undefined ? { tty, answers: [o.stdin, ...(o.answers ?? [])] } : { tty, ...o });
    return { ...r, stdout: r.stdout.replace(/\u001b\[[0-9;]*m/g, '') };
  };
  const seed = async () => {
    expect((await sb.run(['create', 'secret', 'DB_URL', '--description', 'main db'], { stdin: 'postgres://org\n' })).code).toBe(0);
    expect((await sb.run(['create', 'secret', 'DB_URL', '--project', 'billing'], { stdin: 'postgres://billing' })).code).toBe(0);
    expect((await sb.run(['create', 'secret', 'DB_URL', '-p', 'billing', '-d', 'production'], { stdin: 'postgres://bp' })).code).toBe(0);
    expect((await sb.run(['create', 'secret', 'API_KEY', '--domain', 'production'], { stdin: 'k-prod' })).code).toBe(0);
  };

  it('create reports on stderr only, and the value round-trips', async () => {
    const r = tty ? await run(['create', 'secret', 'TOKEN'], { answers: ['typed-in-prompt'] }) : await run(['create', 'secret', 'TOKEN'], { stdin: 'piped-value\n' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Created TOKEN at org acme/);
    if (tty) expect(r.io.prompts).toEqual(['Value for TOKEN at org acme:']);
    const got = await run(['get', 'secret', 'TOKEN', '--reveal']);
    expect(got.stdout).toBe(tty ? 'typed-in-prompt\n' : 'piped-value');
  });

  it('create refuses an existing key with exit 4 and names update', async () => {
    await seed();
    const r = await run(['create', 'secret', 'DB_URL', '--project', 'billing'], { stdin: 'other' });
    expect(r).toMatchObject({ code: 4, stdout: '' });
    expect(r.stderr).toBe('scoped: secret DB_URL at org acme, project billing already exists; change it with: scoped update secret DB_URL --project billing\n');
    expect((await run(['get', 'secret', 'DB_URL', '-p', 'billing', '--reveal'])).stdout).toMatch(/^postgres:\/\/billing/);
  });

  it('on a terminal, create and update check the key before asking for a value', async () => {
    await seed();
    const c = await sb.run(['create', 'secret', 'DB_URL', '--project', 'billing'], { tty: true });
    expect(c).toMatchObject({ code: 4, stdout: '' });
    expect(c.io.prompts).toEqual([]);
    const u = await sb.run(['update', 'secret', 'NOPE'], { tty: true });
    expect(u).toMatchObject({ code: 3, stdout: '' });
    expect(u.io.prompts).toEqual([]);
    await sb.run(['delete', 'secret', 'API_KEY', '-d', 'production', '--yes']);
    const d = await sb.run(['update', 'secret', 'API_KEY', '-d', 'production'], { tty: true });
    expect(d.code).toBe(4);
    expect(d.stderr).toMatch(/scheduled for deletion; undo that with: scoped restore secret API_KEY --domain production/);
    expect(d.io.prompts).toEqual([]);
  });

  it('with the wrong key, create and update fail before asking for a value (exit 5)', async () => {
    await seed();
    const wrong = { SCOPED_LOCAL_KEY: Buffer.alloc(32, 3).toString('base64') };
    for (const argv of [
      ['create', 'secret', 'NEW'],
      ['update', 'secret', 'DB_URL'],
    ]) {
      const r = await sb.run(argv, { tty: true, env: wrong });
      expect(r).toMatchObject({ code: 5, stdout: '' });
      expect(r.io.prompts).toEqual([]);
      expect(r.stderr).toMatch(/SCOPED_LOCAL_KEY is not the key of local store/);
    }
  });

  it('a value as an argument is warned about once, and only when the command succeeded', async () => {
    const ok = await sb.run(['create', 'secret', 'ARG', 'some-value'], { tty });
    expect(ok.stderr.replace(/\u001b\[[0-9;]*m/g, '').match(/warning: a value given as an argument/g)).toHaveLength(1);
    const fail = await sb.run(['create', 'secret', 'ARG', 'some-value'], { tty });
    expect(fail.code).toBe(4);
    expect(fail.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('create validates names and keys with exit 2', async () => {
    for (const argv of [
      ['create', 'secret', 'bad-key'],
      ['create', 'secret', 'K', '--project', 'Billing'],
      ['create', 'secret', 'K', '--domain', 'prod_1'],
      ['--org', 'ACME', 'create', 'secret', 'K'],
    ]) {
      const r = await run(argv, { stdin: 'v' });
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    }
  });

  it('get secret lists the exact scope only', async () => {
    await seed();
    const r = await run(['get', 'secret', '--project', 'billing']);
    expect(r.code).toBe(0);
    if (tty) {
      expect(r.stdout).toMatch(/KEY.*SCOPE/);
      expect(r.stdout).toMatch(/DB_URL.*project.*billing/);
    } else {
      expect(r.stdout.trim().split('\n')).toEqual([expect.stringMatching(/^DB_URL\tproject\tbilling\t-\t\d{4}-/)]);
    }
    expect(r.stdout).not.toContain('postgres');
  });

  it('get secret --all lists every scope; -o json has a stable shape', async () => {
    await seed();
    const r = await run(['get', 'secret', '--all', '-o', 'json']);
    const rows = JSON.parse(r.stdout) as { key: string; scope: { project: string | null; domain: string | null } }[];
    expect(rows.map((x) => [x.key, x.scope.project, x.scope.domain])).toEqual([
      ['API_KEY', null, 'production'],
      ['DB_URL', null, null],
      ['DB_URL', 'billing', null],
      ['DB_URL', 'billing', 'production'],
    ]);
    expect(r.stdout).not.toContain('postgres');
    const y = await run(['get', 'secret', '--all', '-o', 'yaml']);
    expect(y.stdout).toMatch(/^- "key": "API_KEY"/);
  });

  it('get secret KEY shows metadata, never the value', async () => {
    await seed();
    const r = await run(['get', 'secret', 'DB_URL']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/description:\s+main db/);
    expect(r.stdout).toMatch(/name:\s+scoped\/acme\/_\/_\/DB_URL/);
    expect(r.stdout).not.toContain('postgres');
  });

  it('update makes a new version; --versions and --version-stage show history', async () => {
    await seed();
    const u = await run(['update', 'secret', 'API_KEY', '-d', 'production'], { stdin: 'k-prod-2' });
    expect(u).toMatchObject({ code: 0, stdout: '' });
    expect((await run(['get', 'secret', 'API_KEY', '-d', 'production', '--reveal'])).stdout).toMatch(/^k-prod-2/);
    const prev = await run(['get', 'secret', 'API_KEY', '-d', 'production', '--reveal', '--version-stage', 'AWSPREVIOUS']);
    expect(prev.stdout).toMatch(/^k-prod(\n)?$/);
    const v = await run(['get', 'secret', 'API_KEY', '-d', 'production', '--versions', '-o', 'json']);
    const versions = JSON.parse(v.stdout).versions as { stages: string[] }[];
    expect(versions.map((x) => x.stages)).toEqual([['AWSCURRENT'], ['AWSPREVIOUS']]);
  });

  it('update of a missing key is exit 3 and writes nothing', async () => {
    const r = await run(['update', 'secret', 'NOPE'], { stdin: 'v' });
    expect(r).toMatchObject({ code: 3, stdout: '' });
    expect(r.stderr).toMatch(/no secret NOPE at org acme; list this scope with: scoped get secret\n$/);
  });

  it('delete needs confirmation: --yes without a terminal, a prompt on one', async () => {
    await seed();
    const r = tty ? await run(['delete', 'secret', 'API_KEY', '-d', 'production'], { answers: [false] }) : await run(['delete', 'secret', 'API_KEY', '-d', 'production']);
    expect(r.code).toBe(tty ? 130 : 2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(tty ? /deletion cancelled; nothing was deleted/ : /add --yes/);
    expect((await run(['get', 'secret', 'API_KEY', '-d', 'production', '--reveal'])).code).toBe(0);

    const ok = tty
      ? await run(['delete', 'secret', 'API_KEY', '-d', 'production', '--recovery-days', '7'], { answers: [true] })
      : await run(['delete', 'secret', 'API_KEY', '-d', 'production', '--recovery-days', '7', '--yes']);
    expect(ok).toMatchObject({ code: 0, stdout: '' });
    expect(ok.stderr).toMatch(/Scheduled API_KEY at org acme, domain production for deletion on .*; undo with: scoped restore secret API_KEY --domain production/);
  });

  it('a deleted key blocks create (exit 4, names restore) until restored', async () => {
    await seed();
    await run(['delete', 'secret', 'DB_URL', '--yes']);
    const c = await run(['create', 'secret', 'DB_URL'], { stdin: 'x' });
    expect(c.code).toBe(4);
    expect(c.stderr).toMatch(/scheduled for deletion; undo that with: scoped restore secret DB_URL\n$/);
    const list = await run(['get', 'secret', '--include-deleted', '-o', 'json']);
    expect(JSON.parse(list.stdout)[0].deletedAt).not.toBeNull();
    expect((await run(['restore', 'secret', 'DB_URL'])).code).toBe(0);
    expect((await run(['get', 'secret', 'DB_URL', '--reveal'])).stdout).toMatch(/^postgres:\/\/org/);
  });

  it('delete --force removes at once; recovery-days out of range is exit 2', async () => {
    await seed();
    expect((await run(['delete', 'secret', 'DB_URL', '--recovery-days', '3', '--yes'])).code).toBe(2);
    expect((await run(['delete', 'secret', 'DB_URL', '--force', '--yes'])).code).toBe(0);
    expect((await run(['get', 'secret', 'DB_URL'])).code).toBe(3);
    expect((await run(['create', 'secret', 'DB_URL'], { stdin: 'new' })).code).toBe(0);
  });

  it('resolve shows winners and, with --explain, what they shadow', async () => {
    await seed();
    const r = await run(['resolve', '--project', 'billing', '--domain', 'production', '--explain', '-o', 'json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { key: string; scope: string; arn: string | null; shadows: { scope: string }[] }[];
    // The local store has no ARNs: the field is there, and null.
    expect(rows.map((x) => x.arn)).toEqual([null, null]);
    expect(rows.map((x) => [x.key, x.scope, x.shadows.map((s) => s.scope)])).toEqual([
      ['API_KEY', 'domain', []],
      ['DB_URL', 'project-domain', ['project', 'org']],
    ]);
    const table = await run(['resolve', '-p', 'billing', '-d', 'production', '--explain']);
    expect(table.stdout).toMatch(/DB_URL\s*.*project-domain.*project \(project billing\); org \(org acme\)/);
    expect(table.stdout).not.toContain('postgres');
  });

  it('resolve --reveal prints the winning value; deployment from the environment', async () => {
    await seed();
    const r = await sb.run(['resolve', 'DB_URL', '--reveal'], { tty, env: { SCOPED_PROJECT: 'billing', SCOPED_DOMAIN: 'staging' } });
    expect(r.stdout).toMatch(/^postgres:\/\/billing\n?$/);
    const missing = await run(['resolve', 'NOPE', 'DB_URL', '-p', 'billing']);
    expect(missing).toMatchObject({ code: 3, stdout: '' });
    expect(missing.stderr).toMatch(/key NOPE not visible to org acme, project billing/);
  });

  it('config show lists every setting and its source', async () => {
    const r = await sb.run(['--prefix', 'team/', 'config', 'show', '-o', 'json'], { tty, env: { SCOPED_BACKEND: 'local' } });
    const s = JSON.parse(r.stdout).settings;
    expect(s.org).toEqual({ value: 'acme', source: 'env SCOPED_ORG' });
    expect(s.prefix).toEqual({ value: 'team/', source: 'flag --prefix' });
    expect(s.backend).toEqual({ value: 'local', source: 'env SCOPED_BACKEND' });
    expect(s.project).toEqual({ value: null, source: 'default' });
    expect(s.timeout).toEqual({ value: 60, source: 'default' });
  });

  it('config show as a table and piped: every setting, numbers included', async () => {
    for (const opts of [{ tty }, {}]) {
      const r = await sb.run(['config', 'show'], { ...opts, env: { SCOPED_TIMEOUT: '15' } });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/timeout\s+│?\s*15\s+│?\s*env SCOPED_TIMEOUT/);
      expect(r.stdout).toMatch(/org\s+│?\s*acme/);
    }
  });
});

describe('hints name the key, the scope and the next command', () => {
  it('a missing stage, a key the deployment cannot see', async () => {
    await sb.run(['create', 'secret', 'ONE', '-p', 'web'], { stdin: 'v' });
    const stage = await sb.run(['get', 'secret', 'ONE', '-p', 'web', '--reveal', '--version-stage', 'AWSPREVIOUS']);
    expect(stage).toMatchObject({ code: 3, stdout: '' });
    expect(stage.stderr).toBe('scoped: ONE at org acme, project web has no stage AWSPREVIOUS; see its versions with: scoped get secret ONE --project web --versions\n');
    const hidden = await sb.run(['resolve', 'TWO', '-p', 'web', '-d', 'prod']);
    expect(hidden.stderr).toMatch(/see what it sees with: scoped resolve --project web --domain prod --explain\n$/);
  });
});

describe('terminal safety', () => {
  it('stored text with escape sequences is shown escaped, in tables and fields; messages colour by stderr', async () => {
    await sb.run(['create', 'secret', 'ESC', '--description', 'evil\u001b[2Jclear'], { stdin: 'v' });
    for (const argv of [
      ['get', 'secret'],
      ['get', 'secret', 'ESC'],
    ]) {
      for (const tty of [true, false]) {
        const r = await sb.run(argv, { tty });
        expect(r.stdout).not.toContain('\u001b[2J');
        expect(r.stdout).toContain('evil\\x1b[2Jclear');
      }
    }
    const piped = await sb.run(['create', 'secret', 'COL'], { stdin: 'v' });
    expect(piped.stderr).toBe('✓ Created COL at org acme\n');
  });
});

describe('deployment settings do not leak into management commands', () => {
  it('a bad SCOPED_PROJECT breaks resolve (naming its source), not get secret', async () => {
    const env = { SCOPED_PROJECT: 'Bad' };
    expect((await sb.run(['get', 'secret'], { env })).code).toBe(0);
    const r = await sb.run(['resolve'], { env });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/invalid project name "Bad": .*\(from env SCOPED_PROJECT\)/);
  });

  it('export --out - is stdout', async () => {
    await sb.run(['create', 'secret', 'OUT'], { stdin: 'v1' });
    const r = await sb.run(['export', '--out', '-']);
    expect(r).toMatchObject({ code: 0, stdout: "OUT='v1'\n" });
  });
});

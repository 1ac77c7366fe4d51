/**
 * `pin` and `run`/`export`/`render --pinned` through main with injected I/O against a real local store.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';
import { node, seed } from '../helpers/seed.js';

const DEPLOY = ['-p', 'billing', '-d', 'production'];

describe('pin and --pinned (local store)', () => {
  let sb: Sandbox;
  beforeEach(async () => {
    sb = sandbox();
    await seed(sb, { DB_URL: 'postgres://org-canary', TOKEN: 'org-token-canary' });
    await seed(sb, { DB_URL: 'postgres://billing-canary' }, ['-p', 'billing']);
    await seed(sb, { API_KEY: 'prod-key-canary' }, ['-d', 'production']);
  });
  afterEach(() => sb.cleanup());

  const pin = async (extra: string[] = []) => {
    const r = await sb.run(['pin', ...DEPLOY, ...extra]);
    expect([r.code, r.stdout], r.stderr).toEqual([0, '']);
    return r;
  };

  it('an empty --out is refused before anything is read, as every empty flag value is', async () => {
    const r = await sb.run(['pin', ...DEPLOY, '--out', '']);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', 'scoped: --out was given an empty value; give it a value, or omit --out\n']);
  });

  it('writes scoped.pin.json (mode 0600) with every winner and its version id, never a value', async () => {
    const r = await pin();
    expect(r.stderr).toContain('Pinned 3 key(s) of org default, project billing, domain production in scoped.pin.json');
    const path = join(sb.dir, 'scoped.pin.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('canary');
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ format: 1, org: 'default', prefix: 'scoped/', backend: 'local', deployment: { project: 'billing', domain: 'production' } });
    expect(doc.secrets.map((s: { key: string; name: string }) => [s.key, s.name])).toEqual([
      ['API_KEY', 'scoped/default/_/production/API_KEY'],
      ['DB_URL', 'scoped/default/billing/_/DB_URL'],
      ['TOKEN', 'scoped/default/_/_/TOKEN'],
    ]);
    const versions = await sb.run(['get', 'secret', 'DB_URL', '-p', 'billing', '--versions', '-o', 'json']);
    expect(versions.stdout).toContain(doc.secrets[1].versionId);
  });

  it('--out - prints it; --out FILE writes there; -o is refused', async () => {
    const r = await sb.run(['pin', ...DEPLOY, '--out', '-']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).secrets).toHaveLength(3);
    await pin(['--out', 'release-1.pin.json']);
    expect(JSON.parse(readFileSync(join(sb.dir, 'release-1.pin.json'), 'utf8')).secrets).toHaveLength(3);
    const o = await sb.run(['pin', ...DEPLOY, '-o', 'yaml']);
    expect([o.code, o.stdout]).toEqual([2, '']);
    expect(o.stderr).toMatch(/-o yaml does not apply to pin/);
  });

  it('a deployment that sees nothing has nothing to pin (exit 3), and no file is written', async () => {
    const r = await sb.run(['pin', '--org', 'empty']);
    expect([r.code, r.stdout]).toEqual([3, '']);
    expect(r.stderr).toMatch(/no secrets visible to org empty: nothing to pin/);
    expect(() => statSync(join(sb.dir, 'scoped.pin.json'))).toThrow();
  });

  it('export --pinned reads the pinned versions after the values changed: the release, reproduced', async () => {
    await pin();
    const update = await sb.run(['update', 'secret', 'DB_URL', '-p', 'billing'], { stdin: 'postgres://new-canary' });
    expect(update.code).toBe(0);
    const now = await sb.run(['export', ...DEPLOY, '--format', 'json']);
    expect(JSON.parse(now.stdout).DB_URL).toBe('postgres://new-canary');
    const pinned = await sb.run(['export', '--pinned', 'scoped.pin.json', '--format', 'json']);
    expect([pinned.code, pinned.stderr]).toEqual([0, '']);
    expect(JSON.parse(pinned.stdout)).toEqual({ API_KEY: 'prod-key-canary', DB_URL: 'postgres://billing-canary', TOKEN: 'org-token-canary' });
    // The same downstream code: --only renames, formats apply.
    const only = await sb.run(['export', '--pinned', 'scoped.pin.json', '--only', 'DB_URL=DATABASE_URL']);
    expect(only.stdout).toBe("DATABASE_URL='postgres://billing-canary'\n");
  });

  it('run --pinned and render --pinned get the pinned values', async () => {
    await pin();
    await sb.run(['update', 'secret', 'TOKEN'], { stdin: 'newer-canary' });
    const run = await sb.run(['run', '--pinned', 'scoped.pin.json', '--no-mask', ...node('process.stdout.write(process.env.TOKEN + " " + process.env.API_KEY)')]);
    expect([run.code, run.stdout]).toEqual([0, 'org-token-canary prod-key-canary']);
    writeFileSync(join(sb.dir, 't.tmpl'), 'token: {{ secret "TOKEN" }}\n');
    const render = await sb.run(['render', 't.tmpl', '--pinned', 'scoped.pin.json']);
    expect([render.code, render.stdout]).toEqual([0, 'token: org-token-canary\n']);
  });

  it('a key the pin lacks is named with the file (exit 3)', async () => {
    await pin();
    const r = await sb.run(['export', '--pinned', 'scoped.pin.json', '--only', 'NOPE']);
    expect([r.code, r.stdout]).toEqual([3, '']);
    expect(r.stderr).toMatch(/key NOPE not in pin file scoped.pin.json/);
  });

  it('a pinned version deleted with its secret is exit 3 naming the key and the file; scheduled for deletion is exit 4 naming restore', async () => {
    await pin();
    const del = await sb.run(['delete', 'secret', 'API_KEY', '-d', 'production', '--yes']);
    expect(del.code).toBe(0);
    const scheduled = await sb.run(['export', '--pinned', 'scoped.pin.json']);
    expect([scheduled.code, scheduled.stdout]).toEqual([4, '']);
    expect(scheduled.stderr).toMatch(
      /API_KEY at org default, domain production: scheduled for deletion \(pin file scoped.pin.json\); undo that with: scoped restore secret API_KEY --domain production/,
    );
    await sb.run(['delete', 'secret', 'API_KEY', '-d', 'production', '--force', '--yes']);
    const gone = await sb.run(['export', '--pinned', 'scoped.pin.json']);
    expect([gone.code, gone.stdout]).toEqual([3, '']);
    expect(gone.stderr).toMatch(/cannot read API_KEY at org default, domain production: the secret no longer exists \(pin file scoped.pin.json\)/);
    expect(gone.stderr).not.toContain('canary');
  });

  it('a pinned version that aged out is exit 3 naming the key, the version and the file', async () => {
    await pin();
    const doc = JSON.parse(readFileSync(join(sb.dir, 'scoped.pin.json'), 'utf8'));
    doc.secrets[2].versionId = '00000000-0000-4000-8000-000000000000';
    writeFileSync(join(sb.dir, 'old.pin.json'), JSON.stringify(doc));
    const r = await sb.run(['export', '--pinned', 'old.pin.json']);
    expect([r.code, r.stdout]).toEqual([3, '']);
    expect(r.stderr).toMatch(/TOKEN at org default: pinned version 00000000-0000-4000-8000-000000000000 no longer exists .*\(pin file old.pin.json\); pin the deployment again/);
  });

  it('refuses a pin of another org, prefix or backend, naming both, and -p/-d that disagree with it', async () => {
    await pin();
    const org = await sb.run(['export', '--pinned', 'scoped.pin.json', '--org', 'other']);
    expect([org.code, org.stdout]).toEqual([2, '']);
    expect(org.stderr).toMatch(/pin file scoped.pin.json is for org "default", but the current org is "other"/);
    const prefix = await sb.run(['export', '--pinned', 'scoped.pin.json', '--prefix', 'team/']);
    expect(prefix.stderr).toMatch(/is for prefix "scoped\/", but the current prefix is "team\/"/);
    const backend = await sb.run(['export', '--pinned', 'scoped.pin.json', '--backend', 'aws']);
    expect([backend.code, backend.stderr]).toEqual([2, expect.stringMatching(/is for backend "local", but the current backend is "aws"/)]);
    const d = await sb.run(['export', '--pinned', 'scoped.pin.json', '-d', 'staging']);
    expect([d.code, d.stdout]).toEqual([2, '']);
    expect(d.stderr).toMatch(/pin file scoped.pin.json is for deployment billing\/production, not billing\/staging/);
    const same = await sb.run(['export', '--pinned', 'scoped.pin.json', ...DEPLOY]);
    expect(same.code).toBe(0);
  });

  it('a pin file that cannot be read, never ends or is not a pin is one line naming it (exit 2)', async () => {
    const missing = await sb.run(['export', '--pinned', 'nope.json']);
    expect([missing.code, missing.stdout]).toEqual([2, '']);
    expect(missing.stderr).toMatch(/cannot read pin file nope.json/);
    const endless = await sb.run(['export', '--pinned', '/dev/zero']);
    expect([endless.code, endless.stdout]).toEqual([2, '']);
    expect(endless.stderr).toMatch(/pin file from \/dev\/zero is longer than the limit of 4,194,304 bytes/);
    // A regular file over the limit is refused unread (read at once only within it).
    writeFileSync(join(sb.dir, 'big.json'), Buffer.alloc(4 * 1024 * 1024 + 1, 0x20));
    const big = await sb.run(['export', '--pinned', 'big.json']);
    expect([big.code, big.stdout]).toEqual([2, '']);
    expect(big.stderr).toMatch(/^scoped: the pin file from big.json is longer than the limit of 4,194,304 bytes/);
    expect(big.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    writeFileSync(join(sb.dir, 'x.env'), 'TOKEN=secret-canary\n');
    const notPin = await sb.run(['export', '--pinned', 'x.env']);
    expect(notPin.stderr).toMatch(/^scoped: pin file x.env is not a valid pin: not JSON/);
    expect(notPin.stderr).not.toContain('canary');
    expect(notPin.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('the hint to write a pin again carries the where-flags given, not the reading switches (--cache, --offline)', async () => {
    writeFileSync(join(sb.dir, 'x.env'), 'TOKEN=secret-canary\n');
    for (const sw of [['--cache'], ['--offline'], ['--fallback', '--max-age', '1h']]) {
      const r = await sb.run(['export', '--pinned', 'x.env', '--org', 'acme', ...sw]);
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toMatch(/write it again with: scoped pin --org acme --out FILE$/m);
    }
  });

  it('render refuses a template and a pin both from stdin', async () => {
    const r = await sb.run(['render', '-', '--pinned', '-'], { stdin: 'x' });
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/cannot both come from stdin/);
  });

  it('a pin on stdin works for export', async () => {
    const p = await sb.run(['pin', ...DEPLOY, '--out', '-']);
    const r = await sb.run(['export', '--pinned', '-', '--only', 'TOKEN'], { stdin: p.stdout });
    expect([r.code, r.stdout]).toEqual([0, "TOKEN='org-token-canary'\n"]);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { LocalStore } from '../../../src/store/local/local-store.js';
import { sandbox, type Sandbox } from '../../helpers/io.js';
import { seed } from '../../helpers/seed.js';
import { comboWrites, combos } from '../../diff/combos.js';
import type { DiffJson } from '../../../src/diff/present.js';

const CANARY = 'canary-7f3a9c-never-printed';

describe('diff through main, against a local store', () => {
  let sb: Sandbox;
  afterEach(() => sb?.cleanup());

  it('every presence combination on each side, on the local store', async () => {
    sb = sandbox({ SCOPED_ORG: 'acme' });
    const written = await new LocalStore({ home: sb.home, log: { debug: () => undefined } }).writeMany(comboWrites(combos()));
    expect(written.errors.size).toBe(0);
    const r = await sb.run(['diff', 'billing/staging', 'billing/production', '--all', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as DiffJson;
    const byKey = new Map(json.keys.map((k) => [k.key, k]));
    for (const c of combos()) {
      const row = byKey.get(c.key);
      if (c.status === undefined) {
        expect(row, c.key).toBeUndefined();
        continue;
      }
      expect({ key: c.key, status: row?.status, a: row?.in['billing/staging']?.scope ?? null, b: row?.in['billing/production']?.scope ?? null }).toEqual({
        key: c.key,
        status: c.status,
        a: c.a,
        b: c.b,
      });
    }
    const differences = combos().filter((c) => c.status === 'missing' || c.status === 'differ');
    const plain = await sb.run(['diff', 'billing/staging', 'billing/production']);
    expect(
      plain.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[0]),
    ).toEqual(differences.map((c) => c.key).sort());
    expect(plain.stderr).toMatch(/\d+ keys have equal values from different scopes: show them with --scopes/);
    const scopes = await sb.run(['diff', 'billing/staging', 'billing/production', '--scopes']);
    expect(scopes.stdout.trim().split('\n')).toHaveLength(differences.length + combos().filter((c) => c.status === 'scope').length);
  });

  describe('two deployments', () => {
    async function world(): Promise<void> {
      sb = sandbox();
      await seed(sb, { DB_URL: CANARY, ONLY_STAGING: CANARY }, ['-p', 'billing', '-d', 'staging']);
      await seed(sb, { DB_URL: `${CANARY}-prod` }, ['-p', 'billing', '-d', 'production']);
      await seed(sb, { LOG_LEVEL: 'info' }, ['-d', 'staging']);
      await seed(sb, { LOG_LEVEL: 'info' }, ['-p', 'billing']);
      await seed(sb, { REGION: 'eu' });
      await seed(sb, { REGION: 'eu' }, ['-p', 'billing', '-d', 'production']);
      await seed(sb, { SHARED: CANARY });
    }

    it('piped: tab-separated differences, words for scopes and values; --exit-code', async () => {
      await world();
      const r = await sb.run(['diff', 'billing/staging', 'billing/production']);
      expect(r).toMatchObject({ code: 0, stdout: 'DB_URL\tproject-domain\tproject-domain\tdiffer\nONLY_STAGING\tproject-domain\tmissing\t-\n' });
      expect(r.stderr).toContain('1 key has equal values from different scopes: show it with --scopes');
      expect((await sb.run(['diff', 'billing/staging', 'billing/production', '--exit-code'])).code).toBe(1);
      const scopes = await sb.run(['diff', 'billing/staging', 'billing/production', '--scopes']);
      expect(scopes.stdout).toContain('REGION\torg\tproject-domain\tequal\n');
      const all = await sb.run(['diff', 'billing/staging', 'billing/production', '--all']);
      expect(all.stdout).toContain('LOG_LEVEL\tproject\tproject\tequal\n');
      expect(all.stdout).toContain('SHARED\torg\torg\tequal\n');
    });

    it('no differences: empty stdout, a line on stderr, exit 0 even with --exit-code; scope-only differences count with --scopes', async () => {
      sb = sandbox();
      await seed(sb, { A: 'x' });
      await seed(sb, { A: 'x' }, ['-p', 'billing', '-d', 'production']);
      const r = await sb.run(['diff', 'billing/staging', 'billing/production', '--exit-code']);
      expect(r).toMatchObject({ code: 0, stdout: '' });
      expect(r.stderr).toContain('No differences between billing/staging and billing/production (1 key compared).');
      expect((await sb.run(['diff', 'billing/staging', 'billing/production', '--exit-code', '--scopes'])).code).toBe(1);
    });

    it('on a terminal: aligned columns with a header', async () => {
      await world();
      const r = await sb.run(['diff', 'billing/staging', 'billing/production', '--no-color'], { tty: true });
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')[0]).toMatch(/^KEY\s+billing\/staging\s+billing\/production\s+VALUES$/);
      expect(r.stdout).toMatch(/ONLY_STAGING\s+project-domain\s+missing\s+-\n/);
    });

    it('never prints a value: every format, --debug, and equal or different values', async () => {
      await world();
      for (const extra of [[], ['-o', 'json'], ['-o', 'yaml'], ['--all', '--debug'], ['--all', '-o', 'json', '--debug']]) {
        for (const tty of [false, true]) {
          const r = await sb.run(['diff', 'billing/staging', 'billing/production', 'billing/dev', ...extra], { tty });
          expect(r.code, r.stderr).toBe(0);
          expect(r.stdout + r.stderr).not.toContain('canary');
        }
      }
      const debug = await sb.run(['diff', 'billing/staging', 'billing/production', '--all', '--debug']);
      expect(debug.stderr).toMatch(/debug: diff: one listing of 6 scope prefixes for 2 deployments/);
      expect(debug.stderr).toMatch(/debug: diff: 5 keys; reading 4 values to compare \(never shown\)/);
    });

    it('binary values byte for byte; text never equals binary', async () => {
      sb = sandbox();
      const bytes = Buffer.from([0, 1, 2, 255]);
      await seed(sb, { SAME: bytes, OTHER: bytes, MIXED: 'abc' }, ['-p', 'p', '-d', 'a']);
      await seed(sb, { SAME: Buffer.from(bytes), OTHER: Buffer.from([0, 1, 2, 254]) }, ['-p', 'p', '-d', 'b']);
      // The same bytes stored as SecretBinary (the CLI keeps valid UTF-8 as text, so write it directly).
      const name = 'scoped/default/p/b/MIXED';
      const store = new LocalStore({ home: sb.home, log: { debug: () => undefined } });
      expect((await store.writeMany([{ kind: 'create', input: { name, value: new Uint8Array([97, 98, 99]), tags: {} } }])).errors.size).toBe(0);
      const r = await sb.run(['diff', 'p/a', 'p/b', '--all']);
      expect(r.stdout).toBe('MIXED\tproject-domain\tproject-domain\tdiffer\nOTHER\tproject-domain\tproject-domain\tdiffer\nSAME\tproject-domain\tproject-domain\tequal\n');
    });

    it.each([
      [['diff', 'billing/staging'], /diff compares two deployments or more; one given; e\.g\. scoped diff billing\/staging billing\/production/],
      [['diff'], /diff compares two deployments or more; none given/],
      [['diff', 'billing/staging', 'billing'], /invalid deployment "billing"; write a deployment as PROJECT\/DOMAIN/],
      [['diff', 'billing/staging', '_/staging'], /needs a project, not _/],
      [['diff', 'a/b', 'c/d', 'a/b'], /deployment a\/b is given twice/],
      [['--org', 'Bad', 'diff', 'a/b', 'c/d'], /invalid org name "Bad"/],
    ])('usage errors: %j -> exit 2, one line, empty stdout', async (argv, message) => {
      sb = sandbox();
      const r = await sb.run(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  });

  describe('a matrix of three deployments or more', () => {
    async function world(): Promise<void> {
      sb = sandbox();
      await seed(sb, { DB_URL: 'a', TOKEN: 'x' }, ['-p', 'billing', '-d', 'staging']);
      await seed(sb, { DB_URL: 'b', TOKEN: 'x' }, ['-p', 'billing', '-d', 'production']);
      await seed(sb, { DB_URL: 'a' }, ['-p', 'search', '-d', 'production']);
      await seed(sb, { TOKEN: 'x' }, ['-d', 'production']);
      await seed(sb, { ORG_WIDE: 'o' });
    }
    const deps = ['billing/staging', 'billing/production', 'search/production'];

    it('piped: KEY and one cell per deployment, scope abbreviated and a letter per distinct value', async () => {
      await world();
      const r = await sb.run(['diff', ...deps]);
      // TOKEN: equal everywhere, from different scopes: not a value difference
      expect(r).toMatchObject({ code: 0, stdout: 'DB_URL\tpd:a\tpd:b\tpd:a\n' });
      expect(r.stderr).toContain('scopes: pd project-domain, p project, d domain, o org; a, b, ...: equal values share a letter within a row; - missing');
      expect((await sb.run(['diff', ...deps, '--all'])).stdout).toContain('ORG_WIDE\to:a\to:a\to:a\n');
      expect((await sb.run(['diff', ...deps, '--scopes'])).stdout).toContain('TOKEN\tpd:a\tpd:a\td:a\n');
      expect((await sb.run(['diff', ...deps, '--exit-code'])).code).toBe(1);
    });

    it('-o json: per key, per deployment: scope, name, valueGroup (null where missing)', async () => {
      await world();
      const r = await sb.run(['diff', ...deps, 'billing/dev', '-o', 'json']);
      const json = JSON.parse(r.stdout) as DiffJson;
      expect(json.deployments).toEqual([...deps, 'billing/dev']);
      expect(json.keys.find((k) => k.key === 'DB_URL')).toEqual({
        key: 'DB_URL',
        status: 'missing',
        in: {
          'billing/staging': { scope: 'project-domain', name: 'scoped/default/billing/staging/DB_URL', valueGroup: 'a' },
          'billing/production': { scope: 'project-domain', name: 'scoped/default/billing/production/DB_URL', valueGroup: 'b' },
          'search/production': { scope: 'project-domain', name: 'scoped/default/search/production/DB_URL', valueGroup: 'a' },
          'billing/dev': null,
        },
      });
      expect(r.stderr).toBe('');
    });

    it('on an 80-column terminal: every line fits, every deployment and key shown', async () => {
      sb = sandbox();
      const many = ['billing-service/production-eu', 'billing-service/staging-eu', 'search-api/production-eu', 'search-api/staging-eu', 'ml-platform/dev'];
      for (const [i, d] of many.entries()) {
        const [p, dom] = d.split('/') as [string, string];
        await seed(sb, { DATABASE_CONNECTION_STRING: `v${i % 2}`, [`KEY_${i}`]: 'x' }, ['-p', p, '-d', dom]);
      }
      const r = await sb.run(['diff', ...many, '--no-color'], { tty: true });
      const lines = r.stdout.trimEnd().split('\n');
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(80);
      for (const d of many) expect(r.stdout).toContain(d.split('/')[0]);
      expect(lines.filter((l) => l.startsWith('DATABASE_CONNECTION_STRING')).join(' ')).toMatch(/pd:a.*pd:b.*pd:a.*pd:b.*pd:a/);
    });
  });
});

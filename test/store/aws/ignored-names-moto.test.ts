/**
 * Secrets under the prefix that are not scoped's (a name that breaks the layout, or scoped's tags under
 * another name) are left out of every listing: never silently. `--debug` names them (names only, never
 * values), and `resolve KEY` for a key that is not found while such a look-alike exists says why, in
 * its one hint.
 */
import { beforeAll, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors.js';
import { sandbox } from '../../helpers/io.js';
import { awsTestEnv, describeWithMoto, motoStore } from '../../helpers/moto.js';

const MARK = 'marker-ignored-value';

describeWithMoto('ignored names', (moto) => {
  const org = 'ignored1';
  const p = `scoped/${org}/_/_/`;
  beforeAll(async () => {
    const store = await motoStore(moto().endpoint);
    await store.create({ name: `${p}GOOD`, value: MARK, tags: { 'scoped:org': org, 'scoped:key': 'GOOD' } });
    await store.create({ name: `${p}DB-URL`, value: MARK, tags: {} });
    await store.create({ name: `${p}nested/TOKEN`, value: MARK, tags: { 'scoped:org': org, 'scoped:key': 'TOKEN' } });
  });

  const run = async (args: string[]) => {
    const sb = sandbox(awsTestEnv(moto().endpoint));
    try {
      return await sb.run(['--backend', 'aws', '--org', org, '--endpoint-url', moto().endpoint, ...args]);
    } finally {
      sb.cleanup();
    }
  };

  it.each([
    ['resolve', ['resolve']],
    ['resolve -o json', ['resolve', '-o', 'json']],
    ['export', ['export', '--format', 'json']],
    ['get secret --all', ['get', 'secret', '--all']],
  ])('%s --debug names each ignored secret and why, never a value', async (_label, args) => {
    const r = await run(['--debug', ...args]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`debug: ignored ${p}DB-URL: its name's parts are not a valid org, project, domain and key`);
    // Listings with metadata (resolve -o json, get secret) see its tags; name-only ones (resolve, export) its name.
    expect(r.stderr).toMatch(
      new RegExp(
        `debug: ignored ${p}nested/TOKEN: (it carries scoped's tags \\(key TOKEN\\) but its name|its name) does not follow scoped's layout PREFIX/ORG/PROJECT\\|_/DOMAIN\\|_/KEY`,
      ),
    );
    expect(r.stderr).not.toContain(MARK);
  });

  it('without --debug, nothing about them', async () => {
    const r = await run(['resolve']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('resolve DB_URL: not found, with one hint naming the look-alike and why it is ignored', async () => {
    const r = await run(['resolve', 'DB_URL']);
    expect(r.code).toBe(ExitCode.notFound);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`key DB_URL not visible to org ${org}`);
    expect(r.stderr).toContain(`secret ${p}DB-URL looks like DB_URL but is ignored: its name's parts are not a valid org, project, domain and key`);
    expect(r.stderr).not.toContain(MARK);
  });

  it("resolve TOKEN: the hint names the secret whose name breaks the layout; with -o json, that it carries scoped's tags", async () => {
    const r = await run(['resolve', 'TOKEN']);
    expect(r.code).toBe(ExitCode.notFound);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`secret ${p}nested/TOKEN looks like it but is ignored: its name does not follow scoped's layout`);
    const j = await run(['resolve', 'TOKEN', '-o', 'json']);
    expect(j.code).toBe(ExitCode.notFound);
    expect(j.stderr).toContain(`secret ${p}nested/TOKEN looks like it but is ignored: it carries scoped's tags (key TOKEN)`);
  });

  it('a key with no look-alike keeps the usual hint', async () => {
    const r = await run(['resolve', 'NOPE']);
    expect(r.code).toBe(ExitCode.notFound);
    expect(r.stderr).toContain('--explain');
    expect(r.stderr).not.toContain('is ignored');
  });
});

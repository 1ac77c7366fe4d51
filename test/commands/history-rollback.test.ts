/**
 * `history secret` and `rollback secret` on the local store, through main: every kept version newest
 * first with who wrote it; --previous and --to put the right bytes back with no new version; confirmation
 * on a terminal, --yes in scripts, exit 2 with neither; an unknown version is exit 3, one already current
 * exit 0 with nothing written. Never a value in any output.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { localWriter } from '../../src/store/local/writer.js';
import { sandbox, type Sandbox } from '../helpers/io.js';

const KEY = Buffer.alloc(32, 21).toString('base64');
const CANARY = 'canary-history-4b1e';
const where = ['-p', 'billing'];

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox({ SCOPED_LOCAL_KEY: KEY });
});
afterEach(() => sb.cleanup());

interface Row {
  versionId: string;
  stages: string[];
  createdAt: string;
  createdBy: string | null;
}

async function history(): Promise<Row[]> {
  const r = await sb.run(['history', 'secret', 'API_KEY', ...where, '-o', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { versions: Row[] }).versions;
}

async function reveal(): Promise<string> {
  const r = await sb.run(['get', 'secret', 'API_KEY', ...where, '--reveal']);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trimEnd();
}

/** v0 .. v4: five versions, v4 current. */
async function fiveVersions(): Promise<void> {
  expect((await sb.run(['create', 'secret', 'API_KEY', ...where], { stdin: `${CANARY}-v0` })).code).toBe(0);
  for (let i = 1; i < 5; i++) expect((await sb.run(['update', 'secret', 'API_KEY', ...where], { stdin: `${CANARY}-v${i}` })).code).toBe(0);
}

describe('history secret (local)', () => {
  it('five versions newest first, stages, dates and user@host; plain text too; never a value', async () => {
    await fiveVersions();
    const rows = await history();
    expect(rows).toHaveLength(5);
    expect(rows.map((r) => r.stages)).toEqual([['AWSCURRENT'], ['AWSPREVIOUS'], [], [], []]);
    const times = rows.map((r) => Date.parse(r.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const who = localWriter();
    for (const r of rows) expect(r.createdBy).toBe(who ?? null);
    const plain = await sb.run(['history', 'secret', 'API_KEY', ...where]);
    expect(
      plain.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split('\t')[0]),
    ).toEqual(rows.map((r) => r.versionId));
    const yaml = await sb.run(['history', 'secret', 'API_KEY', ...where, '-o', 'yaml']);
    expect(yaml.code, yaml.stderr).toBe(0);
    expect((parseYaml(yaml.stdout) as { versions: Row[] }).versions.map((r) => r.versionId)).toEqual(rows.map((r) => r.versionId));
    const table = await sb.run(['history', 'secret', 'API_KEY', ...where], { tty: true, columns: 200 });
    expect(table.stdout).toContain('WHO');
    for (const out of [plain, yaml, table]) expect(out.stdout + out.stderr).not.toContain(CANARY);
  });

  it('a missing secret is exit 3, naming the key', async () => {
    const r = await sb.run(['history', 'secret', 'NOPE', ...where]);
    expect([r.code, r.stdout]).toEqual([3, '']);
    expect(r.stderr).toContain('NOPE');
  });
});

describe('rollback secret (local)', () => {
  it('--previous: the previous bytes are current, AWSPREVIOUS on the replaced version, no new version', async () => {
    await fiveVersions();
    const before = await history();
    const r = await sb.run(['rollback', 'secret', 'API_KEY', ...where, '--previous', '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('no new version was written');
    expect(await reveal()).toBe(`${CANARY}-v3`);
    const after = await history();
    expect(after.map((v) => v.versionId)).toEqual(before.map((v) => v.versionId));
    expect(after.map((v) => v.stages)).toEqual([['AWSPREVIOUS'], ['AWSCURRENT'], [], [], []]);
    expect(r.stdout + r.stderr).not.toContain(CANARY);
  });

  it('--to a deprecated version: its bytes are current; the one it replaced is AWSPREVIOUS; -o json says what moved', async () => {
    await fiveVersions();
    const before = await history();
    const oldest = before[4] as Row;
    const r = await sb.run(['rollback', 'secret', 'API_KEY', ...where, '--to', oldest.versionId, '--yes', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ key: 'API_KEY', from: before[0]?.versionId, to: oldest.versionId, moved: true });
    expect(await reveal()).toBe(`${CANARY}-v0`);
    const after = await history();
    expect(after).toHaveLength(5);
    expect(after.map((v) => v.stages)).toEqual([['AWSPREVIOUS'], [], [], [], ['AWSCURRENT']]);
  });

  it('on a terminal it asks; no is exit 130 with nothing moved, yes moves', async () => {
    await fiveVersions();
    const no = await sb.run(['rollback', 'secret', 'API_KEY', ...where, '--previous'], { tty: true, answers: [false] });
    expect(no.code).toBe(130);
    expect(no.io.prompts[0]).toMatch(/^Make version .* current for API_KEY/);
    expect(await reveal()).toBe(`${CANARY}-v4`);
    const yes = await sb.run(['rollback', 'secret', 'API_KEY', ...where, '--previous'], { tty: true, answers: [true] });
    expect(yes.code, yes.stderr).toBe(0);
    expect(await reveal()).toBe(`${CANARY}-v3`);
  });

  it('without a terminal and without --yes: exit 2, nothing moved; --dry-run needs neither and moves nothing', async () => {
    await fiveVersions();
    const r = await sb.run(['rollback', 'secret', 'API_KEY', ...where, '--previous']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain('add --yes');
    const dry = await sb.run(['rollback', 'secret', 'API_KEY', ...where, '--previous', '--dry-run']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('dry run: nothing was moved');
    expect(await reveal()).toBe(`${CANARY}-v4`);
  });

  it('an unknown version id is exit 3; a malformed one exit 2; neither or both flags exit 2; nothing moved', async () => {
    await fiveVersions();
    const unknown = await sb.run(['rollback', 'secret', 'API_KEY', ...where, '--to', '00000000-0000-4000-8000-000000000000', '--yes']);
    expect([unknown.code, unknown.stdout]).toEqual([3, '']);
    expect(unknown.stderr).toContain('has no version 00000000-0000-4000-8000-000000000000');
    expect((await sb.run(['rollback', 'secret', 'API_KEY', ...where, '--to', 'nope', '--yes'])).code).toBe(2);
    expect((await sb.run(['rollback', 'secret', 'API_KEY', ...where, '--yes'])).code).toBe(2);
    const current = (await history())[0] as Row;
    expect((await sb.run(['rollback', 'secret', 'API_KEY', ...where, '--previous', '--to', current.versionId, '--yes'])).code).toBe(2);
    expect(await reveal()).toBe(`${CANARY}-v4`);
  });

  it('the version already current: said so, exit 0, nothing written', async () => {
    await fiveVersions();
    const before = await history();
    const r = await sb.run(['rollback', 'secret', 'API_KEY', ...where, '--to', (before[0] as Row).versionId, '--yes', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('is already current; nothing to do');
    expect(JSON.parse(r.stdout)).toMatchObject({ moved: false });
    expect(await history()).toEqual(before);
  });

  it('a secret with one version has no previous: exit 3', async () => {
    expect((await sb.run(['create', 'secret', 'API_KEY', ...where], { stdin: 'only' })).code).toBe(0);
    const r = await sb.run(['rollback', 'secret', 'API_KEY', ...where, '--previous', '--yes']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('has no previous version');
  });

  it('rollback alone, or with an unknown resource, is a usage error naming what it takes', async () => {
    const bare = await sb.run(['rollback']);
    expect([bare.code, bare.stderr]).toEqual([2, expect.stringContaining('rollback needs a resource (secret KEY) or --pinned FILE')]);
    const both = await sb.run(['rollback', 'secret', 'X', '--previous', '--pinned', 'r.pin.json', '--yes']);
    expect([both.code, both.stderr]).toEqual([2, expect.stringContaining('use it as rollback --pinned FILE, without secret KEY')]);
    const typo = await sb.run(['rollback', 'secrte', 'X']);
    expect([typo.code, typo.stderr]).toEqual([2, expect.stringContaining("unknown resource 'secrte' for rollback")]);
  });
});

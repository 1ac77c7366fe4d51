/**
 * Rollback refusals on the local store, through main. A dry run answers as the real run would, up to the
 * point of moving: a plan the real run refuses is refused by the dry run with the same exit code and the
 * same stderr, and stdout empty; a plan that would succeed is still exit 0 with the plan.
 * `rollback secret KEY --previous --to ID` is a usage error (exit 2) saying the two cannot be combined, one
 * line with what to do; not 'needs either', which is what neither flag gets. Nothing moves.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localSandboxEach, rollbackRuns } from '../helpers/rollback-runs.js';

const CANARY = 'canary-dryrun-refusal-7e31';
const D = ['-p', 'dd', '-d', 'prod'];

const { sb } = localSandboxEach(23);
const { ok, stagesOf, sameRefusal } = rollbackRuns(sb, CANARY);

describe('rollback secret --dry-run refuses what the real run refuses (local)', () => {
  it('a secret scheduled for deletion: exit 4 with the restore command, dry run and real run alike; nothing moved', async () => {
    await ok(['create', 'secret', 'DEL1', '-p', 'dd'], `${CANARY}-v0`);
    await ok(['update', 'secret', 'DEL1', '-p', 'dd'], `${CANARY}-v1`);
    const before = await stagesOf('DEL1', '-p', 'dd');
    await ok(['delete', 'secret', 'DEL1', '-p', 'dd', '--yes']);
    const err = await sameRefusal(['rollback', 'secret', 'DEL1', '-p', 'dd', '--previous'], 4);
    expect(err).toContain('scheduled for deletion');
    expect(err).toContain('scoped restore secret DEL1 --project dd');
    await ok(['restore', 'secret', 'DEL1', '-p', 'dd']);
    expect(await stagesOf('DEL1', '-p', 'dd')).toEqual(before);
  });

  it('a plan that would succeed: the dry run is exit 0 with the plan, and moves nothing', async () => {
    await ok(['create', 'secret', 'OK1', '-p', 'dd'], `${CANARY}-v0`);
    await ok(['update', 'secret', 'OK1', '-p', 'dd'], `${CANARY}-v1`);
    const before = await stagesOf('OK1', '-p', 'dd');
    const dry = await sb().run(['rollback', 'secret', 'OK1', '-p', 'dd', '--previous', '--dry-run', '-o', 'json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ from: before[0]?.versionId, to: before[1]?.versionId, moved: false, dryRun: true });
    expect(await stagesOf('OK1', '-p', 'dd')).toEqual(before);
  });
});

describe('rollback --pinned --dry-run refuses what the real run refuses (local)', () => {
  async function deploy(tag: string): Promise<void> {
    await ok(['set', 'secret', 'LOG'], `${CANARY}-log-${tag}`);
    await ok(['set', 'secret', 'DB', '-p', 'dd'], `${CANARY}-db-${tag}`);
    await ok(['set', 'secret', 'Q2', ...D], `${CANARY}-q2-${tag}`);
  }
  const pinFile = () => join(sb().dir, 'r1.pin.json');

  it('a key scheduled for deletion since the pin: exit 4 for both, the same stderr, stdout empty', async () => {
    await deploy('r1');
    await ok(['pin', ...D, '--out', pinFile()]);
    await deploy('r2');
    await ok(['delete', 'secret', 'Q2', ...D, '--yes']);
    const err = await sameRefusal(['rollback', '--pinned', pinFile()], 4);
    expect(err).toContain('nothing was moved');
    expect(err).toContain('scoped restore secret Q2 --project dd --domain prod');
    expect(JSON.parse(await ok(['export', '-p', 'dd', '--format', 'json']))).toMatchObject({ DB: `${CANARY}-db-r2` });
  });

  it('a pinned version no longer kept: exit 3 for both, the same stderr, stdout empty', async () => {
    await deploy('r1');
    await ok(['pin', ...D, '--out', pinFile()]);
    await deploy('r2');
    const pin = JSON.parse(readFileSync(pinFile(), 'utf8')) as { secrets: { key: string; versionId: string }[] };
    const gone = randomUUID();
    for (const e of pin.secrets) if (e.key === 'Q2') e.versionId = gone;
    writeFileSync(pinFile(), JSON.stringify(pin));
    const err = await sameRefusal(['rollback', '--pinned', pinFile()], 3);
    expect(err).toContain(`pinned version ${gone} is no longer kept`);
    expect(JSON.parse(await ok(['export', ...D, '--format', 'json']))).toMatchObject({ DB: `${CANARY}-db-r2`, LOG: `${CANARY}-log-r2` });
  });

  it('a plan that would succeed: the dry run is exit 0 with the plan on stdout', async () => {
    await deploy('r1');
    await ok(['pin', ...D, '--out', pinFile()]);
    await deploy('r2');
    const dry = await sb().run(['rollback', '--pinned', pinFile(), '--dry-run', '-o', 'json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain('dry run: 3 of 3 pinned key(s) to move; nothing was moved');
    expect((JSON.parse(dry.stdout) as { keys: { state: string }[] }).keys.map((k) => k.state)).toEqual(['move', 'move', 'move']);
  });
});

describe('rollback secret --previous --to (local)', () => {
  it('both given: exit 2, "cannot be combined" with what to do, in one line; neither still "needs either"; nothing moved', async () => {
    await ok(['create', 'secret', 'BOTH', '-p', 'dd'], `${CANARY}-v0`);
    await ok(['update', 'secret', 'BOTH', '-p', 'dd'], `${CANARY}-v1`);
    const before = await stagesOf('BOTH', '-p', 'dd');
    const r = await sb().run(['rollback', 'secret', 'BOTH', '-p', 'dd', '--previous', '--to', (before[1] as { versionId: string }).versionId, '--yes']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain('--previous and --to cannot be combined');
    expect(r.stderr).not.toContain('needs either');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    const neither = await sb().run(['rollback', 'secret', 'BOTH', '-p', 'dd', '--yes']);
    expect([neither.code, neither.stderr]).toEqual([2, expect.stringContaining('needs either --previous or --to')]);
    expect(await stagesOf('BOTH', '-p', 'dd')).toEqual(before);
  });
});

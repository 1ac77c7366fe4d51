/**
 * `rollback --pinned FILE` when a pinned version already carries the 20 staging labels Secrets Manager
 * allows on one version (put there by another tool, or by old `pin --protect` runs): the plan refuses up
 * front, before anything moves, in one line naming the key, its scope, the version, the secret and what to do (exit 4,
 * as `rollback secret` to such a version), and `--dry-run` answers the same (same stderr, same exit code,
 * stdout empty). Before, the real run moved the keys planned before it, then stopped (exit 4, naming what
 * moved), and the dry run printed a plan and exited 0. At the limit's edge, a version whose 20 labels
 * include AWSPREVIOUS (which leaves it as AWSCURRENT arrives) still rolls back. Local store, through main;
 * the labels are put on with the store itself (another tool's doing).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretName } from '../../src/core/naming.js';
import type { Scope } from '../../src/core/scope.js';
import { LocalStore } from '../../src/store/local/local-store.js';
import { localSandboxEach, rollbackRuns } from '../helpers/rollback-runs.js';

const CANARY = 'canary-pinned-labels-4b19';
const D = ['-p', 'dd', '-d', 'prod'];
const Q2: Scope = { org: 'acme', project: 'dd', domain: 'prod' };

const { sb, key: KEY } = localSandboxEach(25);
const { ok, sameRefusal } = rollbackRuns(sb, CANARY);

/** Three keys at three scopes of dd/prod; Q2 (project+domain) comes last in the plan. */
async function deploy(tag: string): Promise<void> {
  await ok(['set', 'secret', 'LOG'], `${CANARY}-log-${tag}`);
  await ok(['set', 'secret', 'DB', '-p', 'dd'], `${CANARY}-db-${tag}`);
  await ok(['set', 'secret', 'Q2', ...D], `${CANARY}-q2-${tag}`);
}

const pinFile = () => join(sb().dir, 'r1.pin.json');
const exported = async () => JSON.parse(await ok(['export', ...D, '--format', 'json'])) as Record<string, string>;

/** Q2's versions as the store keeps them: id and labels. */
async function q2Versions(store: LocalStore): Promise<{ versionId: string; stages: string[] }[]> {
  return (await store.listVersions(secretName('scoped/', Q2, 'Q2'))).map((v) => ({ versionId: v.versionId, stages: [...v.stages].sort() }));
}

/** Q2's pinned version (the one r1 wrote) given `count` labels of another tool's. */
async function labelPinned(count: number): Promise<{ store: LocalStore; pinned: string }> {
  const store = new LocalStore({ home: sb().home, envKey: KEY });
  const pinned = (JSON.parse(readFileSync(pinFile(), 'utf8')) as { secrets: { key: string; versionId: string }[] }).secrets.find((e) => e.key === 'Q2')?.versionId as string;
  for (let i = 0; i < count; i++) await store.updateStage(secretName('scoped/', Q2, 'Q2'), `other-tool-${i}`, { to: pinned });
  return { store, pinned };
}

describe('rollback --pinned: a pinned version with no room for AWSCURRENT (local)', () => {
  it("20 labels on the last key's pinned version: refused up front, dry run and real run alike (exit 4), nothing moved", async () => {
    await deploy('r1');
    await ok(['pin', ...D, '--out', pinFile()]);
    await deploy('r2');
    await deploy('r3'); // the pinned versions lose AWSPREVIOUS: 20 other labels are then all Q2's pinned version can carry
    const { store, pinned } = await labelPinned(20);
    const before = await q2Versions(store);
    expect(before.find((v) => v.versionId === pinned)?.stages).toHaveLength(20);

    const err = await sameRefusal(['rollback', '--pinned', pinFile()], 4);
    const line = err.trimEnd().split('\n').at(-1) as string;
    expect(line).toContain(`cannot roll back to pin file ${pinFile()}, nothing was moved`);
    expect(line).toContain(`Q2 at org acme, project dd, domain prod: pinned version ${pinned} of secret scoped/acme/dd/prod/Q2 already carries 20 staging labels`);
    expect(line).toContain('scoped history secret Q2 --project dd --domain prod');
    expect(line).toContain('scoped pin --unprotect');
    expect(line).not.toContain('stopped at');
    // The plan lines before it say which key is in the way.
    expect(err).toContain(`Q2 at org acme, project dd, domain prod: pinned version ${pinned} carries 20 staging labels already`);
    expect(await exported()).toEqual({ LOG: `${CANARY}-log-r3`, DB: `${CANARY}-db-r3`, Q2: `${CANARY}-q2-r3` });
    expect(await q2Versions(store)).toEqual(before);

    // -o json changes nothing about the refusal: stdout stays empty.
    const json = await sb().run(['rollback', '--pinned', pinFile(), '--dry-run', '-o', 'json']);
    expect([json.code, json.stdout]).toEqual([4, '']);

    // One label taken off: the same rollback goes through.
    await store.updateStage(secretName('scoped/', Q2, 'Q2'), 'other-tool-0', { from: pinned });
    const r = await sb().run(['rollback', '--pinned', pinFile(), '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(await exported()).toEqual({ LOG: `${CANARY}-log-r1`, DB: `${CANARY}-db-r1`, Q2: `${CANARY}-q2-r1` });
    expect((await q2Versions(store)).find((v) => v.versionId === pinned)?.stages).toHaveLength(20);
  });

  it('20 labels of which one is AWSPREVIOUS: AWSPREVIOUS leaves as AWSCURRENT arrives, so the rollback goes through (dry run exit 0 first)', async () => {
    await deploy('r1');
    await ok(['pin', ...D, '--out', pinFile()]);
    await deploy('r2');
    const { store, pinned } = await labelPinned(19);
    expect((await q2Versions(store)).find((v) => v.versionId === pinned)?.stages).toEqual(['AWSPREVIOUS', ...Array.from({ length: 19 }, (_, i) => `other-tool-${i}`)].sort());

    const dry = await sb().run(['rollback', '--pinned', pinFile(), '--dry-run', '-o', 'json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect((JSON.parse(dry.stdout) as { keys: { key: string; state: string }[] }).keys.map((k) => [k.key, k.state])).toEqual([
      ['DB', 'move'],
      ['LOG', 'move'],
      ['Q2', 'move'],
    ]);
    const r = await sb().run(['rollback', '--pinned', pinFile(), '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect(await exported()).toEqual({ LOG: `${CANARY}-log-r1`, DB: `${CANARY}-db-r1`, Q2: `${CANARY}-q2-r1` });
    expect((await q2Versions(store)).find((v) => v.versionId === pinned)?.stages).toEqual(['AWSCURRENT', ...Array.from({ length: 19 }, (_, i) => `other-tool-${i}`)].sort());
  });

  it('two keys in the way, one deleted since the pin and one full: both named in the one line, the first deciding the exit code', async () => {
    await deploy('r1');
    await ok(['pin', ...D, '--out', pinFile()]);
    await deploy('r2');
    await deploy('r3');
    const { pinned } = await labelPinned(20);
    await ok(['delete', 'secret', 'DB', '-p', 'dd', '--yes']);
    const err = await sameRefusal(['rollback', '--pinned', pinFile()], 4);
    const line = err.trimEnd().split('\n').at(-1) as string;
    expect(line).toContain('DB at org acme, project dd was deleted since the pin (undo that with: scoped restore secret DB --project dd)');
    expect(line).toContain(`Q2 at org acme, project dd, domain prod: pinned version ${pinned} of secret scoped/acme/dd/prod/Q2 already carries 20 staging labels`);
    expect(line).toContain('restore the deleted keys');
    expect(line).toContain('scoped pin --unprotect');
  });
});

/**
 * `rollback --pinned FILE` on the AWS backend (moto) when a pinned version already carries the 20 staging
 * labels Secrets Manager allows on one version (put there by another tool): the plan refuses up front,
 * nothing moved, one line naming the key, its scope, the version, the secret and what to do (exit 4), and
 * `--dry-run` answers the same. Before, the real run moved the keys planned before it and stopped partway
 * (moto does not enforce the limit; scoped's store does, before each request), and the dry run printed
 * the plan with exit 0. At the edge, 20 labels of which one is AWSPREVIOUS still roll back. Every
 * version's labels are read back through the store (ListSecretVersionIds) to show nothing moved.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { secretName } from '../../src/core/naming.js';
import { describeWithMoto } from '../helpers/moto.js';
import { motoSandboxAll, rollbackRuns } from '../helpers/rollback-runs.js';

const CANARY = 'canary-pinned-labels-moto-8d27';

describeWithMoto('rollback --pinned: a pinned version with no room for AWSCURRENT (moto)', (moto) => {
  const { sb, store, n: count } = motoSandboxAll(moto);
  const { ok, sameRefusal } = rollbackRuns(sb, CANARY);

  /** Every version's labels, by version id (deprecated ones included). */
  const stages = async (name: string) => Object.fromEntries((await store().listVersions(name)).map((v) => [v.versionId, [...v.stages].sort()]));

  /**
   * Three keys over the scopes of app<n>/prod (project-level ones only, so other tests' keys stay out of
   * the deployment), written `after` more times once pinned. Q is at project+domain, last in the plan.
   */
  async function pinnedDeployment(after: number): Promise<{ n: number; pin: string; names: Record<string, string>; pinned: string }> {
    const n = count();
    const project = `app${n}`;
    const D = ['-p', project, '-d', 'prod'];
    const keys = [
      ['A', ['-p', project], { org: 'acme', project }],
      ['B', ['-p', project], { org: 'acme', project }],
      ['Q', D, { org: 'acme', project, domain: 'prod' }],
    ] as const;
    const write = async (tag: string) => {
      for (const [k, w] of keys) await ok(['set', 'secret', `${k}${n}`, ...w], `${CANARY}-${k}-${tag}`);
    };
    await write('r1');
    const pin = join(sb().dir, `r1-${n}.pin.json`);
    await ok(['pin', ...D, '--out', pin]);
    for (let i = 2; i < 2 + after; i++) await write(`r${i}`);
    const names = Object.fromEntries(keys.map(([k, , scope]) => [k, secretName('scoped/', scope, `${k}${n}`)]));
    const pinned = (JSON.parse(readFileSync(pin, 'utf8')) as { secrets: { key: string; versionId: string }[] }).secrets.find((e) => e.key === `Q${n}`)?.versionId as string;
    return { n, pin, names, pinned };
  }

  /** Every key's labels, by key. */
  const allStages = async (names: Record<string, string>) =>
    Object.fromEntries(await Promise.all(Object.entries(names).map(async ([k, name]) => [k, await stages(name)] as const)));

  it("20 labels on the last key's pinned version: refused up front, dry run and real run alike (exit 4), nothing moved", async () => {
    const { n, pin, names, pinned } = await pinnedDeployment(2);
    for (let i = 0; i < 20; i++) await store().updateStage(names.Q as string, `other-tool-${i}`, { to: pinned });
    const before = await allStages(names);
    expect(before.Q?.[pinned]).toHaveLength(20);

    const err = await sameRefusal(['rollback', '--pinned', pin], 4);
    const line = err.trimEnd().split('\n').at(-1) as string;
    expect(line).toContain(`cannot roll back to pin file ${pin}, nothing was moved`);
    expect(line).toContain(`Q${n} at org acme, project app${n}, domain prod: pinned version ${pinned} of secret ${names.Q} already carries 20 staging labels`);
    expect(line).toContain(`scoped history secret Q${n} --project app${n} --domain prod`);
    expect(line).toContain('scoped pin --unprotect');
    expect(line).not.toContain('stopped at');
    expect(await allStages(names)).toEqual(before);

    // One label taken off by the other tool: the same rollback goes through, every key to its pin.
    await store().updateStage(names.Q as string, 'other-tool-0', { from: pinned });
    const r = await sb().run(['rollback', '--pinned', pin, '--yes', '-o', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { keys: { key: string; moved: boolean }[] }).keys.map((k) => [k.key, k.moved])).toEqual([
      [`A${n}`, true],
      [`B${n}`, true],
      [`Q${n}`, true],
    ]);
    expect((await stages(names.Q as string))[pinned]).toContain('AWSCURRENT');
    expect((await stages(names.Q as string))[pinned]).toHaveLength(20);
  }, 120_000);

  it('20 labels of which one is AWSPREVIOUS: AWSPREVIOUS leaves as AWSCURRENT arrives, so the dry run plans it and the rollback goes through', async () => {
    const { n, pin, names, pinned } = await pinnedDeployment(1);
    for (let i = 0; i < 19; i++) await store().updateStage(names.Q as string, `other-tool-${i}`, { to: pinned });
    expect((await stages(names.Q as string))[pinned]).toEqual(['AWSPREVIOUS', ...Array.from({ length: 19 }, (_, i) => `other-tool-${i}`)].sort());

    const dry = await sb().run(['rollback', '--pinned', pin, '--dry-run', '-o', 'json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect((JSON.parse(dry.stdout) as { keys: { key: string; state: string }[] }).keys.map((k) => [k.key, k.state])).toEqual([
      [`A${n}`, 'move'],
      [`B${n}`, 'move'],
      [`Q${n}`, 'move'],
    ]);
    const r = await sb().run(['rollback', '--pinned', pin, '--yes']);
    expect(r.code, r.stderr).toBe(0);
    expect((await stages(names.Q as string))[pinned]).toEqual(['AWSCURRENT', ...Array.from({ length: 19 }, (_, i) => `other-tool-${i}`)].sort());
  }, 120_000);
});

/**
 * A dry run answers as the real run would, up to the point of moving, on the AWS backend (moto): a key
 * scheduled for deletion since the pin (exit 4) and a pinned version no longer kept (exit 3) refuse the
 * dry run as they refuse the real run, with the same stderr and stdout empty; `rollback secret` of a
 * secret scheduled for deletion likewise (exit 4), of a link (exit 2), and to a version that cannot
 * take another label (exit 4). Nothing moves: read back with
 * the AWS SDK.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { secretName } from '../../src/core/naming.js';
import type { SecretStore } from '../../src/store/types.js';
import { sandbox, type Sandbox } from '../helpers/io.js';
import { awsTestEnv, describeWithMoto, motoStore } from '../helpers/moto.js';

const CANARY = 'canary-dryrun-refusal-moto-2f84';

describeWithMoto('rollback --dry-run refuses what the real run refuses (moto)', (moto) => {
  let sb: Sandbox;
  let store: SecretStore;
  let n = 0;
  beforeAll(async () => {
    await moto().reset();
    store = await motoStore(moto().endpoint);
    sb = sandbox({ ...awsTestEnv(moto().endpoint), SCOPED_BACKEND: 'aws', SCOPED_ORG: 'acme' });
  }, 60_000);
  afterAll(() => sb?.cleanup());
  beforeEach(() => {
    n++;
  });

  async function ok(argv: string[], stdin?: string): Promise<string> {
    const r = await sb.run(argv, stdin !== undefined ? { stdin } : {});
    expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(CANARY);
    return r.stdout;
  }

  /** Every version's stages, by version id (deprecated ones included). */
  const stages = async (name: string) => Object.fromEntries((await store.listVersions(name)).map((v) => [v.versionId, [...v.stages].sort()]));

  /** The dry run and the real run of the same refused plan: same code, same stderr, both stdout empty. */
  async function sameRefusal(argv: string[], code: number): Promise<string> {
    const dry = await sb.run([...argv, '--dry-run']);
    const real = await sb.run([...argv, '--yes']);
    expect([real.code, real.stdout], real.stderr).toEqual([code, '']);
    expect([dry.code, dry.stdout], dry.stderr).toEqual([code, '']);
    expect(dry.stderr).toBe(real.stderr);
    expect(dry.stderr).not.toContain('dry run');
    expect(dry.stderr + real.stderr).not.toContain(CANARY);
    return dry.stderr;
  }

  /** Four keys over the scopes of app<n>/prod, written twice (r1, pinned; then r2). */
  async function pinnedDeployment(): Promise<{ D: string[]; pin: string; names: Record<string, string> }> {
    const project = `app${n}`;
    const D = ['-p', project, '-d', 'prod'];
    const keys = [
      ['LOG', [] as string[], { org: 'acme' }],
      ['DB', ['-p', project], { org: 'acme', project }],
      ['Q1', D, { org: 'acme', project, domain: 'prod' }],
      ['Q2', D, { org: 'acme', project, domain: 'prod' }],
    ] as const;
    const write = async (tag: string) => {
      for (const [k, w] of keys) await ok(['set', 'secret', `${k}${n}`, ...w], `${CANARY}-${k}-${tag}`);
    };
    await write('r1');
    const pin = join(sb.dir, `r1-${n}.pin.json`);
    await ok(['pin', ...D, '--out', pin]);
    await write('r2');
    return { D, pin, names: Object.fromEntries(keys.map(([k, , scope]) => [k, secretName('scoped/', scope, `${k}${n}`)])) };
  }

  it('rollback --pinned: a key scheduled for deletion since the pin refuses the dry run too (exit 4), nothing moved', async () => {
    const { D, pin, names } = await pinnedDeployment();
    await ok(['delete', 'secret', `Q2${n}`, ...D, '--yes']);
    const before = await stages(names.DB as string);
    const err = await sameRefusal(['rollback', '--pinned', pin], 4);
    expect(err).toContain('nothing was moved');
    expect(err).toContain(`scoped restore secret Q2${n} --project app${n} --domain prod`);
    expect(await stages(names.DB as string)).toEqual(before);
  }, 120_000);

  it('rollback --pinned: a pinned version no longer kept refuses the dry run too (exit 3), nothing moved', async () => {
    const { pin, names } = await pinnedDeployment();
    const file = JSON.parse(readFileSync(pin, 'utf8')) as { secrets: { key: string; versionId: string }[] };
    const gone = randomUUID();
    for (const e of file.secrets) if (e.key === `Q2${n}`) e.versionId = gone;
    writeFileSync(pin, JSON.stringify(file));
    const before = await stages(names.LOG as string);
    const err = await sameRefusal(['rollback', '--pinned', pin], 3);
    expect(err).toContain(`pinned version ${gone} is no longer kept`);
    expect(await stages(names.LOG as string)).toEqual(before);
  }, 120_000);

  it('rollback --pinned: a plan that would succeed stays exit 0 with the plan on stdout, and moves nothing', async () => {
    const { pin, names } = await pinnedDeployment();
    const before = await stages(names.Q1 as string);
    const dry = await sb.run(['rollback', '--pinned', pin, '--dry-run', '-o', 'json']);
    expect(dry.code, dry.stderr).toBe(0);
    // Org-scope keys of the other tests are in this deployment too, already at their pinned versions.
    expect(dry.stderr).toMatch(/dry run: 4 of \d+ pinned key\(s\) to move; nothing was moved/);
    const mine = (JSON.parse(dry.stdout) as { keys: { key: string; state: string }[] }).keys.filter((k) => k.key.endsWith(String(n)) && /^(LOG|DB|Q1|Q2)\d+$/.test(k.key));
    expect(mine.map((k) => [k.key, k.state]).sort()).toEqual(['DB', 'LOG', 'Q1', 'Q2'].map((k) => [`${k}${n}`, 'move']));
    expect(await stages(names.Q1 as string)).toEqual(before);
  }, 120_000);

  it('rollback secret --previous of a secret scheduled for deletion: exit 4 for the dry run and the real run alike', async () => {
    const key = `DEL${n}`;
    await ok(['create', 'secret', key, '-p', 'dd'], `${CANARY}-v0`);
    await ok(['update', 'secret', key, '-p', 'dd'], `${CANARY}-v1`);
    const name = secretName('scoped/', { org: 'acme', project: 'dd' }, key);
    const before = await stages(name);
    await ok(['delete', 'secret', key, '-p', 'dd', '--yes']);
    const err = await sameRefusal(['rollback', 'secret', key, '-p', 'dd', '--previous'], 4);
    expect(err).toContain('scheduled for deletion');
    expect(err).toContain(`scoped restore secret ${key} --project dd`);
    expect(await stages(name)).toEqual(before);
  }, 120_000);

  it('rollback secret of a link (retargeted once, so its own record has a previous version): exit 2 for the dry run and the real run alike', async () => {
    const arnOf = async (name: string): Promise<string> => {
      const { arn } = await store.describe(name);
      if (arn === undefined) throw new Error(`moto gave no ARN for ${name}`);
      return arn;
    };
    const targets: string[] = [];
    for (const t of ['a', 'b']) {
      const name = `platform/target-${n}-${t}`;
      await store.create({ name, value: `${CANARY}-${t}`, tags: {} });
      targets.push(await arnOf(name));
    }
    const key = `LINKED${n}`;
    await ok(['link', 'secret', key, '-p', 'dd', '--arn', targets[0] as string]);
    await ok(['link', 'secret', key, '-p', 'dd', '--arn', targets[1] as string, '--yes']);
    const name = secretName('scoped/', { org: 'acme', project: 'dd' }, key);
    const before = await stages(name);
    expect(Object.values(before).sort()).toEqual([['AWSCURRENT'], ['AWSPREVIOUS']]);
    const err = await sameRefusal(['rollback', 'secret', key, '-p', 'dd', '--previous'], 2);
    expect(err).toContain("is a link, and a link's target is never rolled back by scoped");
    expect(await stages(name)).toEqual(before);
  }, 120_000);

  it('rollback secret --to a version already carrying 20 labels (put there by another tool): exit 4 for the dry run and the real run alike', async () => {
    const key = `FULL${n}`;
    await ok(['create', 'secret', key, '-p', 'dd'], `${CANARY}-v0`);
    await ok(['update', 'secret', key, '-p', 'dd'], `${CANARY}-v1`);
    await ok(['update', 'secret', key, '-p', 'dd'], `${CANARY}-v2`);
    const name = secretName('scoped/', { org: 'acme', project: 'dd' }, key);
    const v0 = (await store.listVersions(name)).find((v) => v.stages.length === 0)?.versionId as string;
    for (let i = 0; i < 20; i++) await store.updateStage(name, `other-tool-${i}`, { to: v0 });
    const before = await stages(name);
    expect(before[v0]).toHaveLength(20);
    const err = await sameRefusal(['rollback', 'secret', key, '-p', 'dd', '--to', v0], 4);
    expect(err).toContain('already carries 20 staging labels');
    expect(await stages(name)).toEqual(before);
  }, 120_000);
});

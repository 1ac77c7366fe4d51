/**
 * The linking store (store/links.ts) over the local backend, with link targets served by a fake ARN reader:
 * links followed (by field), each target read once per batch, a pinned target version read by id, the
 * target's versions described, and every write through a link refused. No AWS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scopeTags, secretName } from '../../src/core/naming.js';
import { NotFoundError, UsageError } from '../../src/errors.js';
import { createLink, describeOwn, LinkingStore, linkOf, retargetLink, TARGET_CONCURRENCY } from '../../src/store/links.js';
import { LocalStore, type ArnReader } from '../../src/store/local/local-store.js';
import type { ReadResult, ReadSelector } from '../../src/store/types.js';

const ORG = { org: 'acme' };
const NAME = (key: string) => secretName('scoped/', ORG, key);
const RDS = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1-AbCdEf';
const SHARED = 'arn:aws:secretsmanager:us-east-1:210987654321:secret:platform/key-Xy12Zq';

/** Two targets with versions v1 (AWSPREVIOUS) and v2 (AWSCURRENT) for RDS, one for SHARED; reads counted. */
function fakeAws(): ArnReader & { reads: string[] } {
  const versions: Record<string, { id: string; value: string; stages: string[] }[]> = {
    [RDS]: [
      { id: 'v1', value: JSON.stringify({ username: 'admin', password: 'pw-1' }), stages: ['AWSPREVIOUS'] },
      { id: 'v2', value: JSON.stringify({ username: 'admin', password: 'pw-2', port: 5432 }), stages: ['AWSCURRENT'] },
    ],
    [SHARED]: [{ id: 's1', value: 'shared-key', stages: ['AWSCURRENT'] }],
  };
  const reads: string[] = [];
  return {
    reads,
    async readArn(arn: string, selector: ReadSelector = {}): Promise<ReadResult> {
      reads.push(arn);
      const list = versions[arn];
      if (list === undefined) throw new NotFoundError(`linked secret ${arn} does not exist`, undefined, { subject: 'target' });
      const v = list.find((x) => (selector.versionId !== undefined ? x.id === selector.versionId : x.stages.includes(selector.versionStage ?? 'AWSCURRENT')));
      if (v === undefined) throw new NotFoundError(`linked secret ${arn} has no version`, undefined, { subject: 'version' });
      return { name: arn, value: v.value, versionId: v.id, stages: v.stages };
    },
    async describeArn(arn: string) {
      const list = versions[arn];
      if (list === undefined) throw new NotFoundError(`linked secret ${arn} does not exist`, undefined, { subject: 'target' });
      return { name: arn, arn, tags: {}, versions: Object.fromEntries(list.map((v) => [v.id, v.stages])) };
    },
  };
}

let home: string;
let aws: ReturnType<typeof fakeAws>;
let store: LinkingStore;
beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'scoped-linking-'));
  aws = fakeAws();
  store = new LinkingStore(new LocalStore({ home, arnReader: async () => aws }));
  await createLink(store, { name: NAME('DB_PASSWORD'), tags: scopeTags(ORG, 'DB_PASSWORD'), target: { arn: RDS, field: 'password' } });
  await createLink(store, { name: NAME('DB_USER'), tags: scopeTags(ORG, 'DB_USER'), target: { arn: RDS, field: 'username' } });
  await createLink(store, { name: NAME('API_KEY'), tags: scopeTags(ORG, 'API_KEY'), target: { arn: SHARED } });
  await store.create({ name: NAME('PLAIN'), value: 'plain', tags: scopeTags(ORG, 'PLAIN') });
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('LinkingStore', () => {
  it('follows links in a batch, each target read once, plain values as they are', async () => {
    const batch = await store.getValues([NAME('DB_PASSWORD'), NAME('DB_USER'), NAME('API_KEY'), NAME('PLAIN')]);
    expect(batch.errors.size).toBe(0);
    expect(Object.fromEntries([...batch.values].map(([n, r]) => [n.split('/').pop(), r.value]))).toEqual({
      DB_PASSWORD: 'pw-2',
      DB_USER: 'admin',
      API_KEY: 'shared-key',
      PLAIN: 'plain',
    });
    expect(batch.values.get(NAME('DB_PASSWORD'))).toMatchObject({ versionId: 'v2', link: { arn: RDS, field: 'password' } });
    expect(aws.reads.sort()).toEqual([RDS, SHARED].sort());
  });

  it("a version id is the target's: a pin's version is read by id (the link itself lacks it)", async () => {
    expect((await store.getValue(NAME('DB_PASSWORD'), { versionId: 'v1' })).value).toBe('pw-1');
    expect((await store.getValue(NAME('DB_PASSWORD'), { versionStage: 'AWSPREVIOUS' })).value).toBe('pw-1');
    expect((await store.getValue(NAME('DB_PASSWORD'))).value).toBe('pw-2');
  });

  it("describe gives the link and its target's versions (what pin records); describeOwn the link's own", async () => {
    const d = await store.describe(NAME('DB_PASSWORD'));
    expect(d.link).toEqual({ arn: RDS, field: 'password' });
    expect(d.versions).toEqual({ v1: ['AWSPREVIOUS'], v2: ['AWSCURRENT'] });
    expect(Object.keys((await describeOwn(store, NAME('DB_PASSWORD'))).versions)).toHaveLength(1);
  });

  it('a failed target is a per-name error naming it; the other reads go on', async () => {
    await retargetLink(store, NAME('API_KEY'), { arn: 'arn:aws:secretsmanager:us-east-1:210987654321:secret:gone-AbCdEf' });
    const batch = await store.getValues([NAME('API_KEY'), NAME('DB_USER')]);
    expect(batch.errors.get(NAME('API_KEY'))?.message).toContain('gone-AbCdEf does not exist');
    expect(batch.values.get(NAME('DB_USER'))?.value).toBe('admin');
  });

  it('never writes through: putValue, writeMany puts and updateStage on a link are exit 2; other writes go on', async () => {
    const before = await linkOf(store, NAME('DB_PASSWORD'));
    await expect(store.putValue(NAME('DB_PASSWORD'), 'x')).rejects.toBeInstanceOf(UsageError);
    await expect(store.updateStage(NAME('DB_PASSWORD'), 'AWSCURRENT', { to: 'x' })).rejects.toBeInstanceOf(UsageError);
    const many = await store.writeMany([
      { kind: 'put', name: NAME('DB_PASSWORD'), value: 'x' },
      { kind: 'put', name: NAME('PLAIN'), value: 'plain-2' },
    ]);
    expect(many.errors.get(NAME('DB_PASSWORD'))).toBeInstanceOf(UsageError);
    expect(many.written.has(NAME('PLAIN'))).toBe(true);
    expect(await linkOf(store, NAME('DB_PASSWORD'))).toEqual(before);
    expect(aws.reads).toEqual([]);
    // A fresh store (nothing seen yet) finds out from the metadata.
    const fresh = new LinkingStore(new LocalStore({ home, arnReader: async () => aws }));
    await expect(fresh.putValue(NAME('API_KEY'), 'x')).rejects.toThrow(/is a link/);
  });

  it(`reads at most ${TARGET_CONCURRENCY} targets at once, and reaches that many`, async () => {
    let inFlight = 0;
    let most = 0;
    const slow: ArnReader = {
      async readArn(arn: string) {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setImmediate(r));
        inFlight--;
        return { name: arn, value: 'v', versionId: 'x', stages: ['AWSCURRENT'] };
      },
      describeArn: aws.describeArn,
    };
    const many = new LinkingStore(new LocalStore({ home, arnReader: async () => slow }));
    const names: string[] = [];
    for (let i = 0; i < 20; i++) {
      const key = `K${i}`;
      names.push(NAME(key));
      await createLink(many, { name: NAME(key), tags: scopeTags(ORG, key), target: { arn: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:t${i}-AbCdEf` } });
    }
    const batch = await many.getValues(names);
    expect(batch.values.size).toBe(20);
    expect(most).toBe(TARGET_CONCURRENCY);
  });
});

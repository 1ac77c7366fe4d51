/**
 * Links on the AWS store against moto, with the other team's secrets made by the AWS CLI v2: an AWS-managed
 * `rds!db-...` JSON secret in a second region, a shared key outside the prefix. Reads go through the linking
 * store every command gets (createStore), and nothing ever writes to a target.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { scopeTags, secretName } from '../../../src/core/naming.js';
import { PUNCTUATION, passwordAlphabet, passwordRules } from '../../../src/core/password.js';
import { ConflictError, NotFoundError, StoreCorruptError, UsageError } from '../../../src/errors.js';
import { createStore } from '../../../src/store/create-store.js';
import { createLink, isLink, linkOf, retargetLink } from '../../../src/store/links.js';
import type { SecretStore } from '../../../src/store/types.js';
import { awsConfig, awsTestEnv, describeWithMoto } from '../../helpers/moto.js';

const AWS_CLI = '/usr/bin/aws';
const ORG = { org: 'acme' };
const NAME = (key: string) => secretName('scoped/', ORG, key);

describeWithMoto('links on the AWS store (moto)', (moto) => {
  let store: SecretStore;
  let lines: string[];

  function aws(region: string, ...args: string[]): Record<string, unknown> {
    const r = spawnSync(AWS_CLI, ['secretsmanager', ...args, '--endpoint-url', moto().endpoint, '--region', region, '--output', 'json'], {
      encoding: 'utf8',
      env: { ...awsTestEnv(moto().endpoint), PATH: process.env.PATH ?? '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', HOME: '/nonexistent' },
    });
    if (r.status !== 0) throw new Error(`aws ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Record<string, unknown>);
  }
  // Ids and stages: moto answers each version's CreatedDate as the listing's time, and a read moves LastAccessedDate.
  const versionsOf = (region: string, arn: string) =>
    (aws(region, 'list-secret-version-ids', '--secret-id', arn, '--include-deprecated').Versions as { VersionId: string; VersionStages: string[] }[]).map((v) => [
      v.VersionId,
      v.VersionStages,
    ]);

  let rdsArn: string;
  let sharedArn: string;

  beforeAll(() => {
    expect(spawnSync(AWS_CLI, ['--version'], { encoding: 'utf8' }).stdout).toMatch(/^aws-cli\/2\./);
  });

  beforeEach(async () => {
    await moto().reset();
    rdsArn = aws('eu-west-1', 'create-secret', '--name', 'rds!db-0a1b2c3d-4e5f', '--secret-string', JSON.stringify({ username: 'admin', password: 'rds-PASSWORD-1', port: 5432 }))
      .ARN as string;
    sharedArn = aws('us-east-1', 'create-secret', '--name', 'platform/shared/api-key', '--secret-string', 'shared-KEY-1').ARN as string;
    lines = [];
    store = await createStore(awsConfig(moto().endpoint), awsTestEnv(moto().endpoint), { debug: (l) => lines.push(l) });
  });

  const link = (key: string, arn: string, field?: string) => createLink(store, { name: NAME(key), tags: scopeTags(ORG, key), target: { arn, field } });

  it('reads through a link to a JSON field in another region and to a whole secret outside the prefix', async () => {
    await link('DB_PASSWORD', rdsArn, 'password');
    await link('API_KEY', sharedArn);
    await store.create({ name: NAME('PLAIN'), value: 'plain', tags: scopeTags(ORG, 'PLAIN') });
    const batch = await store.getValues([NAME('DB_PASSWORD'), NAME('API_KEY'), NAME('PLAIN')]);
    expect(batch.errors.size).toBe(0);
    expect(batch.values.get(NAME('DB_PASSWORD'))).toMatchObject({ value: 'rds-PASSWORD-1', link: { arn: rdsArn, field: 'password' } });
    expect(batch.values.get(NAME('API_KEY'))).toMatchObject({ value: 'shared-KEY-1', link: { arn: sharedArn } });
    expect(batch.values.get(NAME('PLAIN'))).toMatchObject({ value: 'plain' });
    expect(batch.values.get(NAME('PLAIN'))?.link).toBeUndefined();
    expect((await store.getValue(NAME('DB_PASSWORD'))).value).toBe('rds-PASSWORD-1');
    // the second region's client was built once, with the store's endpoint
    expect(lines.filter((l) => l.startsWith('aws client: region eu-west-1'))).toHaveLength(1);
    expect(lines.join('\n')).not.toContain('rds-PASSWORD');
  });

  it('a rotation of the target: an unpinned read follows it, a read by the pinned version id does not', async () => {
    await link('DB_PASSWORD', rdsArn, 'password');
    const pinned = (await store.describe(NAME('DB_PASSWORD'))).versions;
    const pinnedId = Object.entries(pinned).find(([, s]) => s.includes('AWSCURRENT'))?.[0] as string;
    // the link's versions are its target's
    expect(Object.keys(aws('eu-west-1', 'describe-secret', '--secret-id', rdsArn).VersionIdsToStages as object)).toEqual([pinnedId]);
    aws('eu-west-1', 'put-secret-value', '--secret-id', rdsArn, '--secret-string', JSON.stringify({ username: 'admin', password: 'rds-PASSWORD-2' }));
    expect((await store.getValue(NAME('DB_PASSWORD'))).value).toBe('rds-PASSWORD-2');
    const old = await store.getValue(NAME('DB_PASSWORD'), { versionId: pinnedId });
    expect(old).toMatchObject({ value: 'rds-PASSWORD-1', versionId: pinnedId });
  });

  it('the target deleted: one line naming the ARN (exit 3); scheduled for deletion: exit 4 naming it', async () => {
    await link('API_KEY', sharedArn);
    await link('DB_PASSWORD', rdsArn, 'password');
    aws('us-east-1', 'delete-secret', '--secret-id', sharedArn, '--force-delete-without-recovery');
    aws('eu-west-1', 'delete-secret', '--secret-id', rdsArn, '--recovery-window-in-days', '7');
    const batch = await store.getValues([NAME('API_KEY'), NAME('DB_PASSWORD')]);
    const gone = batch.errors.get(NAME('API_KEY'));
    expect(gone).toBeInstanceOf(NotFoundError);
    expect((gone as NotFoundError).line()).toContain(`linked secret ${sharedArn} does not exist`);
    expect((gone as NotFoundError).line().split('\n')).toHaveLength(1);
    const scheduled = batch.errors.get(NAME('DB_PASSWORD'));
    expect(scheduled).toBeInstanceOf(ConflictError);
    expect((scheduled as ConflictError).message).toBe(`linked secret ${rdsArn} is scheduled for deletion`);
  });

  it('a missing field or a value that is not JSON names the ARN and the field, never the value', async () => {
    await link('NOPE', rdsArn, 'nope');
    await link('FIELD_OF_TEXT', sharedArn, 'password');
    const batch = await store.getValues([NAME('NOPE'), NAME('FIELD_OF_TEXT')]);
    expect(batch.errors.get(NAME('NOPE'))?.message).toBe(`secret ${rdsArn} has no field "nope"`);
    expect(batch.errors.get(NAME('FIELD_OF_TEXT'))?.message).toBe(`secret ${sharedArn} is not a JSON object, so it has no field "password"`);
    for (const e of batch.errors.values()) expect(String(e.message)).not.toMatch(/PASSWORD|KEY-1/);
  });

  it('nothing writes to a target: putValue, writeMany and updateStage on a link are refused (exit 2), delete removes the link alone', async () => {
    await link('DB_PASSWORD', rdsArn, 'password');
    const before = versionsOf('eu-west-1', rdsArn);
    const fresh = await createStore(awsConfig(moto().endpoint), awsTestEnv(moto().endpoint), { debug: () => undefined });
    await expect(fresh.putValue(NAME('DB_PASSWORD'), 'x')).rejects.toThrow(UsageError);
    const refused = await fresh.putValue(NAME('DB_PASSWORD'), 'x').catch((e: UsageError) => e);
    expect((refused as UsageError).line()).toMatch(/scoped link secret KEY --arn ARN.*scoped delete secret KEY/);
    const many = await fresh.writeMany([{ kind: 'put', name: NAME('DB_PASSWORD'), value: 'x' }]);
    expect(many.errors.get(NAME('DB_PASSWORD'))).toBeInstanceOf(UsageError);
    await expect(fresh.updateStage(NAME('DB_PASSWORD'), 'AWSCURRENT', { to: 'x' })).rejects.toThrow(UsageError);
    await fresh.delete(NAME('DB_PASSWORD'), { force: true });
    expect(versionsOf('eu-west-1', rdsArn)).toEqual(before);
    expect(aws('eu-west-1', 'describe-secret', '--secret-id', rdsArn).DeletedDate).toBeUndefined();
  });

  it('retarget: a new version of the record; the old target untouched', async () => {
    await link('API_KEY', sharedArn);
    await retargetLink(store, NAME('API_KEY'), { arn: rdsArn, field: 'username' });
    expect(await linkOf(store, NAME('API_KEY'))).toEqual({ arn: rdsArn, field: 'username' });
    expect((await store.getValue(NAME('API_KEY'))).value).toBe('admin');
    expect(aws('us-east-1', 'get-secret-value', '--secret-id', sharedArn).SecretString).toBe('shared-KEY-1');
  });

  it('a plain value that reads like a link record stays a value: the tag decides (one DescribeSecret when not listed)', async () => {
    const record = JSON.stringify({ format: 'scoped-link/1', arn: sharedArn });
    await store.create({ name: NAME('LOOKS'), value: record, tags: scopeTags(ORG, 'LOOKS') });
    const fresh = await createStore(awsConfig(moto().endpoint), awsTestEnv(moto().endpoint), { debug: (l) => lines.push(l) });
    lines.length = 0;
    expect((await fresh.getValue(NAME('LOOKS'))).value).toBe(record);
    expect(lines.filter((l) => /^aws DescribeSecret /.test(l))).toHaveLength(1);
    expect(await isLink(fresh, NAME('LOOKS'))).toBe(false);
  });

  it('a tagged secret whose record does not parse is exit 1 naming it', async () => {
    await store.create({ name: NAME('BROKEN'), value: 'not a record', tags: { ...scopeTags(ORG, 'BROKEN'), 'scoped:link': '1' } });
    await store.list(['scoped/acme/']);
    const batch = await store.getValues([NAME('BROKEN')]);
    expect(batch.errors.get(NAME('BROKEN'))).toBeInstanceOf(StoreCorruptError);
  });

  it('describeArn names an absent target (exit 3)', async () => {
    const absent = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-gone-AbCdEf';
    await expect(store.describeArn(absent)).rejects.toThrow(`linked secret ${absent} does not exist`);
  });
});

describeWithMoto('generated values on the AWS store (moto GetRandomPassword)', (moto) => {
  let store: SecretStore;
  beforeEach(async () => {
    store = await createStore(awsConfig(moto().endpoint), awsTestEnv(moto().endpoint), { debug: () => undefined });
  });

  it('length, alphabet and exclusions as asked', async () => {
    const rules = passwordRules({ length: '64', excludeChars: 'abcXYZ019"\\', requireEachType: true });
    const v = await store.randomPassword(rules);
    expect([...v]).toHaveLength(64);
    const alphabet = new Set(passwordAlphabet(rules));
    for (const c of v) expect(alphabet.has(c)).toBe(true);
    const plain = await store.randomPassword(passwordRules({ length: '200', noPunctuation: true }));
    for (const c of plain) expect(PUNCTUATION.includes(c)).toBe(false);
  });

  it('every allowed character occurs: 4096 characters, 94 possible (a miss has probability < 94 * (93/94)^4096 < 1e-15)', async () => {
    const rules = passwordRules({ length: '4096' });
    const v = await store.randomPassword(rules);
    expect(new Set(v).size).toBe(passwordAlphabet(rules).length);
  });
});

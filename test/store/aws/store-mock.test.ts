/** Every store operation against a mocked client: what is sent, and how answers come back. */
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { AccessDeniedError, NotFoundError, UsageError } from '../../../src/errors.js';
import { mockedStore, rejectWith, sm } from '../../helpers/mock-store.js';

const N = 'scoped/acme/_/_/API_TOKEN';

describe('aws store operations (mocked SDK)', () => {
  it('create sends name, value, description, tags, KMS key and replicas', async () => {
    const { store } = mockedStore();
    sm.on(CreateSecretCommand).resolves({ VersionId: 'v1' });
    const out = await store.create({
      name: N,
      value: 'tok',
      description: 'the token',
      tags: { 'scoped:org': 'acme', team: 'a' },
      kmsKeyId: 'alias/k',
      replicaRegions: ['eu-west-1'],
    });
    expect(out).toEqual({ versionId: 'v1' });
    expect(sm).toHaveReceivedCommandWith(CreateSecretCommand, {
      Name: N,
      SecretString: 'tok',
      Description: 'the token',
      Tags: [
        { Key: 'scoped:org', Value: 'acme' },
        { Key: 'team', Value: 'a' },
      ],
      KmsKeyId: 'alias/k',
      AddReplicaRegions: [{ Region: 'eu-west-1' }],
    });
    expect(sm.commandCalls(CreateSecretCommand)[0]?.args[0].input.SecretBinary).toBeUndefined();
  });

  it('create and putValue send bytes as SecretBinary', async () => {
    const { store } = mockedStore();
    const bytes = new Uint8Array([0, 255, 10]);
    sm.on(CreateSecretCommand).resolves({ VersionId: 'v1' });
    sm.on(PutSecretValueCommand).resolves({ VersionId: 'v2' });
    await store.create({ name: N, value: bytes, tags: {} });
    expect(await store.putValue(N, bytes)).toEqual({ versionId: 'v2' });
    expect(sm).toHaveReceivedCommandWith(CreateSecretCommand, { SecretBinary: bytes });
    expect(sm).toHaveReceivedCommandWith(PutSecretValueCommand, { SecretId: N, SecretBinary: bytes });
    expect(sm.commandCalls(PutSecretValueCommand)[0]?.args[0].input.SecretString).toBeUndefined();
  });

  it('checks limits before sending anything', async () => {
    const { store } = mockedStore();
    await expect(store.create({ name: N, value: '', tags: {} })).rejects.toBeInstanceOf(UsageError);
    await expect(store.putValue(N, 'x'.repeat(65_537))).rejects.toBeInstanceOf(UsageError);
    await expect(store.updateDescription(N, 'd'.repeat(2_049))).rejects.toBeInstanceOf(UsageError);
    await expect(store.delete(N, { recoveryDays: 31 })).rejects.toBeInstanceOf(UsageError);
    expect(sm.calls()).toHaveLength(0);
  });

  it('updateDescription uses UpdateSecret', async () => {
    const { store } = mockedStore();
    sm.on(UpdateSecretCommand).resolves({ Name: N });
    await store.updateDescription(N, 'new');
    expect(sm).toHaveReceivedCommandExactlyOnceWith(UpdateSecretCommand, { SecretId: N, Description: 'new' });
  });

  it('describe maps metadata, DeletedDate and labelled versions', async () => {
    const { store } = mockedStore();
    const deleted = new Date('2026-01-02T00:00:00Z');
    sm.on(DescribeSecretCommand).resolves({
      Name: N,
      ARN: `arn:aws:secretsmanager:us-east-1:1:secret:${N}-AbCdEf`,
      Description: 'd',
      KmsKeyId: 'alias/k',
      Tags: [{ Key: 'scoped:key', Value: 'API_TOKEN' }],
      DeletedDate: deleted,
      VersionIdsToStages: { a: ['AWSCURRENT'], b: ['AWSPREVIOUS'], old: [] },
    });
    const d = await store.describe(N);
    expect(d).toMatchObject({ name: N, description: 'd', kmsKeyId: 'alias/k', deletedAt: deleted, tags: { 'scoped:key': 'API_TOKEN' } });
    expect(d.versions).toEqual({ a: ['AWSCURRENT'], b: ['AWSPREVIOUS'] });
  });

  it('getValue passes VersionId / VersionStage and keeps strings and bytes apart', async () => {
    const { store } = mockedStore();
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'one', VersionId: 'v1', VersionStages: ['AWSPREVIOUS'] });
    sm.on(GetSecretValueCommand, { VersionId: 'vb' }).resolves({ SecretBinary: new Uint8Array([1, 2]), VersionId: 'vb', VersionStages: [] });
    expect(await store.getValue(N, { versionStage: 'AWSPREVIOUS' })).toEqual({ name: N, value: 'one', versionId: 'v1', stages: ['AWSPREVIOUS'] });
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: N, VersionStage: 'AWSPREVIOUS' });
    const bin = await store.getValue(N, { versionId: 'vb' });
    expect(bin.value).toEqual(new Uint8Array([1, 2]));
  });

  it('a missing version of an existing secret is "not found" about the version', async () => {
    const { store } = mockedStore();
    sm.on(GetSecretValueCommand).rejects(rejectWith('ResourceNotFoundException'));
    sm.on(DescribeSecretCommand).resolves({ Name: N });
    const err = (await store.getValue(N, { versionId: 'nope' }).catch((e: unknown) => e)) as NotFoundError;
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.subject).toBe('version');
    sm.on(DescribeSecretCommand).rejects(rejectWith('ResourceNotFoundException'));
    const gone = (await store.getValue(N, { versionStage: 'AWSPREVIOUS' }).catch((e: unknown) => e)) as NotFoundError;
    expect(gone.subject).toBe('secret');
  });

  it('listVersions follows NextToken and keeps deprecated (unlabelled) versions', async () => {
    const { store } = mockedStore();
    sm.on(ListSecretVersionIdsCommand)
      .resolvesOnce({ Versions: [{ VersionId: 'a', VersionStages: ['AWSCURRENT'], CreatedDate: new Date('2026-03-03T00:00:00Z') }], NextToken: 't1' })
      .resolvesOnce({ Versions: [], NextToken: 't2' })
      .resolvesOnce({
        Versions: [
          { VersionId: 'c', VersionStages: [], CreatedDate: new Date('2026-03-01T00:00:00Z') },
          { VersionId: 'b', VersionStages: ['AWSPREVIOUS'], CreatedDate: new Date('2026-03-02T00:00:00Z') },
        ],
      });
    const versions = await store.listVersions(N);
    // Newest first, whatever the order of the pages (history and rollback list them so).
    expect(versions.map((v) => [v.versionId, v.stages])).toEqual([
      ['a', ['AWSCURRENT']],
      ['b', ['AWSPREVIOUS']],
      ['c', []],
    ]);
    expect(sm).toHaveReceivedCommandTimes(ListSecretVersionIdsCommand, 3);
    expect(sm).toHaveReceivedNthCommandWith(ListSecretVersionIdsCommand, 3, { SecretId: N, MaxResults: 100, NextToken: 't2', IncludeDeprecated: true });
  });

  it('delete with a recovery window, or forced after checking the secret exists', async () => {
    const { store } = mockedStore();
    const when = new Date('2026-02-01T00:00:00Z');
    sm.on(DeleteSecretCommand).resolves({ DeletionDate: when });
    sm.on(DescribeSecretCommand).resolves({ Name: N });
    expect(await store.delete(N, { recoveryDays: 7 })).toEqual({ deletionDate: when });
    expect(sm).toHaveReceivedCommandWith(DeleteSecretCommand, { SecretId: N, RecoveryWindowInDays: 7 });
    await store.delete(N, { force: true });
    expect(sm).toHaveReceivedNthCommandWith(DeleteSecretCommand, 2, { SecretId: N, ForceDeleteWithoutRecovery: true });
    expect(sm.commandCalls(DeleteSecretCommand)[1]?.args[0].input.RecoveryWindowInDays).toBeUndefined();
  });

  it('a forced delete of a missing name is "not found" and deletes nothing', async () => {
    const { store } = mockedStore();
    sm.on(DescribeSecretCommand).rejects(rejectWith('ResourceNotFoundException'));
    await expect(store.delete(N, { force: true })).rejects.toBeInstanceOf(NotFoundError);
    expect(sm).not.toHaveReceivedCommand(DeleteSecretCommand);
  });

  it('restore', async () => {
    const { store } = mockedStore();
    sm.on(RestoreSecretCommand).resolves({ Name: N });
    await store.restore(N);
    expect(sm).toHaveReceivedCommandWith(RestoreSecretCommand, { SecretId: N });
  });

  it('logs one debug line per call: operation, counts, time, never a value', async () => {
    const { store, lines } = mockedStore();
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'hunter2-secret', VersionId: 'v1' });
    sm.on(BatchGetSecretValueCommand).resolves({ SecretValues: [{ Name: N, SecretString: 'hunter2-secret', VersionId: 'v1' }] });
    sm.on(ListSecretsCommand).resolves({ SecretList: [{ Name: N }] });
    await store.getValue(N);
    await store.getValues([N]);
    await store.list(['scoped/acme/_/_/']);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^aws GetSecretValue 1 value in \d+ ms$/);
    expect(lines[1]).toMatch(/^aws BatchGetSecretValue 1 ids: 1 values, 0 errors in \d+ ms$/);
    expect(lines[2]).toMatch(/^aws ListSecrets 1 prefixes: 1 secrets in \d+ ms$/);
    expect(lines.join('\n')).not.toContain('hunter2');
  });

  it('a failed call is logged by error name and comes back as our error', async () => {
    const { store, lines } = mockedStore();
    sm.on(DescribeSecretCommand).rejects(rejectWith('AccessDeniedException'));
    await expect(store.describe(N)).rejects.toBeInstanceOf(AccessDeniedError);
    expect(lines).toEqual([expect.stringMatching(/^aws DescribeSecret failed: AccessDeniedException after \d+ ms$/)]);
  });
});

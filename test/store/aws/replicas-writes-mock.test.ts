/** Replicas (describe, delete) and bulk writes on a mocked client. */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  InvalidParameterException,
  InvalidRequestException,
  PutSecretValueCommand,
  RemoveRegionsFromReplicationCommand,
  ResourceExistsException,
  type CreateSecretCommandInput,
  type DescribeSecretCommandOutput,
} from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { ConflictError, ExitCode, UsageError } from '../../../src/errors.js';
import type { WriteOp } from '../../../src/store/types.js';
import { WRITE_CONCURRENCY } from '../../../src/store/aws/write-many.js';
import { mockedStore, rejectWith, sm } from '../../helpers/mock-store.js';

const N = 'scoped/acme/_/_/DB_URL';
const meta = { $metadata: { httpStatusCode: 400 } };
const replicated: DescribeSecretCommandOutput = {
  $metadata: {},
  Name: N,
  ReplicationStatus: [
    { Region: 'eu-west-1', Status: 'InSync', KmsKeyId: 'alias/aws/secretsmanager' },
    { Region: 'ap-south-1', Status: 'Failed', StatusMessage: 'name exists there' },
  ],
};

describe('replicas', () => {
  it('describe lists the replica regions with their status', async () => {
    const { store } = mockedStore();
    sm.on(DescribeSecretCommand).resolves(replicated);
    expect((await store.describe(N)).replicas).toEqual([
      { region: 'eu-west-1', status: 'InSync' },
      { region: 'ap-south-1', status: 'Failed' },
    ]);
  });

  it.each([
    ['InvalidParameterException', new InvalidParameterException({ message: 'still has replica regions', ...meta })],
    ['InvalidRequestException', new InvalidRequestException({ message: 'has replicas', ...meta })],
  ])('a delete refused (%s) while replicas exist: conflict `has-replicas` naming the regions (exit 4)', async (_code, refusal) => {
    const { store } = mockedStore();
    sm.on(DeleteSecretCommand).rejects(refusal);
    sm.on(DescribeSecretCommand).resolves(replicated);
    const err = (await store.delete(N, { recoveryDays: 30 }).catch((e: unknown) => e)) as ConflictError;
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.reason).toBe('has-replicas');
    expect(err.exitCode).toBe(ExitCode.conflict);
    expect(err.line()).toBe(
      `secret ${N} has replicas in eu-west-1, ap-south-1, and Secrets Manager deletes a secret only without them; remove the replicas first (the delete can do it), then delete`,
    );
    expect(sm).toHaveReceivedCommandTimes(RemoveRegionsFromReplicationCommand, 0);
  });

  it('a forced delete checks first and sends no DeleteSecret while replicas exist', async () => {
    const { store } = mockedStore();
    sm.on(DescribeSecretCommand).resolves(replicated);
    const err = (await store.delete(N, { force: true }).catch((e: unknown) => e)) as ConflictError;
    expect(err.reason).toBe('has-replicas');
    expect(sm).toHaveReceivedCommandTimes(DeleteSecretCommand, 0);
  });

  it('removeReplicas: RemoveRegionsFromReplication for every region, then DeleteSecret', async () => {
    const { store } = mockedStore();
    sm.on(DescribeSecretCommand).resolves(replicated);
    sm.on(RemoveRegionsFromReplicationCommand).resolves({ ReplicationStatus: [] });
    sm.on(DeleteSecretCommand).resolves({ Name: N, DeletionDate: new Date('2026-12-30T00:00:00Z') });
    const { deletionDate } = await store.delete(N, { recoveryDays: 30, removeReplicas: true });
    expect(deletionDate).toEqual(new Date('2026-12-30T00:00:00Z'));
    expect(sm).toHaveReceivedCommandWith(RemoveRegionsFromReplicationCommand, { SecretId: N, RemoveReplicaRegions: ['eu-west-1', 'ap-south-1'] });
    expect(sm).toHaveReceivedCommandWith(DeleteSecretCommand, { SecretId: N, RecoveryWindowInDays: 30 });
  });

  it('removeReplicas on a secret without replicas is a plain delete', async () => {
    const { store } = mockedStore();
    sm.on(DescribeSecretCommand).resolves({ Name: N });
    sm.on(DeleteSecretCommand).resolves({ Name: N, DeletionDate: new Date() });
    await store.delete(N, { force: true, removeReplicas: true });
    expect(sm).toHaveReceivedCommandTimes(RemoveRegionsFromReplicationCommand, 0);
    expect(sm).toHaveReceivedCommandWith(DeleteSecretCommand, { SecretId: N, ForceDeleteWithoutRecovery: true });
  });
});

describe('create refuses AWS-only inputs before any request', () => {
  it.each([
    [{ kmsKeyId: '' }, /^--kms-key-id is empty/],
    [{ kmsKeyId: 'not a key' }, /^--kms-key-id "not a key" contains whitespace/],
    [{ kmsKeyId: 'key/1234' }, /^invalid --kms-key-id "key\/1234"/],
    [{ replicaRegions: ['mars-1'] }, /^--replica-region "mars-1" is not an AWS region code/],
    [{ replicaRegions: ['us-east-1'] }, /is the secret's own region/],
  ])('%j', async (extra, line) => {
    const { store } = mockedStore();
    const err = (await store.create({ name: N, value: 'v', tags: {}, ...extra }).catch((e: unknown) => e)) as UsageError;
    expect(err).toBeInstanceOf(UsageError);
    expect(err.line()).toMatch(line);
    expect(sm.calls()).toHaveLength(0);
  });

  it('passes valid ones on', async () => {
    const { store } = mockedStore();
    sm.on(CreateSecretCommand).resolves({ VersionId: 'v1' });
    await store.create({ name: N, value: 'v', tags: {}, kmsKeyId: 'alias/team', replicaRegions: ['eu-west-1'] });
    expect(sm).toHaveReceivedCommandWith(CreateSecretCommand, { KmsKeyId: 'alias/team', AddReplicaRegions: [{ Region: 'eu-west-1' }] });
  });
});

describe('writeMany', () => {
  const name = (i: number) => `scoped/acme/_/_/K${i}`;

  it(`runs at most ${WRITE_CONCURRENCY} writes at once and reports each op by name`, async () => {
    const { store } = mockedStore();
    let inFlight = 0;
    let peak = 0;
    sm.on(CreateSecretCommand).callsFake(async (input: CreateSecretCommandInput) => {
      peak = Math.max(peak, ++inFlight);
      // Longer than the pacer's 50 ms between starts, so writes overlap.
      await new Promise((r) => setTimeout(r, 150));
      inFlight--;
      if (input.Name === name(3)) throw new ResourceExistsException({ message: 'exists', ...meta });
      if (input.Name === name(7)) throw rejectWith('AccessDeniedException');
      return { VersionId: `v-${input.Name}` };
    });
    sm.on(DescribeSecretCommand).resolves({ Name: name(3) });
    sm.on(PutSecretValueCommand).resolves({ VersionId: 'p1' });
    const ops: WriteOp[] = Array.from({ length: 30 }, (_, i) => ({ kind: 'create', input: { name: name(i), value: `v${i}`, tags: {} } }));
    ops.push({ kind: 'put', name: name(40), value: 'x' });
    const result = await store.writeMany(ops);
    expect(peak).toBeLessThanOrEqual(WRITE_CONCURRENCY);
    expect(peak).toBeGreaterThan(1);
    expect(result.written.size).toBe(29);
    expect(result.written.get(name(0))).toBe(`v-${name(0)}`);
    expect(result.written.get(name(40))).toBe('p1');
    expect((result.errors.get(name(3)) as ConflictError).reason).toBe('exists');
    expect(result.errors.get(name(7))?.message).toBe(`access denied to secret ${name(7)}`);
    expect([...result.errors.keys()].sort()).toEqual([name(3), name(7)]);
  });

  it('ops on one name run in their order', async () => {
    const { store } = mockedStore();
    const seen: string[] = [];
    sm.on(CreateSecretCommand).callsFake(async () => {
      seen.push('create');
      await new Promise((r) => setTimeout(r, 5));
      return { VersionId: 'c' };
    });
    sm.on(PutSecretValueCommand).callsFake(async () => {
      seen.push('put');
      return { VersionId: 'p' };
    });
    const result = await store.writeMany([
      { kind: 'create', input: { name: name(1), value: 'a', tags: {} } },
      { kind: 'put', name: name(1), value: 'b' },
    ]);
    expect(seen).toEqual(['create', 'put']);
    expect(result.written.get(name(1))).toBe('p');
  });

  it('checks every op before the first write', async () => {
    const { store } = mockedStore();
    const err = await store
      .writeMany([
        { kind: 'create', input: { name: name(1), value: 'ok', tags: {} } },
        { kind: 'create', input: { name: name(2), value: 'ok', tags: {}, replicaRegions: ['mars-1'] } },
      ])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(sm.calls()).toHaveLength(0);
  });
});

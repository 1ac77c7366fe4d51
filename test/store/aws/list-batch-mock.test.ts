/** Listing and batch reads against a mocked client: pagination to the end, batching, per-id errors. */
import {
  BatchGetSecretValueCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  type BatchGetSecretValueCommandInput,
} from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { AccessDeniedError, ConflictError, NotFoundError, UnavailableError } from '../../../src/errors.js';
import { AwsStore } from '../../../src/store/aws/aws-store.js';
import { Deadline } from '../../../src/store/aws/deadline.js';
import { AwsRefusedError } from '../../../src/store/aws/errors.js';
import { mockedStore, rejectWith, sm } from '../../helpers/mock-store.js';

const P = ['scoped/acme/billing/prod/', 'scoped/acme/billing/_/', 'scoped/acme/_/prod/', 'scoped/acme/_/_/'];

describe('aws store list (mocked SDK)', () => {
  it('sends one name filter holding every prefix, MaxResults 100, and follows empty pages to the end', async () => {
    const { store } = mockedStore();
    sm.on(ListSecretsCommand)
      .resolvesOnce({ SecretList: [], NextToken: 't1' })
      .resolvesOnce({ SecretList: [{ Name: `${P[0]}A` }], NextToken: 't2' })
      .resolvesOnce({ SecretList: [], NextToken: 't3' })
      .resolvesOnce({ SecretList: [{ Name: `${P[3]}B`, Tags: [{ Key: 'scoped:org', Value: 'acme' }] }] });
    const list = await store.list(P);
    expect(list.map((s) => s.name)).toEqual([`${P[0]}A`, `${P[3]}B`]);
    expect(list[1]?.tags).toEqual({ 'scoped:org': 'acme' });
    expect(sm).toHaveReceivedCommandTimes(ListSecretsCommand, 4);
    expect(sm).toHaveReceivedNthCommandWith(ListSecretsCommand, 1, { Filters: [{ Key: 'name', Values: P }], MaxResults: 100 });
    expect(sm).toHaveReceivedNthCommandWith(ListSecretsCommand, 4, { NextToken: 't3' });
    expect(sm.commandCalls(ListSecretsCommand)[0]?.args[0].input.IncludePlannedDeletion).toBeUndefined();
  });

  it('asks for secrets scheduled for deletion only with includeDeleted', async () => {
    const { store } = mockedStore();
    const deletedAt = new Date('2026-01-01T00:00:00Z');
    sm.on(ListSecretsCommand).resolves({ SecretList: [{ Name: `${P[3]}OLD`, DeletedDate: deletedAt }, { Name: `${P[3]}NEW` }] });
    expect((await store.list([P[3] as string])).map((s) => s.name)).toEqual([`${P[3]}NEW`]);
    const all = await store.list([P[3] as string], { includeDeleted: true });
    expect(all.find((s) => s.name.endsWith('OLD'))?.deletedAt).toEqual(deletedAt);
    expect(sm).toHaveReceivedLastCommandWith(ListSecretsCommand, { IncludePlannedDeletion: true });
  });

  it('keeps only names under the asked prefixes, even from a lax server', async () => {
    const { store } = mockedStore();
    sm.on(ListSecretsCommand).resolves({
      SecretList: [{ Name: 'scoped/acme/billing2/_/X' }, { Name: 'Scoped/acme/billing/_/Y' }, { Name: 'scoped/acme/billing/_/Z' }],
    });
    expect((await store.list(['scoped/acme/billing/_/'])).map((s) => s.name)).toEqual(['scoped/acme/billing/_/Z']);
  });

  it('makes no call for no prefixes, and stops on a token that repeats', async () => {
    const { store } = mockedStore();
    expect(await store.list([])).toEqual([]);
    expect(sm.calls()).toHaveLength(0);
    sm.on(ListSecretsCommand).resolves({ SecretList: [], NextToken: 'same' });
    await expect(store.list(P)).rejects.toThrow(/same page token/);
  });

  it('a failing page fails the listing (nothing partial)', async () => {
    const { store } = mockedStore();
    sm.on(ListSecretsCommand)
      .resolvesOnce({ SecretList: [{ Name: `${P[3]}A` }], NextToken: 't' })
      .rejects(rejectWith('ThrottlingException'));
    await expect(store.list(P)).rejects.toBeInstanceOf(UnavailableError);
  });
});

/** Answers each BatchGetSecretValue with a value per id (`v:<name>`), except the ids given errors. */
function answerBatch(errors: Record<string, string> = {}): void {
  sm.on(BatchGetSecretValueCommand).callsFake(async (input: BatchGetSecretValueCommandInput) => {
    const ids = input.SecretIdList ?? [];
    return {
      SecretValues: ids.filter((id) => !errors[id]).map((id) => ({ Name: id, ARN: `arn:x:${id}-AbCdEf`, SecretString: `v:${id}`, VersionId: 'v1', VersionStages: ['AWSCURRENT'] })),
      Errors: ids.filter((id) => errors[id]).map((id) => ({ SecretId: id, ErrorCode: errors[id], Message: 'injected' })),
    };
  });
}

describe('aws store getValues (mocked SDK)', () => {
  const names = Array.from({ length: 45 }, (_, i) => `${P[3]}K${i}`);

  it('reads by id, 20 a call, and maps results back by name', async () => {
    const { store } = mockedStore();
    answerBatch();
    const batch = await store.getValues([...names, names[0] as string]);
    expect(sm).toHaveReceivedCommandTimes(BatchGetSecretValueCommand, 3);
    const sizes = sm.commandCalls(BatchGetSecretValueCommand).map((c) => c.args[0].input.SecretIdList?.length);
    expect(sizes.sort()).toEqual([20, 20, 5]);
    expect(sm.commandCalls(BatchGetSecretValueCommand).every((c) => c.args[0].input.Filters === undefined)).toBe(true);
    expect(batch.values.size).toBe(45);
    expect(batch.values.get(names[44] as string)).toEqual({ name: names[44], value: `v:${names[44]}`, versionId: 'v1', stages: ['AWSCURRENT'] });
    expect(batch.errors.size).toBe(0);
  });

  it('runs at most 4 batches at once', async () => {
    const { store } = mockedStore();
    let inFlight = 0;
    let peak = 0;
    sm.on(BatchGetSecretValueCommand).callsFake(async (input: BatchGetSecretValueCommandInput) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 20));
      inFlight--;
      return { SecretValues: (input.SecretIdList ?? []).map((id) => ({ Name: id, SecretString: 'x', VersionId: 'v' })) };
    });
    const many = Array.from({ length: 200 }, (_, i) => `${P[3]}M${i}`);
    expect((await store.getValues(many)).values.size).toBe(200);
    expect(sm).toHaveReceivedCommandTimes(BatchGetSecretValueCommand, 10);
    expect(peak).toBe(4);
  });

  it('reports every per-id error by name with its own class, never swallowed', async () => {
    const { store } = mockedStore();
    const [a, b, c, d, e] = names as [string, string, string, string, string];
    answerBatch({ [a]: 'ResourceNotFoundException', [b]: 'AccessDeniedException', [c]: 'InvalidRequestException', [d]: 'DecryptionFailure', [e]: 'SomethingNew' });
    // "Not found" is read again alone (it could be a secret without a current value): really absent here.
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'nf', $metadata: {} }));
    sm.on(DescribeSecretCommand).rejects(new ResourceNotFoundException({ message: 'nf', $metadata: {} }));
    const batch = await store.getValues(names);
    expect(batch.values.size).toBe(40);
    expect(batch.errors.get(a)).toBeInstanceOf(NotFoundError);
    expect(batch.errors.get(b)).toBeInstanceOf(AccessDeniedError);
    expect((batch.errors.get(c) as ConflictError).reason).toBe('scheduled-for-deletion');
    expect(batch.errors.get(d)).toBeInstanceOf(AccessDeniedError);
    expect(batch.errors.get(e)).toBeInstanceOf(AwsRefusedError);
    expect(batch.errors.get(e)?.message).toBe(`Secrets Manager refused BatchGetSecretValue for secret ${e} with SomethingNew, an error scoped does not know: injected`);
    expect(sm).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(batch.errors.get(a)?.message).toBe(`secret ${a} not found`);
  });

  it('a name the server neither returns nor reports is an error too', async () => {
    const { store } = mockedStore();
    sm.on(BatchGetSecretValueCommand).resolves({ SecretValues: [], Errors: [] });
    const batch = await store.getValues([names[0] as string]);
    // Secrets Manager answers every id with a value or an error: an endpoint that does neither is not it (exit 6).
    expect(batch.errors.get(names[0] as string)).toBeInstanceOf(UnavailableError);
  });

  it('follows NextToken should the server page a batch', async () => {
    const { store } = mockedStore();
    sm.on(BatchGetSecretValueCommand)
      .resolvesOnce({ SecretValues: [{ Name: names[0], SecretString: 'a', VersionId: 'v' }], NextToken: 'n1' })
      .resolvesOnce({ SecretValues: [], NextToken: 'n2' })
      .resolvesOnce({ SecretValues: [{ Name: names[1], SecretBinary: new Uint8Array([7]), VersionId: 'v' }] });
    const batch = await store.getValues(names.slice(0, 2));
    expect(batch.values.get(names[1] as string)?.value).toEqual(new Uint8Array([7]));
    expect(sm).toHaveReceivedNthCommandWith(BatchGetSecretValueCommand, 3, { SecretIdList: names.slice(0, 2), NextToken: 'n2' });
  });

  it('a whole batch refused (permission on BatchGetSecretValue itself) fails the read', async () => {
    const { store } = mockedStore();
    sm.on(BatchGetSecretValueCommand).rejects(rejectWith('AccessDeniedException'));
    await expect(store.getValues(names)).rejects.toBeInstanceOf(AccessDeniedError);
  });
});

/** A mocked store whose back-off waits are instant (random 0), with its own deadline. */
function fastStore(seconds = 30): AwsStore {
  const client = new SecretsManagerClient({ region: 'us-east-1', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const deadline = new Deadline(seconds, 'flag --timeout');
  return new AwsStore(client, { debug: () => undefined }, { policy: { maxAttempts: 3, capThrottling: false, deadline, random: () => 0 } });
}

describe('aws store getValues: per-id retries and secrets without a value (mocked SDK)', () => {
  const [a, b, c] = ['scoped/acme/_/_/A', 'scoped/acme/_/_/B', 'scoped/acme/_/_/C'];
  const value = (id: string) => ({ Name: id, SecretString: `v:${id}`, VersionId: 'v1', VersionStages: ['AWSCURRENT'] });

  it('per-id ThrottlingException and InternalServiceError are asked again, those ids only, until answered', async () => {
    const store = fastStore();
    sm.on(BatchGetSecretValueCommand)
      .resolvesOnce({
        SecretValues: [value(a)],
        Errors: [
          { SecretId: b, ErrorCode: 'ThrottlingException' },
          { SecretId: c, ErrorCode: 'InternalServiceError' },
        ],
      })
      .resolvesOnce({ SecretValues: [value(c)], Errors: [{ SecretId: b, ErrorCode: 'ThrottlingException' }] })
      .resolvesOnce({ SecretValues: [value(b)] });
    const batch = await store.getValues([a, b, c]);
    expect(batch.errors.size).toBe(0);
    expect([...batch.values.keys()].sort()).toEqual([a, b, c]);
    expect(sm.commandCalls(BatchGetSecretValueCommand).map((x) => x.args[0].input.SecretIdList)).toEqual([[a, b, c], [b, c], [b]]);
  });

  it('a per-id server fault that persists stops after the attempts for transient failures, kept by name', async () => {
    const store = fastStore();
    sm.on(BatchGetSecretValueCommand).resolves({ SecretValues: [value(a)], Errors: [{ SecretId: b, ErrorCode: 'InternalServiceError' }] });
    const batch = await store.getValues([a, b]);
    expect(batch.values.has(a)).toBe(true);
    expect(batch.errors.get(b)).toBeInstanceOf(UnavailableError);
    expect(sm).toHaveReceivedCommandTimes(BatchGetSecretValueCommand, 3);
  });

  it('per-id throttling that never ends stops at the deadline, named per id (exit 6)', async () => {
    const store = fastStore(0.3);
    sm.on(BatchGetSecretValueCommand).resolves({ Errors: [{ SecretId: a, ErrorCode: 'ThrottlingException' }] });
    const err = await store.getValues([a]).then(
      (r) => r.errors.get(a),
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(UnavailableError);
    // Either the last answer came back with no time for another try, or the deadline cut a call short.
    expect(err?.message).toMatch(/(with no time left for another try within|did not finish within) the time limit of 0\.3 s \(flag --timeout\)/);
    expect(sm.commandCalls(BatchGetSecretValueCommand).length).toBeGreaterThan(3);
  });

  it('an answer without a value names the secret and says it has none', async () => {
    const { store } = mockedStore();
    sm.on(BatchGetSecretValueCommand).resolves({ SecretValues: [value(a), { Name: b, VersionId: 'v0' }] });
    const batch = await store.getValues([a, b]);
    expect(batch.values.has(a)).toBe(true);
    expect(batch.errors.get(b)?.message).toBe(`secret ${b} has no current value (no AWSCURRENT version; it was made without a value, perhaps by another tool)`);
  });

  it('a per-id "not found" for a secret that exists without AWSCURRENT: no current value, by name', async () => {
    const { store } = mockedStore();
    answerBatch({ [b]: 'ResourceNotFoundException' });
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'no AWSCURRENT', $metadata: {} }));
    sm.on(DescribeSecretCommand).resolves({ Name: b });
    const batch = await store.getValues([a, b]);
    expect(batch.values.has(a)).toBe(true);
    expect((batch.errors.get(b) as NotFoundError).subject).toBe('version');
    expect(batch.errors.get(b)?.message).toMatch(/^secret scoped\/acme\/_\/_\/B has no current value/);
  });

  it('a whole batch refused as not found (as moto does for one id without a value): each id read alone', async () => {
    const { store } = mockedStore();
    sm.on(BatchGetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'no AWSCURRENT', $metadata: {} }));
    sm.on(GetSecretValueCommand).callsFake(async (input: { SecretId: string }) => {
      if (input.SecretId === b) throw new ResourceNotFoundException({ message: 'no AWSCURRENT', $metadata: {} });
      return { ...value(input.SecretId), $metadata: {} };
    });
    sm.on(DescribeSecretCommand).resolves({ Name: b });
    const batch = await store.getValues([a, b, c]);
    expect([...batch.values.keys()].sort()).toEqual([a, c]);
    expect(batch.errors.get(b)?.message).toMatch(/has no current value/);
  });

  it('per-id codes scoped does not know are one line each (exit 1), naming the code', async () => {
    const { store } = mockedStore();
    answerBatch({ [a]: 'BrandNewException' });
    const batch = await store.getValues([a]);
    expect(batch.errors.get(a)).toBeInstanceOf(AwsRefusedError);
  });
});

/**
 * BatchGetSecretValue reports ResourceNotFoundException for one id in its Errors list (a replica lagging,
 * a secret created a moment ago), and the follow-up GetSecretValue of that id succeeds: the key is read,
 * not failed as not found; through the store and through the deployment's read of winners.
 */
import { BatchGetSecretValueCommand, GetSecretValueCommand, type BatchGetSecretValueCommandInput } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../src/errors.js';
import { readCandidates } from '../../../src/service/deployment.js';
import { mockedStore, sm } from '../../helpers/mock-store.js';

const A = 'scoped/acme/_/_/A';
const B = 'scoped/acme/_/_/B';
const C = 'scoped/acme/_/_/C';

function batchSaysNotFound(missing: string): void {
  sm.on(BatchGetSecretValueCommand).callsFake(async (input: BatchGetSecretValueCommandInput) => {
    const ids = input.SecretIdList ?? [];
    return {
      SecretValues: ids.filter((id) => id !== missing).map((id) => ({ Name: id, SecretString: `v:${id}`, VersionId: 'v1', VersionStages: ['AWSCURRENT'] })),
      Errors: ids.filter((id) => id === missing).map((id) => ({ SecretId: id, ErrorCode: 'ResourceNotFoundException', Message: 'injected' })),
    };
  });
}

describe('a batch error that a re-read fixes', () => {
  it('getValues: the id re-read alone is a value, with no error left for it', async () => {
    const { store } = mockedStore();
    batchSaysNotFound(B);
    sm.on(GetSecretValueCommand, { SecretId: B }).resolves({ Name: B, SecretString: 'v:B-alone', VersionId: 'v2', VersionStages: ['AWSCURRENT'] });
    const batch = await store.getValues([A, B, C]);
    expect(batch.values.get(B)?.value).toBe('v:B-alone');
    expect(batch.errors.has(B)).toBe(false);
    expect(batch.errors.size).toBe(0);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('readCandidates (export, run): every key read, none failed as not found', async () => {
    const { store } = mockedStore();
    batchSaysNotFound(B);
    sm.on(GetSecretValueCommand, { SecretId: B }).resolves({ Name: B, SecretString: 'v:B-alone', VersionId: 'v2', VersionStages: ['AWSCURRENT'] });
    const scope = { org: 'acme' };
    const values = await readCandidates(store, [
      { key: 'A', scope, name: A },
      { key: 'B', scope, name: B },
    ]);
    expect(Object.fromEntries(values)).toEqual({ [A]: `v:${A}`, [B]: 'v:B-alone' });
  });

  it('when the re-read says not found too, the key fails as not found', async () => {
    const { store } = mockedStore();
    batchSaysNotFound(B);
    const { ResourceNotFoundException, DescribeSecretCommand } = await import('@aws-sdk/client-secrets-manager');
    sm.on(GetSecretValueCommand, { SecretId: B }).rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));
    sm.on(DescribeSecretCommand).rejects(new ResourceNotFoundException({ message: 'gone', $metadata: {} }));
    const batch = await store.getValues([A, B]);
    expect(batch.errors.get(B)).toBeInstanceOf(NotFoundError);
    expect(batch.values.has(B)).toBe(false);
  });
});

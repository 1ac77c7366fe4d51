/** The batch -> per-key fallback against a mocked client: which calls, and that nothing is lost. */
import { BatchGetSecretValueCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { expect, it } from 'vitest';
import { mockedStore, rejectWith, sm } from '../helpers/mock-store.js';

const names = Array.from({ length: 100 }, (_, i) => `scoped/acme/_/_/K${i}`);

it('a throttled batch call gives way to GetSecretValue per key for it and every later batch', async () => {
  const { store, lines } = mockedStore();
  sm.on(BatchGetSecretValueCommand).rejects(rejectWith('ThrottlingException'));
  sm.on(GetSecretValueCommand).callsFake((input: { SecretId: string }) => ({
    Name: input.SecretId,
    SecretString: `v-${input.SecretId}`,
    VersionId: 'v1',
    VersionStages: ['AWSCURRENT'],
  }));
  const got = await store.getValues(names);
  expect(got.errors.size).toBe(0);
  expect([...got.values.keys()].sort()).toEqual([...names].sort());
  expect(got.values.get(names[7] as string)?.value).toBe(`v-${names[7]}`);
  // 5 batches, 4 in flight: the fifth starts after the switch and never asks for a batch.
  expect(sm.commandCalls(BatchGetSecretValueCommand).length).toBeLessThanOrEqual(4);
  expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(100);
  expect(lines.filter((l) => /throttled: reading the rest one by one/.test(l))).toHaveLength(1);
});

it('other batch failures are not a reason to switch', async () => {
  const { store } = mockedStore();
  sm.on(BatchGetSecretValueCommand).rejects(rejectWith('AccessDeniedException'));
  await expect(store.getValues(names.slice(0, 3))).rejects.toThrow(/access denied/);
  expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
});

it('a batch that answered before the throttle keeps its values; only the rest are read per key', async () => {
  const { store } = mockedStore();
  const first = names.slice(0, 20);
  sm.on(BatchGetSecretValueCommand)
    .resolvesOnce({ SecretValues: first.map((n) => ({ Name: n, SecretString: `b-${n}`, VersionId: 'v1' })) })
    .rejects(rejectWith('ThrottlingException'));
  sm.on(GetSecretValueCommand).callsFake((input: { SecretId: string }) => ({ Name: input.SecretId, SecretString: `g-${input.SecretId}`, VersionId: 'v1' }));
  const got = await store.getValues(names.slice(0, 40));
  expect(got.values.get(first[0] as string)?.value).toBe(`b-${first[0]}`);
  expect(got.values.get(names[30] as string)?.value).toBe(`g-${names[30]}`);
  expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(20);
});

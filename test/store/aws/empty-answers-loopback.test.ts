/**
 * Secrets Manager answering HTTP 200 with an empty body or `{}`: every operation scoped sends checks that
 * the answer carries what the command relies on, and fails with one line (exit 6) otherwise. The real SDK
 * over real HTTP to the fault proxy, with moto behind it for the set-up; only the operation under test is
 * answered empty.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode, UnavailableError, type ScopedError } from '../../../src/errors.js';
import type { SecretStore } from '../../../src/store/types.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { sandbox } from '../../helpers/io.js';
import { awsTestEnv, describeWithMoto, motoStore } from '../../helpers/moto.js';

const HINT = 'check --endpoint-url / AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL';
const BODIES = [
  ['an empty body', ''],
  ['{}', '{}'],
] as const;
const MARK = 'marker-value-8f3a';

const failure = async (work: () => Promise<unknown>) =>
  (await work().then(
    () => undefined,
    (e: unknown) => e,
  )) as ScopedError | undefined;

describeWithMoto('answers without what the command relies on', (moto) => {
  let proxy: FaultProxy;
  let n = 0;
  const name = (key: string) => `scoped/empty${n}/_/_/${key}`;

  const setUp = async (): Promise<{ store: SecretStore; existing: string }> => {
    n += 1;
    proxy ??= await startFaultProxy(moto().endpoint);
    proxy.reset();
    const store = await motoStore(proxy.endpoint);
    const existing = name('OLD');
    await store.create({ name: existing, value: MARK, tags: {} });
    proxy.reset();
    return { store, existing };
  };

  const cases: [string, string, (s: SecretStore, existing: string) => Promise<unknown>, string][] = [
    ['CreateSecret', 'create', (s) => s.create({ name: name('NEW'), value: MARK, tags: {} }), 'no VersionId'],
    ['PutSecretValue', 'putValue', (s, e) => s.putValue(e, MARK), 'no VersionId'],
    ['UpdateSecret', 'updateDescription', (s, e) => s.updateDescription(e, 'd'), 'no ARN or Name'],
    ['DescribeSecret', 'describe', (s, e) => s.describe(e), 'no ARN or Name'],
    ['GetSecretValue', 'getValue', (s, e) => s.getValue(e), 'no VersionId, no SecretString or SecretBinary'],
    ['ListSecrets', 'list', (s) => s.list(['scoped/']), 'no SecretList'],
    ['ListSecretVersionIds', 'listVersions', (s, e) => s.listVersions(e), 'no Versions'],
    ['DeleteSecret', 'delete', (s, e) => s.delete(e, { recoveryDays: 7 }), 'no DeletionDate'],
    ['RestoreSecret', 'restore', (s, e) => s.restore(e), 'no ARN or Name'],
  ];

  for (const [label, body] of BODIES) {
    it.each(cases)(`${label} on %s (store.%s): exit 6, one line naming the missing field`, async (op, _method, work, missing) => {
      const { store, existing } = await setUp();
      proxy.inject({ kind: 'raw', status: 200, body, contentType: 'application/x-amz-json-1.1' }, { ops: [op] });
      const err = await failure(() => work(store, existing));
      expect(err).toBeInstanceOf(UnavailableError);
      expect(err?.exitCode).toBe(ExitCode.unavailable);
      expect(err?.line()).toBe(`the endpoint ${proxy.endpoint} did not answer like Secrets Manager (${missing} in its ${op} answer); ${HINT}`);
      expect(err?.line()).not.toContain(MARK);
      // Not retried: the same server would answer the same.
      expect(proxy.counts.get(op)).toBe(1);
    });

    it(`${label} on BatchGetSecretValue: the read fails with that line, nothing is read as empty`, async () => {
      const { store, existing } = await setUp();
      proxy.inject({ kind: 'raw', status: 200, body, contentType: 'application/x-amz-json-1.1' }, { ops: ['BatchGetSecretValue'] });
      const err = await failure(() => store.getValues([existing]));
      expect(err?.line()).toBe(`the endpoint ${proxy.endpoint} did not answer like Secrets Manager (no SecretValues in its BatchGetSecretValue answer); ${HINT}`);
    });

    it(`${label} on a GetSecretValue by version (a pinned read): exit 6`, async () => {
      const { store, existing } = await setUp();
      const { versionId } = await store.getValue(existing);
      proxy.inject({ kind: 'raw', status: 200, body, contentType: 'application/x-amz-json-1.1' }, { ops: ['GetSecretValue'] });
      const err = await failure(() => store.getValue(existing, { versionId }));
      expect(err?.exitCode).toBe(ExitCode.unavailable);
    });
  }

  it('RemoveRegionsFromReplication answered with {}: the delete of a replicated secret stops there', async () => {
    const { store } = await setUp();
    const replicated = name('REPL');
    await store.create({ name: replicated, value: MARK, tags: {}, replicaRegions: ['eu-west-1'] });
    proxy.inject({ kind: 'raw', status: 200, body: '{}', contentType: 'application/x-amz-json-1.1' }, { ops: ['RemoveRegionsFromReplication'] });
    const err = await failure(() => store.delete(replicated, { recoveryDays: 7, removeReplicas: true }));
    expect(err?.line()).toBe(
      `the endpoint ${proxy.endpoint} did not answer like Secrets Manager (no ARN or ReplicationStatus in its RemoveRegionsFromReplication answer); ${HINT}`,
    );
    expect(proxy.counts.get('DeleteSecret') ?? 0).toBe(0);
  });

  it.each([
    ['ListSecrets', '{"SecretList":[{}]}', (s: SecretStore) => s.list(['scoped/']), 'an entry without Name in SecretList'],
    ['ListSecretVersionIds', '{"Versions":[{"VersionStages":["AWSCURRENT"]}]}', (s: SecretStore, e: string) => s.listVersions(e), 'an entry without VersionId in Versions'],
  ] as const)('%s with an entry missing its name or id: exit 6, not an entry skipped', async (op, body, work, missing) => {
    const { store, existing } = await setUp();
    proxy.inject({ kind: 'raw', status: 200, body, contentType: 'application/x-amz-json-1.1' }, { ops: [op] });
    const err = await failure(() => work(store, existing));
    expect(err?.line()).toBe(`the endpoint ${proxy.endpoint} did not answer like Secrets Manager (${missing} in its ${op} answer); ${HINT}`);
  });

  it('a batch answer that leaves an id out (neither value nor error): exit 6 for it, not "not found"', async () => {
    const { store, existing } = await setUp();
    proxy.inject({ kind: 'raw', status: 200, body: '{"SecretValues":[],"Errors":[]}', contentType: 'application/x-amz-json-1.1' }, { ops: ['BatchGetSecretValue'] });
    const batch = await store.getValues([existing]);
    const err = batch.errors.get(existing) as ScopedError;
    expect(err.exitCode).toBe(ExitCode.unavailable);
    expect(err.line()).toBe(
      `the endpoint ${proxy.endpoint} did not answer like Secrets Manager (neither a value nor an error for secret ${existing} in its BatchGetSecretValue answers); ${HINT}`,
    );
  });

  describe('through the CLI', () => {
    const cli = async (args: string[], op: string, o: { stdin?: string } = {}) => {
      const org = `cli${++n}`;
      proxy ??= await startFaultProxy(moto().endpoint);
      proxy.reset();
      const sb = sandbox(awsTestEnv(proxy.endpoint));
      try {
        const base = ['--backend', 'aws', '--org', org, '--endpoint-url', proxy.endpoint];
        const made = await sb.run([...base, 'create', 'secret', 'K', '--project', 'p'], { stdin: MARK });
        expect(made.code).toBe(0);
        proxy.inject({ kind: 'raw', status: 200, body: '{}', contentType: 'application/x-amz-json-1.1' }, { ops: [op] });
        return await sb.run([...base, ...args], o);
      } finally {
        sb.cleanup();
      }
    };
    const oneLine = (r: { code: number; stdout: string; stderr: string }, op: string) => {
      expect(r.code).toBe(ExitCode.unavailable);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toHaveLength(2);
      expect(r.stderr).toContain(`did not answer like Secrets Manager (`);
      expect(r.stderr).toContain(` in its ${op} answer)`);
      expect(r.stderr).not.toContain(MARK);
    };

    it('create secret: no "Created"', async () => {
      const r = await cli(['create', 'secret', 'NEW', '--project', 'p'], 'CreateSecret', { stdin: 'v' });
      oneLine(r, 'CreateSecret');
    });

    it('update secret: no "Updated"', async () => {
      const r = await cli(['update', 'secret', 'K', '--project', 'p'], 'PutSecretValue', { stdin: 'v2' });
      oneLine(r, 'PutSecretValue');
    });

    it('export: nothing exported, exit 6', async () => {
      const r = await cli(['export', '--project', 'p', '--domain', 'd', '--format', 'json'], 'BatchGetSecretValue');
      expect(r.code).toBe(ExitCode.unavailable);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toHaveLength(2);
      expect(r.stderr).toContain('did not answer like Secrets Manager (no SecretValues in its BatchGetSecretValue answer)');
    });

    it('export with {} for ListSecrets: exit 6, not an empty export', async () => {
      oneLine(await cli(['export', '--project', 'p', '--domain', 'd', '--format', 'json'], 'ListSecrets'), 'ListSecrets');
    });

    it('run: the child never starts', async () => {
      const r = await cli(['run', '--project', 'p', '--domain', 'd', '--', process.execPath, '-e', 'console.log("child ran")'], 'BatchGetSecretValue');
      expect(r.code).toBe(ExitCode.unavailable);
      expect(r.stdout).toBe('');
      expect(r.stderr).not.toContain('child ran');
    });

    it('delete secret: no blank date', async () => {
      oneLine(await cli(['delete', 'secret', 'K', '--project', 'p', '--recovery-days', '7', '--yes'], 'DeleteSecret'), 'DeleteSecret');
    });

    it('import: nothing reported as written', async () => {
      const r = await cli(['import', '-', '--project', 'p', '--format', 'dotenv'], 'CreateSecret', { stdin: 'NEWKEY=v\n' });
      expect(r.code).toBe(ExitCode.unavailable);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('did not answer like Secrets Manager (no VersionId in its CreateSecret answer)');
    });
  });

  afterAll(async () => proxy?.close());
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DescribeSecretCommand, RestoreSecretCommand } from '@aws-sdk/client-secrets-manager';
import { Context, type GlobalOptions } from '../../src/cli/context.js';
import { deleteSecretCommand, runDeleteSecret } from '../../src/commands/delete-secret.js';
import { getSecretCommand, runGetSecret } from '../../src/commands/get-secret.js';
import { runRestoreSecret } from '../../src/commands/restore-secret.js';
import { InterruptedError, UsageError } from '../../src/errors.js';
import type { DeleteMode, SecretDetails, SecretStore } from '../../src/store/types.js';
import { testIO, type TestIOOptions } from '../helpers/io.js';
import { mockedStore, sm } from '../helpers/mock-store.js';

// The command side of replicas and restore, against a small fake store (the AWS store's replica support
// is built on another branch) and, for restore, the AWS store on a mocked client.
const dir = mkdtempSync(join(tmpdir(), 'scoped-replicas-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NAME = 'scoped/acme/_/_/DB_URL';

/** Only what the commands under test call; anything else fails the test. */
class FakeStore {
  readonly backend = 'aws';
  deletes: { name: string; mode: DeleteMode }[] = [];
  constructor(private readonly details: Partial<SecretDetails>) {}
  async describe(name: string): Promise<SecretDetails> {
    return { name, tags: {}, versions: { v1: ['AWSCURRENT'] }, ...this.details };
  }
  async delete(name: string, mode: DeleteMode): Promise<{ deletionDate?: Date }> {
    this.deletes.push({ name, mode });
    return { deletionDate: new Date('2027-01-01T00:00:00Z') };
  }
}

function contextFor(store: FakeStore | SecretStore, o: TestIOOptions & Partial<GlobalOptions> = {}) {
  const io = testIO({ ...o, cwd: dir, env: { SCOPED_ORG: 'acme', HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') } });
  const ctx = new Context(io, { color: false, debug: false, quiet: false, yes: o.yes ?? false, output: o.output });
  ctx.store = async () => store as SecretStore;
  return { ctx, io };
}

const REPLICAS = [
  { region: 'eu-west-1', status: 'InSync' },
  { region: 'ap-south-1', status: 'InProgress' },
];

describe('get secret KEY shows replicas', () => {
  it('as a field, region and status, on a terminal and piped', async () => {
    for (const tty of [true, false]) {
      const { ctx, io } = contextFor(new FakeStore({ replicas: REPLICAS }), { tty });
      await runGetSecret(ctx, getSecretCommand.build(['DB_URL'], {}));
      expect(io.stdout.text).toMatch(/^replicas: +eu-west-1 \(InSync\), ap-south-1 \(InProgress\)$/m);
    }
  });

  it('in -o json as a list (empty without replicas); no field in the table then', async () => {
    const { ctx, io } = contextFor(new FakeStore({ replicas: REPLICAS }), { output: 'json' });
    await runGetSecret(ctx, getSecretCommand.build(['DB_URL'], {}));
    expect(JSON.parse(io.stdout.text)).toMatchObject({ replicas: REPLICAS });
    const none = contextFor(new FakeStore({}), { output: 'json' });
    await runGetSecret(none.ctx, getSecretCommand.build(['DB_URL'], {}));
    expect(JSON.parse(none.io.stdout.text)).toMatchObject({ replicas: [] });
    const table = contextFor(new FakeStore({}));
    await runGetSecret(table.ctx, getSecretCommand.build(['DB_URL'], {}));
    expect(table.io.stdout.text).not.toMatch(/replicas/);
  });
});

describe('delete secret with replicas', () => {
  it('on a terminal, asks naming the replicas, then deletes with them removed', async () => {
    const store = new FakeStore({ replicas: REPLICAS });
    const { ctx, io } = contextFor(store, { tty: true, answers: [true] });
    await runDeleteSecret(ctx, deleteSecretCommand.build(['DB_URL'], {}));
    expect(io.prompts).toEqual(['Delete DB_URL at org acme with a 30-day recovery window, and remove its replicas in eu-west-1, ap-south-1 at once?']);
    expect(store.deletes).toEqual([{ name: NAME, mode: { recoveryDays: 30, removeReplicas: true } }]);
    expect(io.stderr.text).toBe(
      '✓ Removed the replicas of DB_URL at org acme in eu-west-1, ap-south-1 (a restore does not bring them back)\n' +
        '✓ Scheduled DB_URL at org acme for deletion on 2027-01-01T00:00:00Z; undo with: scoped restore secret DB_URL\n',
    );
  });

  it('a "no" at the prompt deletes nothing (exit 130)', async () => {
    const store = new FakeStore({ replicas: REPLICAS });
    const { ctx } = contextFor(store, { tty: true, answers: [false] });
    await expect(runDeleteSecret(ctx, deleteSecretCommand.build(['DB_URL'], { force: true }))).rejects.toThrow(InterruptedError);
    expect(store.deletes).toEqual([]);
  });

  it('without a terminal, needs --yes; with it, removes the replicas and says so (and in -o json)', async () => {
    const store = new FakeStore({ replicas: REPLICAS });
    const piped = contextFor(store);
    await expect(runDeleteSecret(piped.ctx, deleteSecretCommand.build(['DB_URL'], {}))).rejects.toThrow(UsageError);
    expect(store.deletes).toEqual([]);
    const { ctx, io } = contextFor(store, { yes: true, output: 'json' });
    await runDeleteSecret(ctx, deleteSecretCommand.build(['DB_URL'], { force: true }));
    expect(store.deletes).toEqual([{ name: NAME, mode: { force: true, removeReplicas: true } }]);
    expect(io.stderr.text).toMatch(/Removed the replicas of DB_URL at org acme in eu-west-1, ap-south-1 .*\n.*Deleted DB_URL at org acme permanently\n$/);
    expect(JSON.parse(io.stdout.text)).toMatchObject({ force: true, replicasRemoved: ['eu-west-1', 'ap-south-1'] });
  });

  it('a secret without replicas is deleted as before (no removeReplicas asked for)', async () => {
    const store = new FakeStore({});
    const { ctx, io } = contextFor(store, { yes: true });
    await runDeleteSecret(ctx, deleteSecretCommand.build(['DB_URL'], { recoveryDays: '7' }));
    expect(store.deletes).toEqual([{ name: NAME, mode: { recoveryDays: 7 } }]);
    expect(io.stderr.text).not.toMatch(/replicas/);
  });
});

describe('restore secret on AWS decides by describing first (RestoreSecret on a live secret succeeds silently)', () => {
  it('a live secret: no RestoreSecret call, "nothing to restore", restored: false', async () => {
    const { store } = mockedStore();
    sm.on(DescribeSecretCommand).resolves({ Name: NAME, VersionIdsToStages: { v1: ['AWSCURRENT'] } });
    const { ctx, io } = contextFor(store, { output: 'json' });
    await runRestoreSecret(ctx, { key: 'DB_URL' });
    expect(sm).toHaveReceivedCommandTimes(RestoreSecretCommand, 0);
    expect(io.stderr.text).toBe('DB_URL at org acme is not scheduled for deletion; nothing to restore\n');
    expect(JSON.parse(io.stdout.text)).toMatchObject({ name: NAME, restored: false });
  });

  it('a secret scheduled for deletion: restored', async () => {
    const { store } = mockedStore();
    sm.on(DescribeSecretCommand).resolves({ Name: NAME, DeletedDate: new Date('2026-11-01T00:00:00Z'), VersionIdsToStages: { v1: ['AWSCURRENT'] } });
    sm.on(RestoreSecretCommand).resolves({ Name: NAME });
    const { ctx, io } = contextFor(store, { output: 'json' });
    await runRestoreSecret(ctx, { key: 'DB_URL' });
    expect(sm).toHaveReceivedCommandWith(RestoreSecretCommand, { SecretId: NAME });
    expect(io.stderr.text).toMatch(/Restored DB_URL at org acme/);
    expect(JSON.parse(io.stdout.text)).toMatchObject({ restored: true });
  });
});

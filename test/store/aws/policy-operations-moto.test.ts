/**
 * `scoped policy` is enough: every command runs against moto behind the fault proxy (which counts the
 * operations sent), and each operation a write command sent is allowed by `policy --access write`, each
 * operation a deployment read sent by `policy --access read`. A new call cannot be left out of the
 * policies: the commands themselves say what they send.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildPolicy, OPERATIONS } from '../../../src/core/policy.js';
import { REQUIRED } from '../../../src/store/aws/answers.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { sandbox, type Sandbox } from '../../helpers/io.js';
import { awsTestEnv, describeWithMoto } from '../../helpers/moto.js';

const allowed = (access: 'read' | 'write') =>
  new Set(buildPolicy({ access, prefix: 'scoped/', scope: { org: 'polops', project: 'p', domain: 'd' }, region: '*', account: '*' }).Statement.flatMap((s) => s.Action));

describeWithMoto('the policies allow every operation the commands send', (moto) => {
  let proxy: FaultProxy;
  let sb: Sandbox;
  let base: string[];
  const sent = { read: new Set<string>(), write: new Set<string>() };

  const run = async (access: 'read' | 'write', args: string[], stdin?: string) => {
    proxy.reset();
    const r = await sb.run([...base, ...args], stdin !== undefined ? { stdin } : {});
    expect([args.join(' '), r.code, r.stderr]).toEqual([args.join(' '), 0, expect.any(String)]);
    for (const op of proxy.counts.keys()) sent[access].add(op);
    return r;
  };

  beforeAll(async () => {
    proxy = await startFaultProxy(moto().endpoint);
    sb = sandbox(awsTestEnv(proxy.endpoint));
    base = ['--backend', 'aws', '--org', 'polops', '--endpoint-url', proxy.endpoint];
    writeFileSync(join(sb.dir, 'in.env'), 'IMPORTED=one\nOTHER=two\n');
  });
  afterAll(async () => {
    sb?.cleanup();
    await proxy?.close();
  });

  it('write commands (create, update, set, import, copy, history, rollback, pin --protect, delete, restore) send only what --access write allows', async () => {
    await run('write', ['create', 'secret', 'K', '-p', 'p', '-d', 'd', '--tag', 'team=x', '--description', 'd'], 'v1');
    await run('write', ['create', 'secret', 'R', '-p', 'p', '-d', 'd', '--replica-region', 'eu-west-1'], 'v1');
    await run('write', ['update', 'secret', 'K', '-p', 'p', '-d', 'd', '--description', 'new'], 'v2');
    await run('write', ['set', 'secret', 'S', '-p', 'p', '-d', 'd'], 'v');
    await run('write', ['create', 'secret', 'G', '-p', 'p', '-d', 'd', '--generate']);
    await run('write', ['import', 'in.env', '-p', 'p', '-d', 'd']);
    await run('write', ['import', 'in.env', '-p', 'p', '-d', 'd', '--on-conflict', 'update']);
    await run('write', ['copy', 'secret', '--all', '-p', 'p', '-d', 'd', '--to', 'p/e']);
    await run('write', ['copy', 'secret', 'K', '-p', 'p', '-d', 'd', '--to', 'p/f']);
    await run('write', ['get', 'secret', 'K', '-p', 'p', '-d', 'd', '--versions']);
    // History and rollback (issue 21): history, a rollback of one key and of a pin, a pin's protect labels.
    await run('write', ['history', 'secret', 'K', '-p', 'p', '-d', 'd']);
    await run('write', ['rollback', 'secret', 'K', '-p', 'p', '-d', 'd', '--previous', '--yes']);
    await run('write', ['pin', '-p', 'p', '-d', 'd', '--out', 'protected.pin.json', '--protect']);
    await run('write', ['rollback', '--pinned', 'protected.pin.json', '--yes']);
    await run('write', ['pin', '--unprotect', 'protected.pin.json']);
    await run('write', ['delete', 'secret', 'K', '-p', 'p', '-d', 'd', '--recovery-days', '7', '--yes']);
    await run('write', ['restore', 'secret', 'K', '-p', 'p', '-d', 'd']);
    await run('write', ['delete', 'secret', 'R', '-p', 'p', '-d', 'd', '--force', '--yes']);
    expect(sent.write).toContain('BatchGetSecretValue');
    expect(sent.write).toContain('GetRandomPassword');
    expect(sent.write).toContain('UpdateSecretVersionStage');
    const policy = allowed('write');
    expect([...sent.write].filter((op) => !policy.has(`secretsmanager:${op}`))).toEqual([]);
  });

  it('deployment reads (resolve, export, run, render, pin, --pinned, diff) send only what --access read allows', async () => {
    await run('read', ['resolve', '-p', 'p', '-d', 'd']);
    await run('read', ['export', '-p', 'p', '-d', 'd', '--format', 'json']);
    await run('read', ['run', '-p', 'p', '-d', 'd', '--', process.execPath, '-e', '']);
    writeFileSync(join(sb.dir, 't.tmpl'), '{{ OTHER }}\n');
    await run('read', ['render', 't.tmpl', '-p', 'p', '-d', 'd']);
    await run('read', ['pin', '-p', 'p', '-d', 'd', '--out', 'pin.json']);
    await run('read', ['export', '--pinned', 'pin.json', '--format', 'json']);
    await run('read', ['diff', 'p/d', 'p/e']);
    expect(sent.read.size).toBeGreaterThan(0);
    const policy = allowed('read');
    expect([...sent.read].filter((op) => !policy.has(`secretsmanager:${op}`))).toEqual([]);
  });

  it('every operation the code may send is in a policy and has its answer checked', () => {
    const all = new Set<string>([...OPERATIONS.read, ...OPERATIONS.anyResource, ...OPERATIONS.generate, ...OPERATIONS.write]);
    for (const op of [...sent.read, ...sent.write]) expect(all).toContain(op);
    expect(Object.keys(REQUIRED).sort()).toEqual([...all].sort());
  });
});

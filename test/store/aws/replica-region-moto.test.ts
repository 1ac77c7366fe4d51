/**
 * A region that holds a replica (DescribeSecret's PrimaryRegion differs from the client's region): `get
 * secret KEY` says "replica of REGION, read-only", and `delete secret` / `update secret` are refused with
 * one line pointing at the primary region (`--region PRIMARY`), exit 4, nothing changed. On moto, whose
 * replicas answer writes with InvalidParameterException (AWS: InvalidRequestException).
 */
import { expect, it } from 'vitest';
import { ConflictError, ExitCode } from '../../../src/errors.js';
import { createAwsStore } from '../../../src/store/aws/aws-store.js';
import { sandbox } from '../../helpers/io.js';
import { awsConfig, awsTestEnv, describeWithMoto, motoStore } from '../../helpers/moto.js';

describeWithMoto('a replica region', (moto) => {
  let n = 0;
  const seed = async () => {
    const org = `replica${++n}`;
    const name = `scoped/${org}/_/_/K`;
    const primary = await motoStore(moto().endpoint);
    await primary.create({ name, value: 'marker-replica-value', tags: { 'scoped:org': org, 'scoped:key': 'K' }, replicaRegions: ['eu-west-1'] });
    const sb = sandbox(awsTestEnv(moto().endpoint, { AWS_REGION: 'eu-west-1' }));
    const base = ['--backend', 'aws', '--org', org, '--endpoint-url', moto().endpoint, '--region', 'eu-west-1'];
    return { org, name, primary, sb, base };
  };

  it('describe in the replica region names the primary, with no replicas of its own', async () => {
    const { name } = await seed();
    const replica = await createAwsStore(awsConfig(moto().endpoint, { region: { value: 'eu-west-1', source: 'test' } }), awsTestEnv(moto().endpoint), { debug: () => undefined });
    const d = await replica.describe(name);
    expect(d.replicaOf).toBe('us-east-1');
    expect(d.replicas).toEqual([]);
    const primary = await motoStore(moto().endpoint);
    expect((await primary.describe(name)).replicaOf).toBeUndefined();
  });

  it('get secret KEY: "replica of us-east-1, read-only" (and replicaOf in -o json)', async () => {
    const { sb, base } = await seed();
    try {
      const r = await sb.run([...base, 'get', 'secret', 'K']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^replica:\s+replica of us-east-1, read-only$/m);
      const j = await sb.run([...base, 'get', 'secret', 'K', '-o', 'json']);
      expect(JSON.parse(j.stdout).replicaOf).toBe('us-east-1');
    } finally {
      sb.cleanup();
    }
  });

  it.each([
    ['delete secret K --yes', ['delete', 'secret', 'K', '--yes']],
    ['delete secret K --force --yes', ['delete', 'secret', 'K', '--force', '--yes']],
    ['update secret K', ['update', 'secret', 'K']],
    ['update secret K --no-value --description', ['update', 'secret', 'K', '--no-value', '--description', 'd']],
  ])('%s: exit 4, one line pointing at --region us-east-1, nothing changed', async (_label, args) => {
    const { sb, base, name, primary } = await seed();
    try {
      const r = await sb.run([...base, ...args], { stdin: 'new-value' });
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`is a replica of us-east-1, read-only`);
      expect(r.stderr).toContain('add --region us-east-1');
      expect(r.stderr).not.toContain('marker-replica-value');
      expect(r.code).toBe(ExitCode.conflict);
      const after = await primary.describe(name);
      expect(after.deletedAt).toBeUndefined();
      expect((await primary.getValue(name)).value).toBe('marker-replica-value');
    } finally {
      sb.cleanup();
    }
  });

  it('the store refuses a put in the replica region as a replica refusal', async () => {
    const { name } = await seed();
    const replica = await createAwsStore(awsConfig(moto().endpoint, { region: { value: 'eu-west-1', source: 'test' } }), awsTestEnv(moto().endpoint), { debug: () => undefined });
    const err = (await replica.putValue(name, 'x').catch((e: unknown) => e)) as ConflictError;
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.reason).toBe('replica');
    expect(err.line()).toBe(
      `secret ${name} is a replica of us-east-1, read-only in eu-west-1: Secrets Manager changes it only in its primary region; run it against the primary region: add --region us-east-1`,
    );
  });
});

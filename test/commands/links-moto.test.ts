/**
 * Secrets you do not own, through main against moto. The other team's secrets are made by the AWS CLI v2:
 * an AWS-managed `rds!db-...` JSON secret in a second region (eu-west-1, as chamber#618 asks), and a shared
 * key outside scoped's prefix (Metaflow's full-ARN sources). Every command reads through the links; after
 * every command the targets' versions and metadata, read with the AWS CLI, are what they were: no command
 * writes to a link's target.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { sandbox, type Sandbox } from '../helpers/io.js';
import { awsTestEnv, describeWithMoto } from '../helpers/moto.js';

const AWS_CLI = '/usr/bin/aws';
const RDS_PW = 'rds-PASSWORD-1';
const SHARED = 'shared-API-KEY-1';

describeWithMoto('links through main (moto, targets made by the AWS CLI)', (moto) => {
  let sb: Sandbox;
  let rds: string;
  let shared: string;
  let snapshot: string;
  /** Targets the test itself deleted: no longer compared. */
  const gone = new Set<string>();

  function aws(region: string, ...args: string[]): Record<string, unknown> {
    const r = spawnSync(AWS_CLI, ['secretsmanager', ...args, '--endpoint-url', moto().endpoint, '--region', region, '--output', 'json'], {
      encoding: 'utf8',
      env: { ...awsTestEnv(moto().endpoint), PATH: process.env.PATH ?? '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', HOME: sb.dir },
    });
    if (r.status !== 0) throw new Error(`aws ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Record<string, unknown>);
  }
  /** Everything a write would change on the targets: versions (deprecated too), stages, tags, dates, description. */
  const targets = () =>
    JSON.stringify(
      [
        ['eu-west-1', rds],
        ['us-east-1', shared],
      ]
        .filter(([, arn]) => !gone.has(arn as string))
        .map(([region, arn]) => {
          const d = aws(region as string, 'describe-secret', '--secret-id', arn as string);
          const { LastAccessedDate: _read, ...rest } = d;
          // A read moves LastAccessedDate (of the secret and of the version read): not a write. (moto answers
          // each version's CreatedDate as the time of the listing: left out too; LastChangedDate stays.)
          const versions = (aws(region as string, 'list-secret-version-ids', '--secret-id', arn as string, '--include-deprecated').Versions as Record<string, unknown>[]).map(
            (v) => [v.VersionId, v.VersionStages],
          );
          return { ...rest, versions };
        }),
    );
  const run = async (argv: string[], stdin?: string) => {
    const r = await sb.run(argv, stdin !== undefined ? { stdin } : {});
    // No value of a target ever reaches stderr; stdout only where asked for.
    expect(r.stderr).not.toContain(RDS_PW);
    expect(r.stderr).not.toContain(SHARED);
    return r;
  };
  const ok = async (argv: string[], stdin?: string) => {
    const r = await run(argv, stdin);
    expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout;
  };
  const exported = async (...extra: string[]) => JSON.parse(await ok(['export', '--format', 'json', ...extra])) as Record<string, string>;

  beforeAll(async () => {
    await moto().reset();
    sb = sandbox({ ...awsTestEnv(moto().endpoint), SCOPED_BACKEND: 'aws', SCOPED_ORG: 'acme', AWS_MAX_ATTEMPTS: '2' });
    rds = aws(
      'eu-west-1',
      'create-secret',
      '--name',
      'rds!db-0a1b2c3d-4e5f',
      '--secret-string',
      JSON.stringify({ engine: 'postgres', username: 'admin', password: RDS_PW, port: 5432 }),
    ).ARN as string;
    shared = aws('us-east-1', 'create-secret', '--name', 'platform/shared/api-key', '--secret-string', SHARED).ARN as string;
    await ok(['create', 'secret', 'LOG_LEVEL', 'info']);
    await ok(['link', 'secret', 'DB_PASSWORD', '--arn', rds, '--field', 'password']);
    await ok(['link', 'secret', 'DB_USER', '-p', 'billing', '--arn', rds, '--field', 'username']);
    await ok(['link', 'secret', 'API_KEY', '-d', 'production', '--arn', shared]);
    // A narrower own secret wins over the broader link.
    await ok(['create', 'secret', 'DB_PASSWORD', '-p', 'billing', '-d', 'production', 'own-narrow']);
    snapshot = targets();
  }, 120_000);
  afterEach(() => {
    expect(targets()).toBe(snapshot);
  });
  afterAll(() => sb?.cleanup());

  it('export reads through every link; precedence unchanged (a narrower own secret wins)', async () => {
    expect(await exported('-p', 'billing', '-d', 'staging')).toEqual({ DB_PASSWORD: RDS_PW, DB_USER: 'admin', LOG_LEVEL: 'info' });
    expect(await exported('-p', 'billing', '-d', 'production')).toEqual({ API_KEY: SHARED, DB_PASSWORD: 'own-narrow', DB_USER: 'admin', LOG_LEVEL: 'info' });
  });

  it('run and render read through', async () => {
    const out = await ok([
      'run',
      '-p',
      'billing',
      '-d',
      'staging',
      '--',
      process.execPath,
      '-e',
      'process.stdout.write(String([process.env.DB_USER === "admin", process.env.DB_PASSWORD === "rds-PASSWORD-1"]))',
    ]);
    expect(out).toBe('true,true');
    writeFileSync(join(sb.dir, 't.tmpl'), 'user={{ secret "DB_USER" }} key={{ secret "API_KEY" }}\n');
    expect(await ok(['render', 't.tmpl', '-p', 'billing', '-d', 'production'])).toBe(`user=admin key=${SHARED}\n`);
  });

  it('diff and check compare through links, never printing a value', async () => {
    const d = await run(['diff', 'billing/staging', 'billing/production']);
    expect(d.stdout).toContain('DB_PASSWORD');
    expect(d.stdout).not.toContain(RDS_PW);
    const c = await run(['check', '-p', 'billing', '-d', 'staging', '--require', 'DB_PASSWORD', '--require', 'DB_USER']);
    expect(c.code, c.stderr).toBe(0);
  });

  it('resolve --explain and get secret show the target (ARN and field), never its value', async () => {
    const explain = await ok(['resolve', '-p', 'billing', '-d', 'staging', '--explain']);
    expect(explain).toContain(`${rds} field "password"`);
    expect(explain).not.toContain(RDS_PW);
    const json = JSON.parse(await ok(['resolve', '-p', 'billing', '-d', 'staging', '-o', 'json'])) as { key: string; link: unknown }[];
    expect(json.find((r) => r.key === 'DB_PASSWORD')?.link).toEqual({ arn: rds, field: 'password' });
    expect(json.find((r) => r.key === 'LOG_LEVEL')?.link).toBeNull();
    const got = await ok(['get', 'secret', 'DB_USER', '-p', 'billing']);
    expect(got).toContain(rds);
    expect(got).toContain('username');
    expect(got).not.toContain('admin');
    expect(await ok(['get', 'secret', 'DB_USER', '-p', 'billing', '--reveal'])).toBe('admin');
  });

  it('update and set on a link are exit 2 naming link --arn and delete secret; nothing is written', async () => {
    for (const argv of [
      ['update', 'secret', 'DB_PASSWORD', 'x'],
      ['set', 'secret', 'DB_PASSWORD', 'x'],
      ['set', 'secret', 'DB_PASSWORD', RDS_PW],
    ]) {
      const r = await run(argv);
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('link secret');
      expect(r.stderr).toContain('--arn');
      expect(r.stderr).toContain('delete secret');
    }
  });

  it("copy secret never copies a link's target value: by name exit 2, with --all left out with a warning", async () => {
    const named = await run(['copy', 'secret', 'DB_USER', '-p', 'billing', '--to', 'web/_']);
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('DB_USER at org acme, project billing is a link');
    expect(named.stderr).toContain('scoped link secret DB_USER --project web --arn ARN');
    const all = await run(['copy', 'secret', '--all', '-d', 'production', '--to', '_/staging']);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stderr).toContain('left out: API_KEY');
    expect(await exported('-p', 'billing', '-d', 'staging')).not.toHaveProperty('API_KEY');
  });

  it('refs and policy --runtime name the target (ECS valueFrom ARN:field::), and the policy allows it', async () => {
    const ecs = JSON.parse(await ok(['refs', '--format', 'ecs', '-p', 'billing', '-d', 'staging'])) as { name: string; valueFrom: string }[];
    expect(ecs.find((s) => s.name === 'DB_PASSWORD')?.valueFrom).toBe(`${rds}:password::`);
    expect(ecs.find((s) => s.name === 'DB_USER')?.valueFrom).toBe(`${rds}:username::`);
    // ESO: remoteRef key = the target's ARN, property = the field; CSI: objectName = the ARN, a jmesPath for the field.
    const eso = parseYaml(await ok(['refs', '--format', 'external-secret', '--store', 'aws-sm', '-p', 'billing', '-d', 'staging'])) as {
      spec: { data: { secretKey: string; remoteRef: { key: string; property?: string } }[] };
    };
    expect(eso.spec.data.find((d) => d.secretKey === 'DB_PASSWORD')?.remoteRef).toEqual({ key: rds, property: 'password' });
    const spc = parseYaml(await ok(['refs', '--format', 'secret-provider-class', '-p', 'billing', '-d', 'staging'])) as { spec: { parameters: { objects: string } } };
    const objects = parseYaml(spc.spec.parameters.objects) as { objectName: string; jmesPath?: { path: string; objectAlias: string }[] }[];
    expect(objects.filter((o) => o.objectName === rds).flatMap((o) => o.jmesPath ?? [])).toEqual(
      expect.arrayContaining([
        { path: 'password', objectAlias: 'DB_PASSWORD' },
        { path: 'username', objectAlias: 'DB_USER' },
      ]),
    );
    const r = await run(['policy', '--runtime', '-p', 'billing', '-d', 'production']);
    expect(r.code, r.stderr).toBe(0);
    const policy = JSON.parse(r.stdout) as { Statement: { Action: string[]; Resource: string | string[] }[] };
    const resources = policy.Statement.flatMap((s) => (s.Action.includes('secretsmanager:GetSecretValue') ? [s.Resource].flat() : []));
    expect(resources).toEqual(expect.arrayContaining([rds, shared]));
    expect(r.stderr).toContain('resource policy');
  });

  it('pin records the target version; after the target rotates an unpinned read follows it and a pinned read does not', async () => {
    await ok(['pin', '-p', 'billing', '-d', 'staging', '--out', 'pin.json']);
    aws('eu-west-1', 'put-secret-value', '--secret-id', rds, '--secret-string', JSON.stringify({ username: 'admin', password: 'rds-PASSWORD-2' }));
    snapshot = targets();
    expect((await exported('-p', 'billing', '-d', 'staging')).DB_PASSWORD).toBe('rds-PASSWORD-2');
    expect((await exported('--pinned', 'pin.json')).DB_PASSWORD).toBe(RDS_PW);
  });

  it('link to an absent ARN: exit 3 naming it, nothing written', async () => {
    const absent = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-gone-AbCdEf';
    const r = await run(['link', 'secret', 'GONE', '--arn', absent]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(absent)]);
    expect((await run(['get', 'secret', 'GONE'])).code).toBe(3);
  });

  it('--field is checked when the link is made: a field the target lacks, or a target that is not JSON, is exit 3 and nothing is linked', async () => {
    const typo = await run(['link', 'secret', 'DB_PASS', '--arn', rds, '--field', 'pasword']);
    expect([typo.code, typo.stdout]).toEqual([3, '']);
    expect(typo.stderr).toBe(
      `scoped: secret ${rds} has no field "pasword"; link another field with \`scoped link secret KEY --arn ARN --field F\`, or the whole value without --field\n`,
    );
    const plain = await run(['link', 'secret', 'DB_PASS', '--arn', shared, '--field', 'password']);
    expect([plain.code, plain.stdout]).toEqual([3, '']);
    expect(plain.stderr).toContain(`secret ${shared} is not a JSON object, so it has no field "password"`);
    expect(`${typo.stderr}${plain.stderr}`).not.toContain(RDS_PW);
    expect(`${typo.stderr}${plain.stderr}`).not.toContain(SHARED);
    expect((await run(['get', 'secret', 'DB_PASS'])).code).toBe(3);
  });

  it('delete secret unlinks: the link goes, the target stays; the target deleted: one line naming its ARN', async () => {
    await ok(['delete', 'secret', 'API_KEY', '-d', 'production', '--force', '--yes']);
    expect(await exported('-p', 'billing', '-d', 'production')).not.toHaveProperty('API_KEY');
    await ok(['link', 'secret', 'API_KEY', '-d', 'production', '--arn', shared]);
    aws('us-east-1', 'delete-secret', '--secret-id', shared, '--force-delete-without-recovery');
    gone.add(shared);
    snapshot = targets();
    const r = await sb.run(['export', '-p', 'billing', '-d', 'production', '--format', 'json']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`linked secret ${shared} does not exist`);
    // The link is still shown (with why it cannot be read) and can still be unlinked.
    const shown = await run(['get', 'secret', 'API_KEY', '-d', 'production']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain(shared);
    expect(shown.stderr).toContain(`linked secret ${shared} does not exist`);
    await ok(['delete', 'secret', 'API_KEY', '-d', 'production', '--force', '--yes']);
  });
});

/**
 * `refs --format ecs` for links and plain secrets, read by the AWS CLI v2 against moto: the container
 * `secrets` (valueFrom `ARN`, `ARN:field::`, `ARN:field::VERSION`, `ARN:::VERSION`) registered with
 * `aws ecs register-task-definition` and read back equal with `aws ecs describe-task-definition`.
 *
 * moto stores a container definition's `secrets` as given: it validates nothing in valueFrom (the last
 * test shows it takes one that is no ARN at all). So the round trip proves only that the AWS CLI's and
 * ECS's API shapes carry our text unchanged; what ECS would do with it is checked by dereferencing each
 * valueFrom as ECS documents it (the ARN's own region, GetSecretValue by ARN and version id, then the
 * JSON key) with the AWS CLI, which must give exactly `scoped export`'s values, current and pinned.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isCI } from '../../helpers/ci.js';
import { sandbox, type Sandbox } from '../../helpers/io.js';
import { awsTestEnv, describeWithMoto } from '../../helpers/moto.js';

const AWS_CLI = '/usr/bin/aws';
const RDS_PW = 'canary-ecs-links-rds-PW-1';
const SHARED = 'canary-ecs-links-shared-1';
const WHERE = ['-p', 'billing', '-d', 'production'];

interface EcsSecret {
  name: string;
  valueFrom: string;
}

/** valueFrom as ECS reads it: the ARN (7 parts), then json-key, version-stage, version-id. */
function ecsParts(valueFrom: string): { arn: string; region: string; field?: string; stage?: string; versionId?: string } {
  const parts = valueFrom.split(':');
  const arn = parts.slice(0, 7).join(':');
  const region = parts[3] as string;
  if (parts.length === 7) return { arn, region };
  expect(parts).toHaveLength(10);
  const [field, stage, versionId] = parts.slice(7) as [string, string, string];
  return { arn, region, ...(field ? { field } : {}), ...(stage ? { stage } : {}), ...(versionId ? { versionId } : {}) };
}

const haveCli = existsSync(AWS_CLI);

describeWithMoto('refs --format ecs with links, read back by the AWS CLI (moto)', (moto) => {
  let sb: Sandbox;
  let rds: string;
  let shared: string;
  let family = 0;

  function aws(region: string, ...args: string[]): Record<string, unknown> {
    const r = spawnSync(AWS_CLI, [...args, '--endpoint-url', moto().endpoint, '--region', region, '--output', 'json'], {
      encoding: 'utf8',
      env: { ...awsTestEnv(moto().endpoint), PATH: process.env.PATH ?? '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', HOME: sb.dir },
    });
    if (r.status !== 0) throw new Error(`aws ${args.slice(0, 2).join(' ')}: ${r.stderr}`);
    return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Record<string, unknown>);
  }
  const ok = async (argv: string[], stdin?: string) => {
    const r = await sb.run(argv, stdin !== undefined ? { stdin } : {});
    expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
    expect(r.stderr).not.toContain(RDS_PW);
    return r.stdout;
  };
  const ecs = async (...extra: string[]) => JSON.parse(await ok(['refs', '--format', 'ecs', ...WHERE, ...extra])) as EcsSecret[];
  const exported = async (...extra: string[]) => JSON.parse(await ok(['export', '--format', 'json', ...WHERE, ...extra])) as Record<string, string>;

  /** Registered, then described: the container's `secrets` as ECS (here moto) keeps them. */
  function roundTrip(secrets: EcsSecret[]): unknown {
    const name = `billing-${++family}`;
    const registered = aws(
      'us-east-1',
      'ecs',
      'register-task-definition',
      '--family',
      name,
      '--container-definitions',
      JSON.stringify([{ name: 'app', image: 'busybox', memory: 128, secrets }]),
    );
    const revision = (registered.taskDefinition as { revision: number }).revision;
    const described = aws('us-east-1', 'ecs', 'describe-task-definition', '--task-definition', `${name}:${revision}`);
    return (described.taskDefinition as { containerDefinitions: { secrets?: unknown }[] }).containerDefinitions[0]?.secrets;
  }

  /** Each valueFrom dereferenced as ECS does it, through the AWS CLI. */
  function dereferenced(secrets: EcsSecret[]): Record<string, string> {
    const out: Record<string, string> = {};
    for (const s of secrets) {
      const p = ecsParts(s.valueFrom);
      const args = ['secretsmanager', 'get-secret-value', '--secret-id', p.arn];
      if (p.versionId) args.push('--version-id', p.versionId);
      if (p.stage) args.push('--version-stage', p.stage);
      const text = aws(p.region, ...args).SecretString as string;
      out[s.name] = p.field === undefined ? text : String((JSON.parse(text) as Record<string, unknown>)[p.field]);
    }
    return out;
  }

  beforeAll(async () => {
    await moto().reset();
    sb = sandbox({ ...awsTestEnv(moto().endpoint), SCOPED_BACKEND: 'aws', SCOPED_ORG: 'acme', AWS_MAX_ATTEMPTS: '2' });
    if (!haveCli) return;
    // The other team's secrets: a JSON one in another region, a plain one outside scoped's prefix.
    rds = aws('eu-west-1', 'secretsmanager', 'create-secret', '--name', 'rds!db-ecs-0a1b', '--secret-string', JSON.stringify({ username: 'admin', password: RDS_PW }))
      .ARN as string;
    shared = aws('us-east-1', 'secretsmanager', 'create-secret', '--name', 'platform/ecs/api-key', '--secret-string', SHARED).ARN as string;
    await ok(['create', 'secret', 'LOG_LEVEL', 'info']);
    await ok(['create', 'secret', 'CONF', '-p', 'billing'], JSON.stringify({ host: 'db.internal', port: '5432' }));
    await ok(['link', 'secret', 'DB_PASSWORD', '-p', 'billing', '--arn', rds, '--field', 'password']);
    await ok(['link', 'secret', 'API_KEY', '-d', 'production', '--arn', shared]);
  }, 120_000);
  afterAll(() => sb?.cleanup());

  const needCli = () => {
    if (haveCli) return true;
    // scripts/install-test-tools.sh installs it (CI runs it); without it, say so loudly, or fail under CI.
    if (isCI()) throw new Error(`${AWS_CLI} is required under CI: run scripts/install-test-tools.sh`);
    console.warn(`!! SKIPPING the AWS CLI's reading of refs --format ecs with links: ${AWS_CLI} is missing`);
    return false;
  };

  it('current: a link is its target ARN (field as json-key), a plain secret its own; registered and described back equal', async () => {
    if (!needCli()) return;
    const secrets = await ecs('--expand', 'CONF');
    const byName = Object.fromEntries(secrets.map((s) => [s.name, s.valueFrom]));
    expect(byName.DB_PASSWORD).toBe(`${rds}:password::`);
    expect(byName.API_KEY).toBe(shared);
    expect(byName.CONF_HOST).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:scoped\/acme\/billing\/_\/CONF-[A-Za-z0-9]{6}:host::$/);
    expect(byName.LOG_LEVEL).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:scoped\/acme\/_\/_\/LOG_LEVEL-[A-Za-z0-9]{6}$/);
    expect(roundTrip(secrets)).toEqual(secrets);
    expect(dereferenced(secrets)).toEqual(await exported('--expand', 'CONF'));
  }, 180_000);

  it('pinned: ARN:field::VERSION and ARN:::VERSION of the targets, registered and described back equal, still the pinned bytes after the targets rotate', async () => {
    if (!needCli()) return;
    writeFileSync(join(sb.dir, 'pin.json'), await ok(['pin', ...WHERE, '--out', '-']));
    const want = await exported('--pinned', 'pin.json');
    const secrets = await ecs('--pinned', 'pin.json');
    const byName = Object.fromEntries(secrets.map((s) => [s.name, ecsParts(s.valueFrom)]));
    expect(byName.DB_PASSWORD).toMatchObject({ arn: rds, region: 'eu-west-1', field: 'password' });
    expect(byName.API_KEY).toMatchObject({ arn: shared, region: 'us-east-1' });
    for (const p of Object.values(byName)) expect(p.versionId).toMatch(/^[A-Za-z0-9_-]{32,64}$/);
    // The pinned version of a link is its target's.
    const rdsCurrent = (aws('eu-west-1', 'secretsmanager', 'describe-secret', '--secret-id', rds).VersionIdsToStages as Record<string, string[]>) ?? {};
    expect(rdsCurrent[byName.DB_PASSWORD?.versionId as string]).toContain('AWSCURRENT');
    expect(roundTrip(secrets)).toEqual(secrets);
    // The targets move on: the pinned references still give the pinned bytes.
    aws('eu-west-1', 'secretsmanager', 'put-secret-value', '--secret-id', rds, '--secret-string', JSON.stringify({ username: 'admin', password: `${RDS_PW}-rotated` }));
    aws('us-east-1', 'secretsmanager', 'put-secret-value', '--secret-id', shared, '--secret-string', `${SHARED}-rotated`);
    expect(dereferenced(secrets)).toEqual(want);
    expect(dereferenced(await ecs('--only', 'DB_PASSWORD', '--only', 'API_KEY'))).toEqual({ DB_PASSWORD: `${RDS_PW}-rotated`, API_KEY: `${SHARED}-rotated` });
  }, 180_000);

  it('moto validates nothing in valueFrom (why the references are also dereferenced above)', () => {
    if (!needCli()) return;
    const nonsense = [{ name: 'X', valueFrom: 'not an arn at all' }];
    expect(roundTrip(nonsense)).toEqual(nonsense);
  }, 60_000);
});

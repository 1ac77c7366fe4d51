/**
 * The built binary against moto, for the two cases issue 20 is done by:
 *  - chamber#618: an RDS-managed `rds!db-...` secret (its name cannot be chosen), in a second region, one
 *    field of its JSON value read as DB_PASSWORD;
 *  - Metaflow's full-ARN sources: a whole JSON secret in another region named by its full ARN, its fields
 *    as environment variables (`run --expand`), as `@secrets(sources=[ARN])` sets them.
 * The targets are made by the AWS CLI v2, as another team would make them. Also the local backend reading
 * a target on AWS. Dummy keys and a loopback endpoint only.
 */
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { binSandbox } from '../../helpers/bin.js';
import { awsTestEnv, describeWithMoto } from '../../helpers/moto.js';

const RDS_PW = 'rds-MANAGED-pw-1';

describeWithMoto('secrets you do not own, end to end (built binary, moto)', (moto) => {
  let sb: ReturnType<typeof binSandbox>;
  let env: Record<string, string>;
  beforeEach(async () => {
    await moto().reset();
    sb = binSandbox();
    env = { ...awsTestEnv(moto().endpoint), AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
  });
  afterEach(() => sb.cleanup());

  const awsCli = (region: string, ...args: string[]) => {
    const r = spawnSync('/usr/bin/aws', ['secretsmanager', ...args, '--endpoint-url', moto().endpoint, '--region', region, '--output', 'json'], {
      encoding: 'utf8',
      env: { ...sb.env, ...env },
    });
    expect(r.status, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { ARN: string };
  };
  const scoped = (args: string[], extra: Record<string, string> = {}) => sb.run(args, { env: { ...env, SCOPED_BACKEND: 'aws', SCOPED_ORG: 'acme', ...extra } });

  it("chamber#618: an rds! secret's password in another region, by --field", () => {
    const { ARN } = awsCli(
      'eu-central-1',
      'create-secret',
      '--name',
      'rds!db-3f1c2a77-9b1e-4d5a-8c0e-2b6f4e1d9a10',
      '--secret-string',
      JSON.stringify({ username: 'postgres', password: RDS_PW }),
    );
    const linked = scoped(['link', 'secret', 'DB_PASSWORD', '-p', 'billing', '-d', 'production', '--arn', ARN, '--field', 'password']);
    expect(linked.code, linked.stderr).toBe(0);
    expect(linked.stderr).toContain(`Linked DB_PASSWORD at org acme, project billing, domain production to ${ARN} field "password"`);
    const exported = scoped(['export', '-p', 'billing', '-d', 'production', '--format', 'json']);
    expect(exported.code, exported.stderr).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual({ DB_PASSWORD: RDS_PW });
    const explained = scoped(['resolve', '-p', 'billing', '-d', 'production', '--explain']);
    expect(explained.stdout).toContain(ARN);
    expect(explained.stdout + explained.stderr).not.toContain(RDS_PW);
    const updated = scoped(['update', 'secret', 'DB_PASSWORD', '-p', 'billing', '-d', 'production', 'x']);
    expect(updated.code).toBe(2);
    expect(updated.stderr).toMatch(/link secret .*--arn.*delete secret/);
  });

  it("Metaflow's full-ARN source: a whole JSON secret in another region, its fields as variables", () => {
    const { ARN } = awsCli(
      'ap-southeast-2',
      'create-secret',
      '--name',
      'prod-db-credentials',
      '--secret-string',
      JSON.stringify({ host: 'db.prod.internal', user: 'flow', password: 'metaflow-PW' }),
    );
    expect(scoped(['link', 'secret', 'DB', '-d', 'production', '--arn', ARN]).code).toBe(0);
    const r = scoped([
      'run',
      '-p',
      'flows',
      '-d',
      'production',
      '--expand',
      'DB',
      '--',
      process.execPath,
      '-e',
      'process.stdout.write([process.env.DB_HOST === "db.prod.internal", process.env.DB_USER === "flow", process.env.DB_PASSWORD === "metaflow-PW"].join(" "))',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('true true true');
  });

  it('the local backend reads a target on AWS with the AWS settings (the region from the ARN)', () => {
    const { ARN } = awsCli('eu-west-2', 'create-secret', '--name', 'platform/shared/api-key', '--secret-string', 'shared-KEY');
    const local = { SCOPED_BACKEND: 'local', AWS_REGION: '' };
    expect(scoped(['link', 'secret', 'API_KEY', '--arn', ARN], local).code).toBe(0);
    const r = scoped(['export', '--format', 'json'], local);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ API_KEY: 'shared-KEY' });
  });
});

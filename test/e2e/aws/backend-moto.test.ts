/**
 * The built binary with `--backend aws` against moto: the AWS walkthrough (docs/aws.md) as written, exit codes
 * 2/3/4/5 with one line each, binary values and debug lines. Dummy keys and a loopback endpoint only.
 */
import { spawnSync } from 'node:child_process';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { binSandbox, BIN, readmeBlock, ROOT } from '../../helpers/bin.js';
import { awsTestEnv, describeWithMoto } from '../../helpers/moto.js';

/** `npm test` builds first; a lone `vitest run test/e2e/aws` may find dist/ missing or older than src/. */
function ensureBuilt(): void {
  const newest = (dir: string): number =>
    Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newest(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
  let built = 0;
  try {
    built = statSync(join(ROOT, 'dist', 'main.js')).mtimeMs;
  } catch {
    // not built
  }
  if (built < newest(join(ROOT, 'src'))) spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: ROOT });
}

describeWithMoto('end to end on AWS (built binary, moto)', (moto) => {
  let sb: ReturnType<typeof binSandbox>;
  let aws: Record<string, string>;
  beforeAll(() => ensureBuilt());
  beforeEach(async () => {
    await moto().reset();
    sb = binSandbox();
    aws = { ...awsTestEnv(moto().endpoint), SCOPED_BACKEND: 'aws', SCOPED_ORG: 'acme' };
  });
  afterEach(() => sb.cleanup());
  const run = (args: string[], o: { stdin?: string; env?: Record<string, string> } = {}) => sb.run(args, { ...o, env: { ...aws, ...o.env } });

  it("runs docs/aws.md's walkthrough as written", () => {
    const script = readmeBlock('Walkthrough', 'docs/aws.md');
    const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: sb.home,
      env: { ...sb.env, ...awsTestEnv(moto().endpoint), PATH: `${join(ROOT, 'bin')}:${sb.env.PATH}` },
      encoding: 'utf8',
    });
    expect(r.stderr).not.toMatch(/error|warning/i);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^name: +scoped\/acme\/billing\/production\/DB_URL$/m);
    expect(r.stdout).toMatch(/^tags: .*team=payments/m);
    expect(r.stdout).toContain('DB_URL\tproject-domain\tproject billing, domain production\torg (org acme)\n');
    // --reveal prints the winner alone: first the project-domain value, then (while deleted) the org's.
    expect(r.stdout).toContain('postgres://billing-prodpostgres://shared');
    expect(r.stderr).toMatch(/Scheduled DB_URL at org acme, project billing, domain production for deletion/);
    expect(r.stderr).toMatch(/Restored DB_URL/);
  });

  it('get --reveal after restore, and a scheduled name blocks create (exit 4), one line each', () => {
    expect(run(['create', 'secret', 'TOKEN', '-p', 'web'], { stdin: 'v1\n' }).code).toBe(0);
    const dup = run(['create', 'secret', 'TOKEN', '-p', 'web'], { stdin: 'v2\n' });
    expect([dup.code, dup.stdout]).toEqual([4, '']);
    expect(dup.stderr).toBe('scoped: secret TOKEN at org acme, project web already exists; change it with: scoped update secret TOKEN --project web\n');
    expect(run(['delete', 'secret', 'TOKEN', '-p', 'web', '--yes']).code).toBe(0);
    const blocked = run(['create', 'secret', 'TOKEN', '-p', 'web'], { stdin: 'v3\n' });
    expect(blocked.code).toBe(4);
    expect(blocked.stderr).toMatch(/^scoped: secret TOKEN at org acme, project web is scheduled for deletion; undo that with: scoped restore secret TOKEN --project web\n$/);
    expect(run(['restore', 'secret', 'TOKEN', '-p', 'web']).code).toBe(0);
    expect(run(['get', 'secret', 'TOKEN', '-p', 'web', '--reveal']).stdout).toBe('v1');
  });

  it("resolve -o json names each winner's ARN (what Flyte secret requests and Metaflow sources take)", () => {
    expect(run(['create', 'secret', 'TOKEN', '-p', 'web'], { stdin: 'v1\n' }).code).toBe(0);
    const r = run(['resolve', '-p', 'web', '-d', 'prod', '-o', 'json']);
    expect(r.code).toBe(0);
    const [winner] = JSON.parse(r.stdout) as { key: string; arn: string | null }[];
    expect(winner?.key).toBe('TOKEN');
    expect(winner?.arn).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:scoped\/acme\/web\/_\/TOKEN-\w{6}$/);
  });

  it('not found is exit 3 with one line', () => {
    const r = run(['get', 'secret', 'MISSING', '--domain', 'prod']);
    expect([r.code, r.stdout]).toEqual([3, '']);
    expect(r.stderr).toBe('scoped: no secret MISSING at org acme, domain prod; list this scope with: scoped get secret --domain prod\n');
  });

  it('no usable credentials is exit 5; no region and no endpoint is exit 2; neither sends a request', () => {
    const noKeys: Record<string, string> = {
      ...aws,
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_CONFIG_FILE: join(sb.home, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: join(sb.home, 'none'),
    };
    const denied = sb.run(['resolve', '-p', 'web'], { env: noKeys });
    expect([denied.code, denied.stdout]).toEqual([5, '']);
    expect(denied.stderr).toBe('scoped: no usable AWS credentials; check your AWS credentials (aws sts get-caller-identity), or pass --profile / --role-arn\n');
    const { AWS_REGION: _r, AWS_ENDPOINT_URL_SECRETS_MANAGER: _e, ...rest } = noKeys;
    const noRegion = spawnSync(process.execPath, [BIN, 'resolve'], { cwd: sb.home, env: { ...sb.env, ...rest }, encoding: 'utf8' });
    expect([noRegion.status, noRegion.stdout]).toEqual([2, '']);
    expect(noRegion.stderr).toBe('scoped: no AWS region is set; pass --region, or set AWS_REGION (or a region in your AWS profile)\n');
  });

  it('keeps a binary file binary, and --debug shows calls but never values', () => {
    const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x0a]);
    writeFileSync(join(sb.home, 'key.bin'), bytes);
    expect(run(['create', 'secret', 'BLOB', '--from-file', 'key.bin']).code).toBe(0);
    const out = spawnSync(process.execPath, [BIN, 'get', 'secret', 'BLOB', '--reveal'], { cwd: sb.home, env: { ...sb.env, ...aws } });
    expect(Buffer.compare(out.stdout, bytes)).toBe(0);

    expect(run(['create', 'secret', 'PASSWORD', '-p', 'web', '-d', 'prod'], { stdin: 'hunter2-value\n' }).code).toBe(0);
    const r = run(['--debug', 'resolve', 'PASSWORD', '-p', 'web', '-d', 'prod', '--reveal']);
    expect(r.stdout).toBe('hunter2-value');
    const calls = r.stderr.split('\n').filter((l) => l.includes('debug: aws ') && !l.includes('aws client:'));
    expect(calls).toEqual([
      expect.stringMatching(/debug: aws ListSecrets 4 prefixes: 2 secrets in \d+ ms/),
      expect.stringMatching(/debug: aws BatchGetSecretValue 1 ids: 1 values, 0 errors in \d+ ms/),
    ]);
    expect(r.stderr).not.toContain('hunter2');
  });

  it('lists a foreign but well-named secret, and never one that is not ours', async () => {
    const raw = new SecretsManagerClient({ region: 'us-east-1', endpoint: moto().endpoint });
    const names = ['scoped/acme/_/_/FOREIGN', 'scoped/acme/Billing/_/UPPER', 'scoped/acme/_/_/bad-key', 'scoped/acme/x/_/_/DEEP', 'other/acme/_/_/OUTSIDE'];
    for (const Name of names) await raw.send(new CreateSecretCommand({ Name, SecretString: 'x' }));
    const r = run(['get', 'secret', '--all']);
    expect(r.code).toBe(0);
    expect(
      r.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]),
    ).toEqual(['FOREIGN']);
    expect(run(['get', 'secret', 'FOREIGN', '--reveal']).stdout).toBe('x');
  });
});

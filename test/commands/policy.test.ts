/** `scoped policy`: the pure policy builder, argv -> options, and the command's output. */
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { policyCommand } from '../../src/commands/policy.js';
import { buildPolicy, scopeArn, type IamPolicy } from '../../src/core/policy.js';
import { ExitCode, UsageError } from '../../src/errors.js';
import { sandbox, type Sandbox } from '../helpers/io.js';

const arn = (name: string, region = '*', account = '*') => `arn:aws:secretsmanager:${region}:${account}:secret:${name}`;

describe('policy builder', () => {
  it('read: Get/Describe on exactly the four scope prefixes; List and BatchGet on *', () => {
    const p = buildPolicy({ access: 'read', prefix: 'scoped/', scope: { org: 'acme', project: 'billing', domain: 'prod' }, region: '*', account: '*' });
    expect(p).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ScopedReadDeployment',
          Effect: 'Allow',
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Resource: [arn('scoped/acme/billing/prod/*'), arn('scoped/acme/billing/_/*'), arn('scoped/acme/_/prod/*'), arn('scoped/acme/_/_/*')],
        },
        { Sid: 'ScopedListAndBatchRead', Effect: 'Allow', Action: ['secretsmanager:ListSecrets', 'secretsmanager:BatchGetSecretValue'], Resource: '*' },
      ],
    } satisfies IamPolicy);
  });

  it('read for a project-only deployment covers two scopes', () => {
    const p = buildPolicy({ access: 'read', prefix: 'team/', scope: { org: 'acme', project: 'web' }, region: 'eu-west-1', account: '123456789012' });
    expect(p.Statement[0]?.Resource).toEqual([arn('team/acme/web/_/*', 'eu-west-1', '123456789012'), arn('team/acme/_/_/*', 'eu-west-1', '123456789012')]);
  });

  it('write: management actions on the one scope, ListSecrets and BatchGetSecretValue (import, copy) and GetRandomPassword (--generate) on *', () => {
    const p = buildPolicy({ access: 'write', prefix: 'scoped/', scope: { org: 'acme', domain: 'prod' }, region: '*', account: '*' });
    expect(p.Statement).toHaveLength(2);
    expect(p.Statement[0]?.Resource).toEqual([arn('scoped/acme/_/prod/*')]);
    expect(p.Statement[0]?.Action).toEqual(
      expect.arrayContaining(
        [
          'CreateSecret',
          'PutSecretValue',
          'UpdateSecret',
          'DeleteSecret',
          'RestoreSecret',
          'TagResource',
          'UntagResource',
          'DescribeSecret',
          'GetSecretValue',
          'ListSecretVersionIds',
          'UpdateSecretVersionStage',
          'ReplicateSecretToRegions',
          'RemoveRegionsFromReplication',
        ].map((a) => `secretsmanager:${a}`),
      ),
    );
    expect(p.Statement[0]?.Action).not.toContain('secretsmanager:BatchGetSecretValue');
    expect(p.Statement[1]).toEqual({
      Sid: 'ScopedListAndBatchRead',
      Effect: 'Allow',
      Action: ['secretsmanager:ListSecrets', 'secretsmanager:BatchGetSecretValue', 'secretsmanager:GetRandomPassword'],
      Resource: '*',
    });
  });

  it('uses the partition of the region, and refuses bad regions and accounts', () => {
    expect(scopeArn('scoped/', { org: 'a' }, 'cn-north-1', '*')).toBe('arn:aws-cn:secretsmanager:cn-north-1:*:secret:scoped/a/_/_/*');
    expect(scopeArn('scoped/', { org: 'a' }, 'us-gov-west-1', '*')).toMatch(/^arn:aws-us-gov:/);
    const req = { access: 'read' as const, prefix: 'scoped/', scope: { org: 'a' } };
    expect(() => buildPolicy({ ...req, region: 'Europe', account: '*' })).toThrow(UsageError);
    expect(() => buildPolicy({ ...req, region: '*', account: '1234' })).toThrow(/12 digits/);
  });
});

describe('policy options', () => {
  it('defaults to read, region and account *', () => {
    expect(policyCommand.build([], {}, {})).toEqual({ project: undefined, domain: undefined, access: 'read', region: '*', account: '*' });
    expect(policyCommand.build([], { access: 'write', project: 'p', account: '123456789012' }, { region: 'eu-west-1' })).toMatchObject({
      access: 'write',
      project: 'p',
      region: 'eu-west-1',
      account: '123456789012',
    });
  });
});

describe('scoped policy', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = sandbox();
  });
  afterEach(() => sb.cleanup());

  const policyOf = (stdout: string) => JSON.parse(stdout) as IamPolicy;

  it('read takes the deployment from flags over SCOPED_PROJECT / SCOPED_DOMAIN, and never touches the store', async () => {
    const r = await sb.run(['--org', 'acme', 'policy', '--project', 'billing'], { env: { SCOPED_PROJECT: 'other', SCOPED_DOMAIN: 'prod' } });
    expect(r.code).toBe(0);
    expect(policyOf(r.stdout).Statement[0]?.Resource).toEqual([
      arn('scoped/acme/billing/prod/*'),
      arn('scoped/acme/billing/_/*'),
      arn('scoped/acme/_/prod/*'),
      arn('scoped/acme/_/_/*'),
    ]);
    expect(r.stderr).toContain('IAM policy to read secrets as the deployment org acme, project billing, domain prod');
    expect(existsSync(sb.home)).toBe(false);
  });

  it('write names exactly the scope of its flags, ignoring SCOPED_DOMAIN; --region and --account go into the ARNs', async () => {
    const r = await sb.run(['--org', 'acme', '--region', 'eu-west-1', 'policy', '--access', 'write', '--project', 'billing', '--account', '123456789012'], {
      env: { SCOPED_DOMAIN: 'prod' },
    });
    expect(r.code).toBe(0);
    expect(policyOf(r.stdout).Statement[0]?.Resource).toEqual([arn('scoped/acme/billing/_/*', 'eu-west-1', '123456789012')]);
    // history --who reads CloudTrail, another service: said on stderr, not put in the Secrets Manager policy.
    expect(r.stderr).toContain('history secret --who also needs cloudtrail:LookupEvents');
    expect(r.stdout).not.toContain('cloudtrail');
  });

  it('works with --backend aws and no credentials at all', async () => {
    const r = await sb.run(['--backend', 'aws', 'policy', '-q']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(policyOf(r.stdout).Statement[1]?.Resource).toBe('*');
  });

  it('bad input is a usage error with nothing on stdout', async () => {
    for (const argv of [
      ['policy', '--account', '12'],
      ['policy', '--access', 'admin'],
      ['--region', 'moon', 'policy'],
    ]) {
      const r = await sb.run(argv);
      expect(r.code).toBe(ExitCode.usage);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

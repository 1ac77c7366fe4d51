/** refs --runtime's policy, pure: references in, an IAM policy out. */
import { describe, expect, it } from 'vitest';
import type { Ref } from '../../src/refs/refs.js';
import { runtimePolicy } from '../../src/refs/runtime-policy.js';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:scoped/acme/billing/production/DB-AbCdEf';
const ORG_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:scoped/acme/_/_/TOKEN-XyZ012';
const base: Ref = { name: 'DB', key: 'DB', scope: { org: 'acme', project: 'billing', domain: 'production' }, secretName: 'scoped/acme/billing/production/DB', arn: ARN };
const token: Ref = { name: 'TOKEN', key: 'TOKEN', scope: { org: 'acme' }, secretName: 'scoped/acme/_/_/TOKEN', arn: ORG_ARN };
const field = (f: string, name: string, versionId?: string): Ref => ({ ...base, name, field: f, versionId });

describe('runtime policy', () => {
  const kms = (kmsKeyId: string, arn = ARN): Ref => ({ ...base, arn, kmsKeyId });
  it('GetSecretValue on exactly the ARNs (once each, sorted); no kms statement without a customer key', () => {
    expect(runtimePolicy([base, field('host', 'DB_HOST'), token])).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'ScopedRuntimeRead', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [ARN, ORG_ARN].sort() }],
    });
  });
  it("kms:Decrypt through Secrets Manager: a key ARN as is, a key id made an ARN in the secret's region and account, aliases by condition", () => {
    const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/k-1';
    const p = runtimePolicy([kms(keyArn), kms('mrk-1234', ORG_ARN), kms('alias/app'), kms('arn:aws:kms:eu-west-1:123456789012:alias/other')]);
    const via = { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' };
    expect(p.Statement.slice(1)).toEqual([
      {
        Sid: 'ScopedRuntimeDecrypt',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: ['arn:aws:kms:eu-west-1:123456789012:key/k-1', 'arn:aws:kms:eu-west-1:123456789012:key/mrk-1234'],
        Condition: { StringEquals: via },
      },
      {
        Sid: 'ScopedRuntimeDecrypt2',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: 'arn:aws:kms:eu-west-1:123456789012:key/*',
        Condition: { StringEquals: via, 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/app', 'alias/other'] } },
      },
    ]);
    expect(JSON.stringify(p)).not.toMatch(/ListSecrets|BatchGetSecretValue|DescribeSecret/);
  });
  it('China: the partition and the .com.cn endpoint', () => {
    const cn = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:scoped/acme/_/_/X-abcdef';
    expect(runtimePolicy([kms('k-2', cn)]).Statement[1]).toMatchObject({
      Resource: ['arn:aws-cn:kms:cn-north-1:123456789012:key/k-2'],
      Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.cn-north-1.amazonaws.com.cn' } },
    });
  });
});

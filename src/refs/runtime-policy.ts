import type { IamPolicy, IamStatement } from '../core/policy.js';
import type { Ref } from './refs.js';

/**
 * `policy --runtime`: what a role needs to read exactly a deployment's references, as ECS, the External
 * Secrets Operator, the CSI driver or Flyte read them: GetSecretValue on each referenced ARN (no wildcard),
 * kms:Decrypt on the customer-managed keys that encrypt them, through Secrets Manager only. No ListSecrets,
 * no BatchGetSecretValue, no DescribeSecret. Pure.
 */

/** IAM's size limits on a policy document (characters, whitespace excluded), to warn before AWS refuses. */
export const MANAGED_POLICY_LIMIT = 6_144;
export const INLINE_ROLE_POLICY_LIMIT = 10_240;

/** A statement that may carry a condition (kms:ViaService, kms:ResourceAliases). */
export type RuntimeStatement = IamStatement & { Condition?: Record<string, unknown> };

interface ArnParts {
  partition: string;
  region: string;
  account: string;
}

function partsOf(arn: string): ArnParts {
  const [, partition = 'aws', , region = '*', account = '*'] = arn.split(':');
  return { partition, region, account };
}

/** The DNS suffix of a partition's service endpoints, where we know it (kms:ViaService names it). */
function dnsSuffix(partition: string): string | undefined {
  if (partition === 'aws' || partition === 'aws-us-gov') return 'amazonaws.com';
  if (partition === 'aws-cn') return 'amazonaws.com.cn';
  return undefined;
}

/** A key as Secrets Manager reports it: a key ARN, a bare key id, an alias name or an alias ARN. */
function keyResource(kmsKeyId: string, at: ArnParts): { arn: string } | { alias: string } {
  if (kmsKeyId.startsWith('arn:')) {
    const resource = kmsKeyId.split(':').slice(5).join(':');
    return resource.startsWith('alias/') ? { alias: resource } : { arn: kmsKeyId };
  }
  if (kmsKeyId.startsWith('alias/')) return { alias: kmsKeyId };
  return { arn: `arn:${at.partition}:kms:${at.region}:${at.account}:key/${kmsKeyId}` };
}

/** One kms:Decrypt statement per region: the keys by ARN, or (for aliases) any key carrying one of them. */
function kmsStatements(refs: readonly Ref[]): RuntimeStatement[] {
  const byRegion = new Map<string, { at: ArnParts; arns: Set<string>; aliases: Set<string> }>();
  for (const r of refs) {
    if (r.kmsKeyId === undefined) continue;
    const at = partsOf(r.arn);
    const id = `${at.partition}:${at.region}:${at.account}`;
    const group = byRegion.get(id) ?? { at, arns: new Set<string>(), aliases: new Set<string>() };
    byRegion.set(id, group);
    const key = keyResource(r.kmsKeyId, at);
    if ('arn' in key) group.arns.add(key.arn);
    else group.aliases.add(key.alias);
  }
  const statements: RuntimeStatement[] = [];
  let n = 0;
  for (const { at, arns, aliases } of byRegion.values()) {
    const suffix = dnsSuffix(at.partition);
    const via = suffix === undefined ? {} : { StringEquals: { 'kms:ViaService': `secretsmanager.${at.region}.${suffix}` } };
    const sid = () => `ScopedRuntimeDecrypt${n++ === 0 ? '' : n}`;
    if (arns.size > 0) statements.push({ Sid: sid(), Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [...arns].sort(), ...withCondition(via) });
    if (aliases.size > 0) {
      statements.push({
        Sid: sid(),
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: `arn:${at.partition}:kms:${at.region}:${at.account}:key/*`,
        Condition: { ...via, 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': [...aliases].sort() } },
      });
    }
  }
  return statements;
}

function withCondition(c: Record<string, unknown>): { Condition?: Record<string, unknown> } {
  return Object.keys(c).length === 0 ? {} : { Condition: c };
}

export function runtimePolicy(refs: readonly Ref[]): IamPolicy {
  const arns = [...new Set(refs.map((r) => r.arn))].sort();
  const statements: RuntimeStatement[] = [];
  if (arns.length > 0) statements.push({ Sid: 'ScopedRuntimeRead', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: arns });
  statements.push(...kmsStatements(refs));
  return { Version: '2012-10-17', Statement: statements };
}

/** The document's size as IAM counts it (whitespace outside strings does not count). */
export function policySize(policy: IamPolicy): number {
  return JSON.stringify(policy).length;
}

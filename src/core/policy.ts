import { UsageError } from '../errors.js';
import { isRegion, partitionOf } from './aws-partitions.js';
import { scopePrefix } from './naming.js';
import { deploymentScopes, type Scope } from './scope.js';

/**
 * Least-privilege IAM policies for Secrets Manager, as plain data: `read` for a deployment (its up to four
 * scope prefixes), `write` for managing one exact scope. Pure: no I/O, no SDK.
 */
export type PolicyAccess = 'read' | 'write';
export const POLICY_ACCESS: readonly PolicyAccess[] = ['read', 'write'];

export interface PolicyRequest {
  access: PolicyAccess;
  prefix: string;
  /** read: the deployment; write: the one scope managed. */
  scope: Scope;
  /** A region or `*`. */
  region: string;
  /** A 12-digit account id or `*`. */
  account: string;
}

export interface IamStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string | string[];
}

export interface IamPolicy {
  Version: '2012-10-17';
  Statement: IamStatement[];
}

/**
 * Every Secrets Manager operation scoped sends, by where a policy must allow it. The AWS store can send no
 * other (its calls are typed by this list, see store/aws/caller.ts), and the policies below are made from
 * it, so a new call cannot be left out of them; test/store/aws/policy-operations-moto.test.ts runs every command
 * and checks that each operation it sent is allowed by the policy for its access.
 */
export const OPERATIONS = {
  /** A deployment's reads, on its scopes. */
  read: ['GetSecretValue', 'DescribeSecret'],
  /** Take no resource: AWS only accepts them on `*`. Reads and bulk writes (import, copy read what exists) list and batch-read. */
  anyResource: ['ListSecrets', 'BatchGetSecretValue'],
  /** Generated values (`--generate`): GetRandomPassword takes no resource, so `*`, in the write policy only. */
  generate: ['GetRandomPassword'],
  /** Managing one scope. */
  write: [
    'CreateSecret',
    'PutSecretValue',
    'UpdateSecret',
    'DeleteSecret',
    'RestoreSecret',
    'DescribeSecret',
    'GetSecretValue',
    'ListSecretVersionIds',
    // rollback (AWSCURRENT moved back) and pin --protect / --unprotect (a label per pin).
    'UpdateSecretVersionStage',
    // delete of a replicated secret (which removes its replicas first).
    'RemoveRegionsFromReplication',
  ],
} as const;
export type SecretsManagerOperation = (typeof OPERATIONS)[keyof typeof OPERATIONS][number];

const actions = (ops: readonly string[]): string[] => ops.map((op) => `secretsmanager:${op}`);

const READ_ACTIONS = actions(OPERATIONS.read);
const ANY_RESOURCE_ACTIONS = actions(OPERATIONS.anyResource);
/**
 * The write operations, plus the permissions some of them need beyond their own: CreateSecret with tags
 * needs TagResource, with `--replica-region` ReplicateSecretToRegions.
 */
const WRITE_ACTIONS = [...actions(OPERATIONS.write), 'secretsmanager:TagResource', 'secretsmanager:UntagResource', 'secretsmanager:ReplicateSecretToRegions'];

const ACCOUNT_RE = /^\d{12}$/;

export function validateRegion(region: string): string {
  if (region !== '*' && !isRegion(region)) {
    throw new UsageError(`invalid region ${JSON.stringify(region)}`, 'use a region such as eu-west-1, or * for any');
  }
  return region;
}

export function validateAccount(account: string): string {
  if (account !== '*' && !ACCOUNT_RE.test(account)) {
    throw new UsageError(`invalid account ${JSON.stringify(account)}: an AWS account id is 12 digits`, 'or use * for any');
  }
  return account;
}

/** The ARN partition a region belongs to (`aws` for `*`). */
function partition(region: string): string {
  return region === '*' ? 'aws' : partitionOf(region);
}

/** Every secret in one scope: the scope's name prefix plus `*` (which also covers AWS's `-xxxxxx` ARN suffix). */
export function scopeArn(prefix: string, scope: Scope, region: string, account: string): string {
  return `arn:${partition(region)}:secretsmanager:${region}:${account}:secret:${scopePrefix(prefix, scope)}*`;
}

export function buildPolicy(req: PolicyRequest): IamPolicy {
  const region = validateRegion(req.region);
  const account = validateAccount(req.account);
  if (req.access === 'read') {
    return {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ScopedReadDeployment',
          Effect: 'Allow',
          Action: READ_ACTIONS,
          Resource: deploymentScopes(req.scope).map((s) => scopeArn(req.prefix, s, region, account)),
        },
        { Sid: 'ScopedListAndBatchRead', Effect: 'Allow', Action: ANY_RESOURCE_ACTIONS, Resource: '*' },
      ],
    };
  }
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'ScopedManageScope', Effect: 'Allow', Action: WRITE_ACTIONS, Resource: [scopeArn(req.prefix, req.scope, region, account)] },
      // import and copy read what exists in batches before writing; --generate asks for a random value.
      { Sid: 'ScopedListAndBatchRead', Effect: 'Allow', Action: [...ANY_RESOURCE_ACTIONS, ...actions(OPERATIONS.generate)], Resource: '*' },
    ],
  };
}

import { UsageError } from '../errors.js';
import { buildPolicy, POLICY_ACCESS, validateAccount, validateRegion, type PolicyAccess } from '../core/policy.js';
import { describeScope, type ScopeFlags } from '../core/scope.js';
import type { Context } from '../cli/context.js';
import { printData } from '../cli/output.js';
import { defineCommand } from '../cli/define-command.js';
import { scopeOptions } from './options.js';
import { refuseOutputFormat } from '../cli/output-flag.js';
import { deploymentScope, managementScope, scopeFlagsOf } from './scope-flags.js';
import { buildRefsSelection, runtimePolicyFor, type RefsSelection } from './refs.js';

export const policyCommand = defineCommand({
  name: 'policy',
  summary: 'print a least-privilege IAM policy (JSON) for a deployment (read) or one scope (write); region from the global --region, default *',
  examples: [
    'scoped policy -p billing -d production --region eu-west-1 --account 123456789012',
    'scoped policy -p billing --access write',
    'scoped policy --runtime -p billing -d production',
  ],
  options: [
    ...scopeOptions('of the deployment (read; also SCOPED_PROJECT / SCOPED_DOMAIN / config) or the exact scope (write)'),
    ['--access <access>', 'read: resolve/run/export; write: create/update/delete/restore in one scope', { choices: POLICY_ACCESS, default: 'read' }],
    ['--account <account>', 'AWS account id in the ARNs (default *)'],
    ['--runtime', 'for a role reading the deployment by reference (refs): GetSecretValue on exactly its ARNs, kms:Decrypt for customer keys (aws backend)'],
    ['--pinned <FILE>', 'with --runtime: the secrets pinned in FILE'],
    ['--only <KEY[=NAME]>', 'with --runtime: only this key (repeatable)', { repeatable: true }],
    ['--exclude <KEY>', 'with --runtime: leave this key out (repeatable)', { repeatable: true }],
  ],
  build: (_args, flags, global): PolicyOptions => {
    // A policy is a JSON document (or YAML with -o yaml): there is no table of it.
    if (global.output === 'table') refuseOutputFormat(global.output, 'policy', 'it prints JSON, or YAML with -o yaml');
    const runtimeOnly = (['pinned', 'only', 'exclude'] as const).filter((f) => flags[f] !== undefined);
    if (!flags.runtime && runtimeOnly.length > 0) throw new UsageError(`--${runtimeOnly[0]} applies to policy --runtime`, 'add --runtime');
    if (flags.runtime && flags.access === 'write') throw new UsageError('--runtime is a read policy; leave out --access write');
    if (flags.runtime && flags.account !== undefined) throw new UsageError('--account does not apply to --runtime: the ARNs name their account', 'leave out --account');
    return {
      ...scopeFlagsOf(flags),
      // --access is one of POLICY_ACCESS: commander's .choices() refuses anything else.
      access: flags.access,
      region: validateRegion(global.region ?? '*'),
      account: validateAccount(flags.account ?? '*'),
      runtime: flags.runtime ? buildRefsSelection(flags) : undefined,
    };
  },
  run: runPolicy,
});

export interface PolicyOptions extends ScopeFlags {
  access: PolicyAccess;
  /** A region or `*`: the global --region flag only (not AWS_REGION): a policy is often written for another place. */
  region: string;
  account: string;
  /** --runtime: exactly the deployment's references (refs), with its --pinned/--only/--exclude. */
  runtime?: RefsSelection | undefined;
}

/**
 * Prints the policy; never touches the store, so it works on any backend. read: the deployment's scopes
 * (flags, then SCOPED_PROJECT / SCOPED_DOMAIN, then config); write: exactly the scope the flags name.
 */
export async function runPolicy(ctx: Context, o: PolicyOptions): Promise<void> {
  if (o.runtime) {
    const runtime = await runtimePolicyFor(ctx, o.runtime);
    return ctx.global.output === 'yaml' ? printData(ctx, runtime) : ctx.out(`${JSON.stringify(runtime, null, 2)}\n`);
  }
  const scope = o.access === 'read' ? await deploymentScope(ctx, o) : await managementScope(ctx, o);
  const config = await ctx.config();
  const policy = buildPolicy({ access: o.access, prefix: config.prefix.value, scope, region: o.region, account: o.account });
  ctx.info(`IAM policy to ${o.access === 'read' ? 'read secrets as the deployment' : 'manage the secrets of'} ${describeScope(scope)}`);
  if (o.region === '*' || o.account === '*') ctx.info('Region and account are * unless given: narrow them with --region R --account A.');
  // This policy is made without reading the store, so it cannot name the secrets links read.
  if (o.access === 'read') ctx.info('Links read secrets outside these scopes: policy --runtime allows exactly those too (one in another account also needs its resource policy).');
  if (o.access === 'write') ctx.info('link secret also needs secretsmanager:DescribeSecret on each target it links to.');
  // CloudTrail is another service, and LookupEvents takes no resource: said, not put in the JSON.
  if (o.access === 'write') ctx.info('history secret --who also needs cloudtrail:LookupEvents (Resource "*"), to say who wrote each version.');
  if (ctx.global.output === 'yaml') return printData(ctx, policy);
  ctx.out(`${JSON.stringify(policy, null, 2)}\n`);
}

import { NotFoundError, UsageError } from '../errors.js';
import { describeScope, type Scope, type ScopeFlags } from '../core/scope.js';
import type { IamPolicy } from '../core/policy.js';
import type { Context } from '../cli/context.js';
import { defineCommand } from '../cli/define-command.js';
import { fewNames } from '../support/few-names.js';
import { DEPLOYMENT_OPTIONS } from './options.js';
import { deploymentScope, scopeFlagsOf } from './scope-flags.js';
import { parseBinding, type Binding } from '../deploy/bindings.js';
import { buildShaping, type Expand } from '../deploy/expand.js';
import { pinSettings } from '../cli/deployment-source.js';
import type { PinEntry } from '../pin/pin-file.js';
import { deploymentRefs, type RefsResult } from '../refs/refs.js';
import {
  checkNamespace,
  checkObjectName,
  checkRefresh,
  defaultTarget,
  ecsSecrets,
  externalSecret,
  flyteSecrets,
  refsJson,
  refuseForFlyte,
  REFS_FORMATS,
  secretProviderClass,
  type CsiObject,
  type RefsFormat,
} from '../refs/formats.js';

export const refsCommand = defineCommand({
  name: 'refs',
  summary: "print references to the deployment's secrets (ARN, version, JSON field) for ECS, Kubernetes or Flyte to read at start-up; never a value (aws backend)",
  examples: [
    'scoped refs -p billing -d production --format ecs',
    'scoped refs -p billing -d production --format external-secret --store aws-sm --store-kind ClusterSecretStore',
    'scoped refs --pinned release.pin.json --format secret-provider-class --expand DB=DB',
    'scoped refs -p billing -d production --format flyte',
  ],
  options: [
    ...DEPLOYMENT_OPTIONS,
    ['--format <format>', 'ecs (container secrets), external-secret (ESO), secret-provider-class (CSI driver), flyte, or json', { choices: REFS_FORMATS, default: 'json' }],
    ['--only <KEY[=NAME]>', 'only this key, optionally under another name (repeatable)', { repeatable: true }],
    ['--expand <KEY[=PREFIX]>', 'a JSON-object value as one reference per top-level field, PREFIX_FIELD (repeatable)', { repeatable: true }],
    ['--exclude <KEY>', 'leave this key out (repeatable)', { repeatable: true }],
    ['--pinned <FILE>', 'reference exactly the versions pinned in FILE (written by scoped pin)'],
    ['--store <NAME>', 'external-secret: the SecretStore or ClusterSecretStore reading Secrets Manager'],
    ['--store-kind <kind>', 'external-secret: the kind of --store (default SecretStore)', { choices: ['SecretStore', 'ClusterSecretStore'] }],
    ['--target <NAME>', 'the Kubernetes Secret (and object) name (default scoped-<project>-<domain>)'],
    ['--namespace <NAMESPACE>', "the objects' Kubernetes namespace"],
    ['--refresh <DURATION>', 'external-secret: how often ESO reads again (refreshInterval, e.g. 1h)'],
  ],
  // The global -o: json or yaml, the same document in that syntax; no table.
  build: (_args, flags, global): RefsOptions => {
    if (global.output !== undefined && global.output !== 'json' && global.output !== 'yaml') {
      throw new UsageError(`-o ${global.output} does not apply to refs`, 'it prints what the platform reads; -o json or -o yaml choose the syntax');
    }
    const format = flags.format;
    for (const [flag, field, formats] of FORMAT_FLAGS) {
      if (flags[field] !== undefined && !formats.includes(format)) throw new UsageError(`${flag} applies to --format ${formats.join(' or ')}, not ${format}`, `leave out ${flag}`);
    }
    if (format === 'external-secret' && flags.store === undefined) {
      throw new UsageError(
        '--format external-secret needs the SecretStore that reads Secrets Manager: --store NAME',
        'e.g. --store aws-secrets-manager --store-kind ClusterSecretStore',
      );
    }
    const selection = buildRefsSelection(flags);
    if (format === 'flyte') refuseForFlyte(selection.pinned !== undefined, selection.expand.length > 0);
    return {
      ...selection,
      format,
      syntax: global.output,
      store: flags.store === undefined ? undefined : checkObjectName('--store', flags.store),
      storeKind: flags.storeKind ?? 'SecretStore',
      target: flags.target === undefined ? undefined : checkObjectName('--target', flags.target),
      namespace: flags.namespace === undefined ? undefined : checkNamespace(flags.namespace),
      refresh: flags.refresh === undefined ? undefined : checkRefresh(flags.refresh),
    };
  },
  run: runRefs,
});

/** What selects the references: the deployment, a pin, and the shaping flags export also takes. */
export interface RefsSelection extends ScopeFlags {
  only: Binding[];
  expand: Expand[];
  exclude: string[];
  /** --pinned FILE */
  pinned?: string | undefined;
}

export interface RefsOptions extends RefsSelection {
  format: RefsFormat;
  /** json or yaml text; undefined: the format's own (YAML for the Kubernetes objects, JSON otherwise). */
  syntax: 'json' | 'yaml' | undefined;
  store?: string | undefined;
  storeKind: 'SecretStore' | 'ClusterSecretStore';
  target?: string | undefined;
  namespace?: string | undefined;
  refresh?: string | undefined;
}

/** Flags that shape one format only, refused with any other rather than silently ignored. */
const FORMAT_FLAGS: [flag: string, field: 'store' | 'storeKind' | 'refresh' | 'target' | 'namespace', formats: RefsFormat[]][] = [
  ['--store', 'store', ['external-secret']],
  ['--store-kind', 'storeKind', ['external-secret']],
  ['--refresh', 'refresh', ['external-secret']],
  ['--target', 'target', ['external-secret', 'secret-provider-class']],
  ['--namespace', 'namespace', ['external-secret', 'secret-provider-class']],
];

/** `--only`, `--expand`, `--exclude` and `--pinned` as export takes them. */
export function buildRefsSelection(opts: { project?: string; domain?: string; only?: string[]; expand?: string[]; exclude?: string[]; pinned?: string }): RefsSelection {
  const only = [...new Set(opts.only ?? [])].map((s) => parseBinding(s, '--only'));
  return { ...scopeFlagsOf(opts), only, pinned: opts.pinned, ...buildShaping(opts.expand, opts.exclude, only) };
}

/**
 * The deployment's references (refs, policy --runtime): the aws backend only, where secrets have ARNs;
 * with --pinned, the pin's deployment and versions. Warns as export does; never reads a value that is not
 * expanded, and prints none.
 */
export async function selectedRefs(ctx: Context, o: RefsSelection, command: string): Promise<RefsResult> {
  const config = await ctx.withDeploymentFlags(o).config();
  if (config.backend.value !== 'aws') {
    throw new UsageError(
      `${command} writes references to Secrets Manager ARNs, which the ${config.backend.value} backend has none of`,
      ctx.suggest('use --backend aws (or SCOPED_BACKEND=aws)'),
    );
  }
  let deployment: Scope;
  let pin: { file: string; secrets: PinEntry[] } | undefined;
  if (o.pinned !== undefined) {
    // Loaded here: only --pinned reads pin files.
    const { checkPin, loadPin } = await import('../pin/pinned-read.js');
    const read = await loadPin(ctx, o.pinned);
    checkPin(read, o.pinned, pinSettings(config), o);
    deployment = read.deployment;
    pin = { file: o.pinned, secrets: read.secrets };
  } else {
    deployment = await deploymentScope(ctx, o);
  }
  const result = await deploymentRefs(await ctx.store(), { prefix: config.prefix.value, deployment, pin, only: o.only, expand: o.expand, exclude: o.exclude });
  if (result.absentExcluded.length > 0 && o.only.length === 0) ctx.warn(`--exclude ${fewNames(result.absentExcluded)}: not visible to this deployment, nothing to leave out`);
  if (result.nonStringFields.length > 0) {
    ctx.warn(`expanded fields that are not JSON strings (${fewNames(result.nonStringFields)}): each platform renders those its own way, which may differ from scoped export`);
  }
  ctx.debug(`${result.refs.length} reference(s) for ${describeScope(deployment)}${pin ? ` pinned in ${pin.file}` : ''}`);
  return result;
}

/**
 * YAML for a Kubernetes object: every string double-quoted (support/yaml-text), keys plain as kubectl prints
 * them. Our keys are fixed identifiers, and with no line width every quoted string stays on its line.
 */
async function k8sYaml(data: unknown): Promise<string> {
  const { yamlDocument } = await import('../support/yaml-text.js');
  return (await yamlDocument(data)).replace(/^(\s*(?:- )?)"([A-Za-z][A-Za-z0-9]*)":/gm, '$1$2:');
}

/** The SecretProviderClass as YAML, its `objects` a block of YAML text (every string quoted), as the provider reads it. */
async function providerClassYaml(doc: Record<string, unknown>, objects: CsiObject[]): Promise<string> {
  const { Document } = await import('yaml');
  const parameters = (doc.spec as { parameters: { objects: string } }).parameters;
  parameters.objects = await k8sYaml(objects);
  const d = new Document(doc);
  const node = d.getIn(['spec', 'parameters', 'objects'], true) as { type?: string };
  node.type = 'BLOCK_LITERAL';
  // The other strings are names, ARNs and variable names: plain ASCII, double-quoted so no reader retypes them.
  return d.toString({ defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', doubleQuotedAsJSON: true, lineWidth: 0 });
}

async function printDocument(ctx: Context, data: unknown, yaml: boolean): Promise<void> {
  ctx.out(yaml ? await k8sYaml(data) : `${JSON.stringify(data, null, 2)}\n`);
}

export async function runRefs(ctx: Context, o: RefsOptions): Promise<void> {
  const { deployment, refs } = await selectedRefs(ctx, o, 'refs');
  if (refs.length === 0) ctx.info(`No secrets visible to ${describeScope(deployment)}.`);
  const k8s = { target: o.target ?? defaultTarget(deployment), namespace: o.namespace };
  const yaml = o.syntax === 'yaml' || (o.syntax === undefined && (o.format === 'external-secret' || o.format === 'secret-provider-class'));
  switch (o.format) {
    case 'ecs':
      await printDocument(ctx, ecsSecrets(refs), yaml);
      break;
    case 'flyte':
      await printDocument(ctx, flyteSecrets(refs), yaml);
      break;
    case 'json':
      await printDocument(ctx, refsJson(refs), yaml);
      break;
    case 'external-secret':
      await printDocument(ctx, externalSecret(refs, { ...k8s, store: o.store as string, storeKind: o.storeKind, refresh: o.refresh }), yaml);
      break;
    case 'secret-provider-class': {
      const { doc, objects } = secretProviderClass(refs, k8s);
      if (yaml) ctx.out(await providerClassYaml(doc, objects));
      else {
        const spec = doc.spec as { parameters: Record<string, string> };
        await printDocument(ctx, { ...doc, spec: { ...spec, parameters: { ...spec.parameters, objects: JSON.stringify(objects) } } }, false);
      }
      break;
    }
  }
  ctx.info(`${refs.length} reference(s) for ${describeScope(deployment)}${o.pinned ? ` (pinned in ${o.pinned})` : ''}, as --format ${o.format}; no value printed`);
}

/** `policy --runtime`: the policy for a role that reads exactly these references. */
export async function runtimePolicyFor(ctx: Context, o: RefsSelection): Promise<IamPolicy> {
  const { deployment, refs } = await selectedRefs(ctx, o, 'policy --runtime');
  if (refs.length === 0)
    throw new NotFoundError(`no secrets visible to ${describeScope(deployment)}: a runtime policy would grant nothing`, 'check the deployment with: scoped resolve --explain');
  const { runtimePolicy, policySize, MANAGED_POLICY_LIMIT, INLINE_ROLE_POLICY_LIMIT } = await import('../refs/runtime-policy.js');
  const policy = runtimePolicy(refs);
  const size = policySize(policy);
  if (size > MANAGED_POLICY_LIMIT) {
    ctx.warn(
      `the policy is ${size} characters: IAM takes at most ${MANAGED_POLICY_LIMIT} in a managed policy and ${INLINE_ROLE_POLICY_LIMIT} inline in a role; split the deployment's keys with --only / --exclude`,
    );
  }
  const linked = [...new Set(refs.filter((r) => r.link !== undefined).map((r) => r.arn))];
  if (linked.length > 0) {
    ctx.warn(
      `it allows reading ${linked.length} link target(s) too (${linked.join(', ')}); a secret in another account is readable only when its resource policy (and its KMS key's policy) also allows the role`,
    );
  }
  const secrets = new Set(refs.map((r) => r.arn)).size;
  ctx.info(
    `IAM policy to read exactly the ${secrets} secret(s) of ${describeScope(deployment)}${o.pinned ? ` (pinned in ${o.pinned})` : ''} by reference, as ECS, Kubernetes or Flyte do: no listing`,
  );
  return policy;
}

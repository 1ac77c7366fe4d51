import { UsageError } from '../errors.js';
import { scopeKind, type Scope } from '../core/scope.js';
import type { Ref } from './refs.js';

/**
 * The documents each platform reads, as plain data (the command turns them into JSON or YAML text). Pure.
 * - ecs: a container definition's `secrets`, valueFrom `ARN[:json-key:version-stage:version-id]`;
 * - external-secret: an External Secrets Operator `ExternalSecret` (external-secrets.io/v1);
 * - secret-provider-class: a Secrets Store CSI driver `SecretProviderClass` for the AWS provider;
 * - flyte: Union/Flyte `Secret(group, key)` pairs, the ARN split after `:secret:`;
 * - json: everything known about each reference, for any other tool.
 */
export const REFS_FORMATS = ['ecs', 'external-secret', 'secret-provider-class', 'flyte', 'json'] as const;
export type RefsFormat = (typeof REFS_FORMATS)[number];

/** Kubernetes object names: DNS-1123 subdomains; namespaces: DNS-1123 labels. */
const SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A Go duration as ESO's refreshInterval takes it (`1h`, `15m`, `1h30m`, `0` for never). */
const DURATION = /^(0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$/;

export function checkObjectName(flag: string, value: string): string {
  if (!SUBDOMAIN.test(value))
    throw new UsageError(`${flag} ${JSON.stringify(value)}: not a Kubernetes name`, 'use lower-case letters, digits, "-" and "."; start and end with a letter or digit');
  return value;
}

export function checkNamespace(value: string): string {
  if (!LABEL.test(value)) throw new UsageError(`--namespace ${JSON.stringify(value)}: not a Kubernetes namespace`, 'use lower-case letters, digits and "-", at most 63 characters');
  return value;
}

export function checkRefresh(value: string): string {
  if (!DURATION.test(value)) throw new UsageError(`--refresh ${JSON.stringify(value)}: not a duration`, 'write it as ESO does, e.g. 1h, 15m, 1h30m, or 0 to fetch once');
  return value;
}

/** The Kubernetes name a deployment's objects get unless --target says otherwise: scoped-<project>-<domain>. */
export function defaultTarget(deployment: Scope): string {
  return ['scoped', deployment.project, deployment.domain].filter((p) => p !== undefined).join('-');
}

export interface EcsSecret {
  name: string;
  valueFrom: string;
}

/** ECS's `ARN:json-key:version-stage:version-id`, or the ARN alone for the whole current value. */
export function ecsSecrets(refs: readonly Ref[]): EcsSecret[] {
  return refs.map((r) => {
    if (r.field !== undefined && r.field.includes(':')) {
      throw new UsageError(
        `--expand ${r.key}: field ${JSON.stringify(r.field)} holds a ":", which ECS's valueFrom cannot carry`,
        `leave out --expand ${r.key}, or rename the field`,
      );
    }
    if (r.field === undefined && r.versionId === undefined) return { name: r.name, valueFrom: r.arn };
    return { name: r.name, valueFrom: `${r.arn}:${r.field ?? ''}::${r.versionId ?? ''}` };
  });
}

export interface ExternalSecretOptions {
  store: string;
  storeKind: 'SecretStore' | 'ClusterSecretStore';
  target: string;
  namespace?: string | undefined;
  refresh?: string | undefined;
}

/** A field as a gjson path (ESO's `property`): its special characters escaped, so `a.b` is one field. */
export function gjsonPath(field: string): string {
  return field.replace(/[\\.*?|#@!=<>%]/g, (c) => `\\${c}`);
}

export function externalSecret(refs: readonly Ref[], o: ExternalSecretOptions): Record<string, unknown> {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name: o.target, ...(o.namespace !== undefined ? { namespace: o.namespace } : {}) },
    spec: {
      ...(o.refresh !== undefined ? { refreshInterval: o.refresh } : {}),
      secretStoreRef: { name: o.store, kind: o.storeKind },
      target: { name: o.target, creationPolicy: 'Owner' },
      data: refs.map((r) => ({
        secretKey: r.name,
        remoteRef: {
          key: r.arn,
          ...(r.field !== undefined ? { property: gjsonPath(r.field) } : {}),
          ...(r.versionId !== undefined ? { version: `uuid/${r.versionId}` } : {}),
        },
      })),
    },
  };
}

/** One entry of the AWS provider's `objects` list. */
export interface CsiObject {
  objectName: string;
  objectType: 'secretsmanager';
  objectAlias: string;
  objectVersion?: string;
  jmesPath?: { path: string; objectAlias: string }[];
}

/** A field as a JMESPath expression: an identifier as it is, anything else as a quoted identifier. */
export function jmesPath(field: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(field) ? field : JSON.stringify(field);
}

/**
 * One object per secret (and version): a whole value mounted under its variable's name; an expanded one
 * under its KEY, with a jmesPath entry per field mounted under the field's variable. `secretObjects`
 * syncs every variable into one Kubernetes Secret, for `envFrom`.
 */
export function secretProviderClass(refs: readonly Ref[], o: { target: string; namespace?: string | undefined }): { doc: Record<string, unknown>; objects: CsiObject[] } {
  const objects = new Map<string, CsiObject>();
  for (const r of refs) {
    const id = `${r.key}\n${r.arn}\n${r.versionId ?? ''}`;
    let obj = objects.get(id);
    if (obj === undefined) {
      // A link to one field: the target's whole JSON is mounted as KEY.json, the field under the variable.
      const whole = r.field === undefined ? r.name : r.link?.field !== undefined ? `${r.key}.json` : r.key;
      obj = { objectName: r.arn, objectType: 'secretsmanager', objectAlias: whole, ...(r.versionId !== undefined ? { objectVersion: r.versionId } : {}) };
      objects.set(id, obj);
    }
    if (r.field !== undefined) (obj.jmesPath ??= []).push({ path: jmesPath(r.field), objectAlias: r.name });
  }
  // Every mounted file is named by an alias: a whole expanded value's KEY must not be another variable's name.
  const files = new Set<string>();
  for (const name of [...objects.values()].flatMap((x) => [x.objectAlias, ...(x.jmesPath ?? []).map((j) => j.objectAlias)])) {
    if (files.has(name))
      throw new UsageError(
        `two mounted files would be named ${name}: the expanded key's whole value and a variable`,
        `rename the variable with --only KEY=NAME, or choose another prefix with --expand ${name}=PREFIX`,
      );
    files.add(name);
  }
  const regions = new Set(refs.map((r) => r.arn.split(':')[3] ?? ''));
  const doc = {
    apiVersion: 'secrets-store.csi.x-k8s.io/v1',
    kind: 'SecretProviderClass',
    metadata: { name: o.target, ...(o.namespace !== undefined ? { namespace: o.namespace } : {}) },
    spec: {
      provider: 'aws',
      // The provider reads in the node's region unless told: the secrets' own, when they share one.
      // `objects` is YAML inside a string, as the provider reads it: filled in by the printer.
      parameters: { ...(regions.size === 1 ? { region: [...regions][0] as string } : {}), objects: '' },
      secretObjects: [{ secretName: o.target, type: 'Opaque', data: refs.map((r) => ({ objectName: r.name, key: r.name })) }],
    },
  };
  return { doc, objects: [...objects.values()] };
}

export interface FlyteSecret {
  name: string;
  group: string;
  key: string;
}

/** Union/Flyte's AWS secrets: group = the ARN up to and including `:secret:`, key = the rest. */
export function flyteSecrets(refs: readonly Ref[]): FlyteSecret[] {
  return refs.map((r) => {
    const at = r.arn.indexOf(':secret:') + ':secret:'.length;
    return { name: r.name, group: r.arn.slice(0, at), key: r.arn.slice(at) };
  });
}

/** Flyte's injector reads the current value of a whole secret: a pin or a field cannot be expressed. */
export function refuseForFlyte(pinned: boolean, expanded: boolean): void {
  if (pinned)
    throw new UsageError(
      "--format flyte cannot carry --pinned: Flyte's AWS secret injector reads the current version only",
      'leave out --pinned, or use --format ecs, external-secret or secret-provider-class',
    );
  if (expanded) throw new UsageError("--format flyte cannot carry --expand: Flyte's AWS secret injector reads whole secrets", 'leave out --expand, and parse the JSON in the task');
}

export function refsJson(refs: readonly Ref[]): Record<string, unknown> {
  return Object.fromEntries(
    refs.map((r) => [
      r.name,
      {
        key: r.key,
        arn: r.arn,
        name: r.secretName,
        versionId: r.versionId ?? null,
        field: r.field ?? null,
        scope: scopeKind(r.scope),
        from: { org: r.scope.org, project: r.scope.project ?? null, domain: r.scope.domain ?? null },
      },
    ]),
  );
}

import type { DescribeSecretResponse, SecretListEntry, Tag } from '@aws-sdk/client-secrets-manager';
import type { SecretDetails, SecretSummary, SecretValue } from '../types.js';

/** Conversions between the SDK's shapes and ours; no I/O. */

export function toTagList(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function fromTagList(tags: Tag[] | undefined): Record<string, string> {
  const out = Object.create(null) as Record<string, string>; // a tag named `__proto__` is a tag
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

/** SecretString for text, SecretBinary for bytes: each comes back as it went in. */
export function valueFields(value: SecretValue): { SecretString: string } | { SecretBinary: Uint8Array } {
  return typeof value === 'string' ? { SecretString: value } : { SecretBinary: value };
}

export function valueOf(out: { SecretString?: string | undefined; SecretBinary?: Uint8Array | undefined }): SecretValue | undefined {
  if (out.SecretString !== undefined) return out.SecretString;
  if (out.SecretBinary !== undefined) return new Uint8Array(out.SecretBinary);
  return undefined;
}

/**
 * Versions that still carry a staging label. AWS leaves unlabelled (deprecated) versions out of
 * DescribeSecret and ListSecretVersionIds; some emulators do not, and the local store drops them.
 */
export function labelledVersions(map: Record<string, string[]> | undefined): Record<string, string[]> {
  return Object.fromEntries(Object.entries(map ?? {}).filter(([, stages]) => stages.length > 0));
}

export function summaryOf(entry: SecretListEntry, name: string): SecretSummary {
  return {
    name,
    arn: entry.ARN,
    description: entry.Description,
    tags: fromTagList(entry.Tags),
    createdAt: entry.CreatedDate,
    lastChangedAt: entry.LastChangedDate,
    deletedAt: entry.DeletedDate,
    kmsKeyId: entry.KmsKeyId,
  };
}

export function detailsOf(out: DescribeSecretResponse, name: string): SecretDetails {
  return {
    ...summaryOf(out, out.Name ?? name),
    kmsKeyId: out.KmsKeyId,
    versions: labelledVersions(out.VersionIdsToStages),
    replicas: (out.ReplicationStatus ?? []).flatMap((r) => (r.Region ? [{ region: r.Region, status: r.Status ?? 'unknown' }] : [])),
  };
}

/** Splits a list into runs of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Fetches page after page until the server gives no token. Pages may be empty and still carry a token, so
 * an empty page never ends the loop; a token repeated verbatim would loop forever, so that fails.
 */
export async function eachPage<T extends { NextToken?: string | undefined }>(fetch: (token: string | undefined) => Promise<T>, visit: (page: T) => void): Promise<void> {
  let token: string | undefined;
  do {
    const page = await fetch(token);
    visit(page);
    const next = page.NextToken || undefined;
    if (next !== undefined && next === token) throw new Error('Secrets Manager returned the same page token twice; stopping instead of looping');
    token = next;
  } while (token !== undefined);
}

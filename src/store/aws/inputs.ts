import { isRegion } from '../../core/aws-partitions.js';
import { UsageError } from '../../errors.js';

/**
 * AWS-only inputs of `create secret`, checked before any request (exit 2, naming the flag): pure, no SDK,
 * so commands may call them as well as the store.
 */

const KEY_ID = '(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|mrk-[0-9a-fA-F]{32})';
const ALIAS = 'alias/[A-Za-z0-9/_-]{1,250}';
/** A key id, a multi-Region key id, an alias, or the ARN of a key or alias, in any partition. */
const KMS_KEY = new RegExp(`^(?:${KEY_ID}|${ALIAS}|arn:aws(?:-[a-z]+)*:kms:[a-z0-9-]+:\\d{12}:(?:key/${KEY_ID}|${ALIAS}))$`);

export function checkKmsKeyId(value: string, flag = '--kms-key-id'): string {
  if (value === '') throw new UsageError(`${flag} is empty`, 'give a KMS key id, key ARN, alias/NAME or alias ARN, or leave the flag out for aws/secretsmanager');
  // None holds whitespace: a pasted line break or space is a mistake, named as such.
  if (/\s/.test(value)) throw new UsageError(`${flag} ${JSON.stringify(value)} contains whitespace`, 'give a key id, alias/NAME or key ARN');
  if (!KMS_KEY.test(value)) {
    throw new UsageError(`invalid ${flag} ${JSON.stringify(value)}`, 'give a KMS key id, key ARN, alias/NAME or alias ARN');
  }
  return value;
}

/** Replica regions: region codes, each once, none of them the secret's own region. */
export function checkReplicaRegions(regions: readonly string[], primary?: string, flag = '--replica-region'): string[] {
  const seen = new Set<string>();
  for (const region of regions) {
    if (!isRegion(region)) throw new UsageError(`${flag} ${JSON.stringify(region)} is not an AWS region code`, `e.g. ${flag} eu-west-1`);
    if (seen.has(region)) throw new UsageError(`${flag} ${region} given twice`, 'give each region once');
    if (region === primary) throw new UsageError(`${flag} ${region} is the secret's own region`, 'name other regions to copy it to');
    seen.add(region);
  }
  return [...seen];
}

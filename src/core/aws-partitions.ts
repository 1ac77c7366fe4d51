import { UsageError } from '../errors.js';

/**
 * The one region rule and the one partition table, shared by `scoped policy` (ARNs) and the AWS client
 * (regions checked up front). Pure: no I/O, no SDK.
 */

/**
 * A region code in any partition: us-east-1, us-gov-west-1, cn-north-1, eu-isoe-west-1, eusc-de-east-1, ...
 * The shape only: a region AWS opens next passes without a release of scoped.
 */
export const REGION_PATTERN = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

export interface Partition {
  /** The ARN partition, e.g. `aws-us-gov`. */
  id: string;
  regionRegex: RegExp;
}

/**
 * AWS partitions as the SDK knows them (@aws-sdk/core util-endpoints partitions.json; a test keeps the two
 * in step). More specific patterns first; a region that matches none is in `aws`, as the SDK decides too.
 */
export const PARTITIONS: readonly Partition[] = [
  { id: 'aws-us-gov', regionRegex: /^us-gov-\w+-\d+$/ },
  { id: 'aws-iso', regionRegex: /^us-iso-\w+-\d+$/ },
  { id: 'aws-iso-b', regionRegex: /^us-isob-\w+-\d+$/ },
  { id: 'aws-iso-e', regionRegex: /^eu-isoe-\w+-\d+$/ },
  { id: 'aws-iso-f', regionRegex: /^us-isof-\w+-\d+$/ },
  { id: 'aws-eusc', regionRegex: /^eusc-(de)-\w+-\d+$/ },
  { id: 'aws-cn', regionRegex: /^cn-\w+-\d+$/ },
  { id: 'aws', regionRegex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/ },
];

export function isRegion(region: string): boolean {
  return REGION_PATTERN.test(region);
}

/** The ARN partition of a region (`aws` for an unknown region prefix, as the SDK resolves it). */
export function partitionOf(region: string): string {
  return PARTITIONS.find((p) => p.regionRegex.test(region))?.id ?? 'aws';
}

/**
 * A region given by `what` (a flag, or `flag --region` / `env AWS_REGION` as a source): usage error (exit 2)
 * naming it, with an example, when it is not a region code.
 */
export function checkRegion(region: string, what: string): string {
  if (!isRegion(region)) {
    throw new UsageError(`invalid AWS region ${JSON.stringify(region)} (from ${what})`, 'use a region code such as eu-west-1');
  }
  return region;
}

/**
 * `--regions us-east-1,us-west-2` (or `regions:` / SCOPED_REGIONS): region codes, comma-separated, each
 * once, each checked by the one region rule. The first is the primary: writes go there.
 */
export function parseRegionList<S extends { value: string; source: string }>(raw: S | undefined): { value: string[] | undefined; source: string } {
  if (raw === undefined) return { value: undefined, source: 'default' };
  const regions = raw.value.split(',').map((r) => r.trim());
  for (const r of regions) checkRegion(r, raw.source);
  const twice = regions.find((r, i) => regions.indexOf(r) !== i);
  if (twice !== undefined) throw new UsageError(`region ${twice} is named twice in the regions (from ${raw.source})`, 'name each region once, the primary first');
  return { value: regions, source: raw.source };
}

/**
 * AWS region codes in every partition (us-gov-west-1, cn-north-1, il-central-1, eusc-de-east-1, ...).
 * The one rule for the client's --region / AWS_REGION (checked up front, as the SDK's own refusal is an
 * unexplained "Region not accepted") and for the regions `policy` writes into ARNs.
 */
export const AWS_REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/;

export function isAwsRegion(region: string): boolean {
  return AWS_REGION.test(region);
}

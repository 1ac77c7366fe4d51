/** One region rule and one partition table, for `scoped policy` and the AWS client alike; create's AWS-only inputs. */
import { describe, expect, it } from 'vitest';
import { isRegion, partitionOf, PARTITIONS } from '../../../src/core/aws-partitions.js';
import { scopeArn, validateRegion } from '../../../src/core/policy.js';
import { UsageError } from '../../../src/errors.js';
import { awsSettings } from '../../../src/store/aws/client.js';
import { checkKmsKeyId, checkReplicaRegions } from '../../../src/store/aws/inputs.js';
import { awsConfig } from '../../helpers/moto.js';

interface SdkPartition {
  id: string;
  regionRegex: string;
  regions: Record<string, unknown>;
}
// The SDK's own partition table (what its endpoint resolver uses), read from the installed package.
const sdkTable = (await import(new URL('../../../node_modules/@aws-sdk/core/dist-es/submodules/client/util-endpoints/lib/aws/partitions.js', import.meta.url).href)) as {
  partitionsInfo: { partitions: SdkPartition[] };
};
const sdk = sdkTable.partitionsInfo.partitions;

describe('the partition table', () => {
  it('has exactly the SDK’s partitions, with the same region patterns', () => {
    expect(PARTITIONS.map((p) => p.id).sort()).toEqual(sdk.map((p) => p.id).sort());
    for (const p of sdk) {
      expect(PARTITIONS.find((q) => q.id === p.id)?.regionRegex.source.replace(/\\-/g, '-')).toBe(p.regionRegex.replace(/\\-/g, '-'));
    }
  });

  it('puts every region the SDK knows in its partition, and accepts it as a region', () => {
    for (const p of sdk) {
      for (const region of Object.keys(p.regions).filter((r) => !r.endsWith('-global'))) {
        expect([region, partitionOf(region)]).toEqual([region, p.id]);
        expect(isRegion(region)).toBe(true);
      }
    }
  });

  it('a region AWS has not opened yet is in `aws`, as the SDK resolves it', () => {
    expect(partitionOf('xy-north-9')).toBe('aws');
  });
});

describe('policy and the AWS client agree on regions', () => {
  const clientAccepts = (region: string) => {
    try {
      awsSettings(awsConfig('http://127.0.0.1:9', { region: { value: region, source: 'flag --region' } }), {});
      return true;
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      return false;
    }
  };
  const policyAccepts = (region: string) => {
    try {
      validateRegion(region);
      return true;
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      return false;
    }
  };
  it.each([
    'us-east-1',
    'eusc-de-east-1',
    'us-isob-east-1',
    'eu-isoe-west-1',
    'us-isof-south-1',
    'us-gov-west-1',
    'cn-northwest-1',
    'mx-central-1',
    'mars-1',
    'US-EAST-1',
    'us-east',
    'eu-west-1 ',
    '',
  ])('%j', (region) => {
    expect(policyAccepts(region)).toBe(clientAccepts(region));
    expect(policyAccepts(region)).toBe(isRegion(region));
  });

  it.each([
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['us-isof-south-1', 'aws-iso-f'],
    ['eusc-de-east-1', 'aws-eusc'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['eu-west-1', 'aws'],
  ])('policy ARNs in %s are in partition %s', (region, partition) => {
    expect(scopeArn('scoped/', { org: 'a' }, region, '123456789012')).toBe(`arn:${partition}:secretsmanager:${region}:123456789012:secret:scoped/a/_/_/*`);
  });
});

describe('create’s AWS-only inputs, refused up front (exit 2, naming the flag)', () => {
  const line = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      return (err as UsageError).line();
    }
    throw new Error('accepted');
  };

  it.each([
    '1234abcd-12ab-34cd-56ef-1234567890ab',
    'mrk-1234abcd12ab34cd56ef1234567890ab',
    'alias/my-key',
    'alias/aws/secretsmanager',
    'arn:aws:kms:us-east-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    'arn:aws-us-gov:kms:us-gov-west-1:111122223333:alias/team_key',
  ])('accepts --kms-key-id %s', (id) => expect(checkKmsKeyId(id)).toBe(id));

  it('refuses an empty --kms-key-id', () => {
    expect(line(() => checkKmsKeyId(''))).toBe('--kms-key-id is empty; give a KMS key id, key ARN, alias/NAME or alias ARN, or leave the flag out for aws/secretsmanager');
  });
  it('refuses a --kms-key-id with whitespace, saying so', () => {
    expect(line(() => checkKmsKeyId('my key'))).toBe('--kms-key-id "my key" contains whitespace; give a key id, alias/NAME or key ARN');
  });
  it.each(['alias/', 'arn:aws:kms:us-east-1:1:key/x', 'key/1234'])('refuses --kms-key-id %j', (id) => {
    expect(line(() => checkKmsKeyId(id))).toBe(`invalid --kms-key-id ${JSON.stringify(id)}; give a KMS key id, key ARN, alias/NAME or alias ARN`);
  });

  it('replica regions: region codes, each once, not the secret’s own', () => {
    expect(checkReplicaRegions(['eu-west-1', 'ap-south-1'], 'us-east-1')).toEqual(['eu-west-1', 'ap-south-1']);
    expect(line(() => checkReplicaRegions(['mars-1']))).toBe('--replica-region "mars-1" is not an AWS region code; e.g. --replica-region eu-west-1');
    expect(line(() => checkReplicaRegions(['eu-west-1', 'eu-west-1']))).toBe('--replica-region eu-west-1 given twice; give each region once');
    expect(line(() => checkReplicaRegions(['us-east-1'], 'us-east-1'))).toBe("--replica-region us-east-1 is the secret's own region; name other regions to copy it to");
  });
});

import { describe, expect, it } from 'vitest';
import { createSecretCommand, parseReplicaRegions, parseTags } from '../../../src/commands/create-secret.js';
import { deleteSecretCommand } from '../../../src/commands/delete-secret.js';
import { getSecretCommand } from '../../../src/commands/get-secret.js';
import { policyCommand } from '../../../src/commands/policy.js';
import { resolveCommand } from '../../../src/commands/resolve.js';
import { completionCommand } from '../../../src/commands/completion.js';
import { loadConfig, refuseUnusableFlags } from '../../../src/config.js';
import { UsageError } from '../../../src/errors.js';

// Flag-level faults refused by the builders (pure), and the backend rule on a loaded config.
describe('builders refuse what would be silently wrong', () => {
  it('--tag: a key twice is refused (a repeatable flag, but one key would win silently)', () => {
    expect(() => parseTags(['team=a', 'team=b'])).toThrow('--tag "team" given twice');
    expect(() => parseTags(['team=a', 'team=a'])).toThrow(UsageError);
    expect(parseTags(['team=a', 'Team=b'])).toEqual({ team: 'a', Team: 'b' });
  });

  it("--tag: AWS's tag rules on every backend (length, characters, count)", () => {
    expect(parseTags(['team=edge ops', 'path=/a/b:c@d+e-f.g_h', 'empty=', 'ünï=cödé'])).toMatchObject({ team: 'edge ops', empty: '' });
    expect(() => parseTags([`${'k'.repeat(129)}=v`])).toThrow('the key is over 128 characters');
    expect(parseTags([`${'k'.repeat(128)}=${'v'.repeat(256)}`])).toBeDefined();
    expect(() => parseTags([`k=${'v'.repeat(257)}`])).toThrow('the value is over 256 characters');
    expect(() => parseTags(['team;x=y'])).toThrow('the key has a character AWS does not allow');
    expect(() => parseTags(['team=a\nb'])).toThrow('the value has a character AWS does not allow');
    expect(() => parseTags(['team=$(x)'])).toThrow(UsageError);
    const many = Array.from({ length: 47 }, (_, i) => `t${i}=v`);
    expect(() => parseTags(many)).toThrow('47 --tag flags: at most 46');
    expect(Object.keys(parseTags(many.slice(1)))).toHaveLength(46);
  });

  it('get: --include-deleted with a KEY changes nothing, so it is refused', () => {
    expect(() => getSecretCommand.build(['K'], { includeDeleted: true })).toThrow('--include-deleted is for listing; it takes no KEY');
    expect(getSecretCommand.build([], { includeDeleted: true })).toMatchObject({ includeDeleted: true });
  });

  it('--replica-region: the one region rule, each region once', () => {
    expect(parseReplicaRegions(['eu-west-1', 'us-gov-west-1', 'cn-north-1'])).toEqual(['eu-west-1', 'us-gov-west-1', 'cn-north-1']);
    for (const bad of ['mars-1', 'eu-west', 'EU-WEST-1', ' eu-west-1', 'eu-west-1 ', 'eu_west_1']) {
      expect(() => parseReplicaRegions([bad])).toThrow('is not an AWS region code');
    }
    expect(() => parseReplicaRegions(['eu-west-1', 'eu-west-1'])).toThrow('--replica-region eu-west-1 given twice');
  });

  it('--kms-key-id: no whitespace', () => {
    expect(createSecretCommand.build(['K'], { kmsKeyId: 'alias/team-key' })).toMatchObject({ kmsKeyId: 'alias/team-key' });
    expect(() => createSecretCommand.build(['K'], { kmsKeyId: 'alias/team\n' })).toThrow('contains whitespace');
  });

  it.each(['7.5', '0x10', '1e1', ' 10', '-5', '', '0b111', 'Infinity', '30.0'])('--recovery-days %j is refused', (days) => {
    expect(() => deleteSecretCommand.build(['K'], { recoveryDays: days })).toThrow('--recovery-days must be a whole number from 7 to 30');
  });

  it('--recovery-days 7..30 (leading zeros are still digits)', () => {
    expect(deleteSecretCommand.build(['K'], { recoveryDays: '07' })).toMatchObject({ recoveryDays: 7 });
    expect(deleteSecretCommand.build(['K'], {})).toMatchObject({ recoveryDays: 30 });
  });

  it('-o has no shape for a value printed alone, a policy table or a completion script', () => {
    expect(() => getSecretCommand.build(['K'], { reveal: true }, { output: 'json' })).toThrow('-o json does not apply to get secret --reveal');
    expect(getSecretCommand.build(['K'], {}, { output: 'json' })).toMatchObject({ key: 'K' });
    expect(() => resolveCommand.build(['K'], { reveal: true }, { output: 'yaml' })).toThrow('-o yaml does not apply to resolve --reveal');
    expect(resolveCommand.build(['K'], {}, { output: 'yaml' })).toMatchObject({ keys: ['K'] });
    expect(() => policyCommand.build([], {}, { output: 'table' })).toThrow('-o table does not apply to policy');
    expect(policyCommand.build([], {}, { output: 'yaml' })).toMatchObject({ access: 'read' });
    expect(() => completionCommand.build(['bash'], {}, { output: 'yaml' })).toThrow('does not apply to completion');
  });

  it('--version-id with --version-stage passes to the command, which checks they agree', () => {
    const id = '0f0e5a1c-1b2d-4c3e-8f9a-0123456789ab';
    expect(getSecretCommand.build(['K'], { reveal: true, versionId: id, versionStage: 'AWSCURRENT' })).toMatchObject({ versionId: id, versionStage: 'AWSCURRENT' });
  });

  it('--version-id that cannot be one (Secrets Manager ids are 32-64 characters) is a usage error, not a lookup', () => {
    expect(() => getSecretCommand.build(['K'], { reveal: true, versionId: 'v1' })).toThrow('--version-id "v1" is not a version id (32-64 letters, digits, - or _)');
  });
});

describe('refuseUnusableFlags: aws-only flags given on the command line', () => {
  const env = { HOME: '/nonexistent', XDG_CONFIG_HOME: '/nonexistent' };
  const config = (flags: Record<string, string>, e: Record<string, string> = {}) => loadConfig(flags, { ...env, ...e }, '/');

  it('refused on local, naming each flag and where the backend came from', async () => {
    const c = await config({ region: 'eu-west-1', endpointUrl: 'http://x' });
    expect(() => refuseUnusableFlags(c)).toThrow('--region, --endpoint-url apply to the aws backend only, and the backend is local (the default)');
    const f = await config({ backend: 'local' });
    expect(() => refuseUnusableFlags(f, ['--kms-key-id'])).toThrow('--kms-key-id applies to the aws backend only, and the backend is local (from flag --backend)');
  });

  it('accepted on aws, and from the environment on local', async () => {
    const aws = await config({ region: 'eu-west-1', roleArn: 'arn:aws:iam::1:role/r' }, { SCOPED_BACKEND: 'aws' });
    expect(() => refuseUnusableFlags(aws, ['--kms-key-id'])).not.toThrow();
    const ambient = await config({}, { AWS_REGION: 'eu-west-1', AWS_PROFILE: 'ci', SCOPED_ROLE_ARN: 'arn:aws:iam::1:role/r' });
    expect(() => refuseUnusableFlags(ambient)).not.toThrow();
  });
});

/**
 * Link targets on the AWS store against a mocked SDK: another account's full ARN is sent as it is through
 * the client of the ARN's region, and a refusal names the ARN and the resource policy the role needs (exit 5);
 * GetRandomPassword gets every rule explicitly, and an answer outside the rules is refused (never shown).
 */
import { DescribeSecretCommand, GetRandomPasswordCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { passwordRules } from '../../../src/core/password.js';
import { AccessDeniedError, NotFoundError, UnavailableError } from '../../../src/errors.js';
import { AwsStore } from '../../../src/store/aws/aws-store.js';
import { rejectWith, sm } from '../../helpers/mock-store.js';

const OTHER_ACCOUNT = 'arn:aws:secretsmanager:eu-west-1:210987654321:secret:platform/stripe-Xy12Zq';

function storeWithRegions(): { store: AwsStore; regions: string[] } {
  const regions: string[] = [];
  const client = (region: string) => new SecretsManagerClient({ region, endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const base = client('us-east-1');
  const store = new AwsStore(
    base,
    { debug: () => undefined },
    {
      target: 'http://127.0.0.1:9',
      region: 'us-east-1',
      regionClient: (r) => (regions.push(r), r === 'us-east-1' ? base : client(r)),
    },
  );
  return { store, regions };
}

describe('link targets (mocked SDK)', () => {
  it("another account's full ARN goes as it is, through the client of its region", async () => {
    const { store, regions } = storeWithRegions();
    sm.on(GetSecretValueCommand).resolves({ ARN: OTHER_ACCOUNT, SecretString: 'sk_live', VersionId: 'v9', VersionStages: ['AWSCURRENT'] });
    expect(await store.readArn(OTHER_ACCOUNT, { versionId: 'v9' })).toEqual({ name: OTHER_ACCOUNT, value: 'sk_live', versionId: 'v9', stages: ['AWSCURRENT'] });
    expect(sm).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: OTHER_ACCOUNT, VersionId: 'v9' });
    expect(regions).toEqual(['eu-west-1']);
  });

  it('access denied on a target: exit 5 naming the ARN and the resource policy (read and describe)', async () => {
    const { store } = storeWithRegions();
    sm.on(GetSecretValueCommand).rejects(rejectWith('AccessDeniedException'));
    sm.on(DescribeSecretCommand).rejects(rejectWith('AccessDeniedException'));
    for (const attempt of [() => store.readArn(OTHER_ACCOUNT), () => store.describeArn(OTHER_ACCOUNT)]) {
      const err = await attempt().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AccessDeniedError);
      const line = (err as AccessDeniedError).line();
      expect(line).toContain(`access denied to linked secret ${OTHER_ACCOUNT}`);
      expect(line).toContain('resource policy');
      expect(line.split('\n')).toHaveLength(1);
    }
  });

  it("a target that does not exist: exit 3 naming the ARN, never reworded as the link's own absence", async () => {
    const { store } = storeWithRegions();
    sm.on(DescribeSecretCommand).rejects(rejectWith('ResourceNotFoundException'));
    const err = await store.describeArn(OTHER_ACCOUNT).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).subject).toBe('target');
    expect((err as NotFoundError).message).toBe(`linked secret ${OTHER_ACCOUNT} does not exist (deleted, or the ARN is wrong)`);
  });
});

describe('GetRandomPassword (mocked SDK)', () => {
  it('sends every rule explicitly, so AWS defaults never differ from the local store', async () => {
    const { store } = storeWithRegions();
    sm.on(GetRandomPasswordCommand).resolves({ RandomPassword: 'abcdEFGH1234' });
    await store.randomPassword(passwordRules({ length: '12', excludeChars: 'xyz', noPunctuation: true, requireEachType: true }));
    expect(sm).toHaveReceivedCommandWith(GetRandomPasswordCommand, {
      PasswordLength: 12,
      ExcludeCharacters: 'xyz',
      ExcludePunctuation: true,
      ExcludeNumbers: false,
      ExcludeUppercase: false,
      ExcludeLowercase: false,
      IncludeSpace: false,
      RequireEachIncludedType: true,
    });
  });

  it.each([
    ['too short', 'abc'],
    ['an excluded character', 'abcdEFGH123x'],
    ['punctuation asked away', 'abcdEFGH123!'],
  ])('an answer outside the rules (%s) is exit 6, the value never shown', async (_why, answer) => {
    const { store } = storeWithRegions();
    sm.on(GetRandomPasswordCommand).resolves({ RandomPassword: answer });
    const err = await store.randomPassword(passwordRules({ length: '12', excludeChars: 'xyz', noPunctuation: true })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as UnavailableError).line()).not.toContain(answer);
  });

  it('an answer without RandomPassword is not Secrets Manager (exit 6)', async () => {
    const { store } = storeWithRegions();
    sm.on(GetRandomPasswordCommand).resolves({});
    await expect(store.randomPassword(passwordRules({}))).rejects.toThrow(/did not answer like Secrets Manager \(no RandomPassword/);
  });
});

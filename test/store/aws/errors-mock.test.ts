/** Every mapped AWS error, thrown by a mocked client, as the class, exit code and one line users get. */
import {
  CreateSecretCommand,
  DecryptionFailure,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InternalServiceError,
  InvalidParameterException,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { ConflictError, ExitCode, NotFoundError, ScopedError } from '../../../src/errors.js';
import { AwsRefusedError, mapAwsError } from '../../../src/store/aws/errors.js';
import { mockedStore, rejectWith, sm } from '../../helpers/mock-store.js';

const N = 'scoped/acme/_/_/DB_PASSWORD';
const meta = { $metadata: { httpStatusCode: 400 } };
const netError = (code: string, message: string) => Object.assign(new Error(message), { code });

/** The error a getValue gets when the client throws `thrown`. */
async function readFailure(thrown: Error): Promise<unknown> {
  const { store } = mockedStore();
  sm.on(GetSecretValueCommand).rejects(thrown);
  // Not found is checked with DescribeSecret (the secret may exist without a current value): absent here too.
  if (thrown.name === 'ResourceNotFoundException') sm.on(DescribeSecretCommand).rejects(thrown);
  else sm.on(DescribeSecretCommand).resolves({ Name: N });
  return store.getValue(N).catch((e: unknown) => e);
}

describe('aws error mapping (mocked SDK)', () => {
  const cases: [string, Error, number, RegExp][] = [
    ['ResourceNotFoundException (SDK class)', new ResourceNotFoundException({ message: 'nf', ...meta }), ExitCode.notFound, /^secret \S+ not found$/],
    ['AccessDeniedException', rejectWith('AccessDeniedException'), ExitCode.accessDenied, /^access denied to secret \S+; check the IAM policy/],
    [
      'UnrecognizedClientException',
      rejectWith('UnrecognizedClientException'),
      ExitCode.accessDenied,
      /^AWS rejected the credentials \(UnrecognizedClientException\).*aws sts get-caller-identity/,
    ],
    ['ExpiredTokenException', rejectWith('ExpiredTokenException'), ExitCode.accessDenied, /rejected the credentials \(ExpiredTokenException\)/],
    ['InvalidSignatureException', rejectWith('InvalidSignatureException'), ExitCode.accessDenied, /rejected the credentials/],
    [
      'CredentialsProviderError',
      Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      ExitCode.accessDenied,
      /^no usable AWS credentials; check your AWS credentials \(aws sts get-caller-identity\), or pass --profile/,
    ],
    ['DecryptionFailure (SDK class)', new DecryptionFailure({ message: 'kms', ...meta }), ExitCode.accessDenied, /^cannot decrypt secret \S+ with its KMS key/],
    ['ThrottlingException', rejectWith('ThrottlingException'), ExitCode.unavailable, /^Secrets Manager kept throttling GetSecretValue \(ThrottlingException\); try again/],
    ['TooManyRequestsException', rejectWith('TooManyRequestsException', 429), ExitCode.unavailable, /throttling/],
    [
      'InternalServiceError (SDK class)',
      new InternalServiceError({ message: 'boom', $metadata: { httpStatusCode: 500 } }),
      ExitCode.unavailable,
      /^Secrets Manager failed on GetSecretValue \(InternalServiceError\)/,
    ],
    ['unknown 503', rejectWith('Unknown', 503, 'server'), ExitCode.unavailable, /^Secrets Manager failed on GetSecretValue \(HTTP 503\)/],
    [
      'ECONNREFUSED',
      netError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'),
      ExitCode.unavailable,
      /^cannot reach Secrets Manager at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED on GetSecretValue\)/,
    ],
    ['socket hang up', netError('ECONNRESET', 'socket hang up'), ExitCode.unavailable, /\(ECONNRESET on GetSecretValue\)/],
    ['ETIMEDOUT', netError('ETIMEDOUT', 'connect ETIMEDOUT'), ExitCode.unavailable, /^Secrets Manager at \S+ did not answer in time \(ETIMEDOUT on GetSecretValue\)/],
    ['TimeoutError', Object.assign(new Error('request timed out'), { name: 'TimeoutError' }), ExitCode.unavailable, /did not answer in time \(timeout on GetSecretValue\)/],
    [
      'InvalidParameterException (SDK class)',
      new InvalidParameterException({ message: 'VersionStage\n  is   bad', ...meta }),
      ExitCode.usage,
      /^Secrets Manager refused GetSecretValue for secret \S+: VersionStage is bad$/,
    ],
  ];

  it.each(cases)('%s', async (_label, thrown, exit, line) => {
    const err = await readFailure(thrown);
    expect(err).toBeInstanceOf(ScopedError);
    const e = err as ScopedError;
    expect(e.exitCode).toBe(exit);
    expect(e.line()).toMatch(line);
    expect(e.line()).not.toContain('\n');
    expect(e.cause).toBe(thrown);
  });

  it('an AWS error code scoped does not know: exit 1 on one line naming the code and the operation; a bug passes through', async () => {
    const unknown = (await readFailure(rejectWith('SomethingNewException'))) as ScopedError;
    expect(unknown).toBeInstanceOf(AwsRefusedError);
    expect(unknown.exitCode).toBe(ExitCode.internal);
    expect(unknown.line()).toBe(
      `Secrets Manager refused GetSecretValue for secret ${N} with SomethingNewException, an error scoped does not know: SomethingNewException: injected; rerun with --debug, and report it if it persists`,
    );
    const bug = new TypeError('x is undefined');
    expect(mapAwsError(bug, { op: 'GetSecretValue' })).toBe(bug);
  });

  it('an unknown code from a server fault (5xx) is unavailability (exit 6)', async () => {
    const err = (await readFailure(rejectWith('SomethingBrokeException', 502, 'server'))) as ScopedError;
    expect(err.exitCode).toBe(ExitCode.unavailable);
    expect(err.line()).toBe('Secrets Manager failed on GetSecretValue (HTTP 502); try again later');
  });

  it.each([
    [
      'PutSecretValue',
      'a secret keeps about 100 versions and never drops one younger than 24 hours; change it less often (AWS advises at most once every 10 minutes), or try again in a day',
    ],
    ['CreateSecret', 'such as the number of secrets in the region; delete secrets you no longer need (--force frees them at once), or ask for more in Service Quotas'],
    ['UpdateSecret', 'a secret keeps about 100 versions'],
  ])('LimitExceededException on %s names the quota and what to do (exit 4)', async (op, words) => {
    const err = mapAwsError(rejectWith('LimitExceededException'), { op, name: N }) as ConflictError;
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.reason).toBe('quota');
    expect(err.exitCode).toBe(ExitCode.conflict);
    expect(err.line()).toContain(`Secrets Manager refused ${op} for secret ${N}: a quota is reached (LimitExceededException)`);
    expect(err.line()).toContain(words);
  });

  it('a put that hits the version quota through the store: the same conflict', async () => {
    const { store } = mockedStore();
    sm.on(PutSecretValueCommand).rejects(rejectWith('LimitExceededException'));
    const err = (await store.putValue(N, 'v').catch((e: unknown) => e)) as ConflictError;
    expect(err.reason).toBe('quota');
  });
});

describe('a secret without a current value (made by another tool)', () => {
  const noValue = `secret ${N} has no current value (no AWSCURRENT version; it was made without a value, perhaps by another tool); give it one with \`scoped update secret\``;

  it('GetSecretValue not found, DescribeSecret finds it: no current value (exit 3), not "not found"', async () => {
    const { store } = mockedStore();
    sm.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: "can't find the specified secret value for staging label: AWSCURRENT", ...meta }));
    sm.on(DescribeSecretCommand).resolves({ Name: N, VersionIdsToStages: {} });
    const err = (await store.getValue(N).catch((e: unknown) => e)) as NotFoundError;
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.subject).toBe('version');
    expect(err.line()).toBe(noValue);
  });

  it('an answer with neither SecretString nor SecretBinary is not Secrets Manager (which says not found): exit 6', async () => {
    const { store } = mockedStore();
    sm.on(GetSecretValueCommand).resolves({ Name: N, VersionId: 'v1' });
    const err = (await store.getValue(N).catch((e: unknown) => e)) as NotFoundError;
    expect(err.exitCode).toBe(6);
    expect(err.line()).toMatch(/did not answer like Secrets Manager \(no SecretString or SecretBinary in its GetSecretValue answer\)/);
  });
});

describe('aws state refusals, decided by DescribeSecret', () => {
  const deleted = { Name: N, DeletedDate: new Date('2026-01-01T00:00:00Z') };

  async function createFailure(thrown: Error, describe: object): Promise<ConflictError> {
    const { store } = mockedStore();
    sm.on(CreateSecretCommand).rejects(thrown);
    sm.on(DescribeSecretCommand).resolves(describe);
    return (await store.create({ name: N, value: 'v', tags: {} }).catch((e: unknown) => e)) as ConflictError;
  }

  it('create on an existing name: exists', async () => {
    const err = await createFailure(new ResourceExistsException({ message: 'exists', ...meta }), { Name: N });
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.reason).toBe('exists');
    expect(err.exitCode).toBe(ExitCode.conflict);
  });

  it('create on a name scheduled for deletion, whichever code the server uses', async () => {
    for (const thrown of [new InvalidRequestException({ message: 'x', ...meta }), new ResourceExistsException({ message: 'x', ...meta })]) {
      const err = await createFailure(thrown, deleted);
      expect(err.reason).toBe('scheduled-for-deletion');
      expect(err.line()).toBe(`secret ${N} is scheduled for deletion; restore it with \`scoped restore secret\``);
    }
    expect(sm).toHaveReceivedCommandWith(DescribeSecretCommand, { SecretId: N });
  });

  // AWS refuses every change to a secret scheduled for deletion with InvalidRequestException (moto lets
  // PutSecretValue through, so this is the test that holds the store to AWS's behaviour).
  it('get, put and describe on a secret scheduled for deletion', async () => {
    const { store } = mockedStore();
    const refused = new InvalidRequestException({ message: 'marked for deletion', ...meta });
    sm.on(GetSecretValueCommand).rejects(refused);
    sm.on(PutSecretValueCommand).rejects(refused);
    sm.on(UpdateSecretCommand).rejects(refused);
    sm.on(DescribeSecretCommand).resolves(deleted);
    for (const op of [() => store.getValue(N), () => store.putValue(N, 'v'), () => store.updateDescription(N, 'd')]) {
      const err = (await op().catch((e: unknown) => e)) as ConflictError;
      expect(err).toBeInstanceOf(ConflictError);
      expect(err.reason).toBe('scheduled-for-deletion');
      expect(err.exitCode).toBe(ExitCode.conflict);
      expect(err.cause).toBeInstanceOf(ConflictError);
    }
  });

  it('another state refusal on a live secret (without replicas) is a conflict of its own', async () => {
    const { store } = mockedStore();
    sm.on(DeleteSecretCommand).rejects(new InvalidRequestException({ message: 'has replicas', ...meta }));
    sm.on(DescribeSecretCommand).resolves({ Name: N });
    const err = (await store.delete(N, { recoveryDays: 30 }).catch((e: unknown) => e)) as ConflictError;
    expect(err.reason).toBe('changed');
    expect(err.message).toBe(`secret ${N} is not in a state that allows DeleteSecret`);
  });
});

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
import { ConflictError, ExitCode, ScopedError } from '../../src/errors.js';
import { mapAwsError } from '../../src/store/aws/errors.js';
import { mockedStore, rejectWith, sm } from './mock-store.js';

const N = 'scoped/acme/_/_/DB_PASSWORD';
const meta = { $metadata: { httpStatusCode: 400 } };
const netError = (code: string, message: string) => Object.assign(new Error(message), { code });

/** The error a getValue gets when the client throws `thrown`. */
async function readFailure(thrown: Error): Promise<unknown> {
  const { store } = mockedStore();
  sm.on(GetSecretValueCommand).rejects(thrown);
  sm.on(DescribeSecretCommand).resolves({ Name: N });
  return store.getValue(N).catch((e: unknown) => e);
}

describe('aws error mapping (mocked SDK)', () => {
  const cases: [string, Error, number, RegExp][] = [
    ['ResourceNotFoundException (SDK class)', new ResourceNotFoundException({ message: 'nf', ...meta }), ExitCode.notFound, /^secret \S+ not found$/],
    ['AccessDeniedException', rejectWith('AccessDeniedException'), ExitCode.accessDenied, /^access denied to secret \S+; check the IAM policy/],
    ['UnrecognizedClientException', rejectWith('UnrecognizedClientException'), ExitCode.accessDenied, /^AWS rejected the credentials \(UnrecognizedClientException\).*aws sts get-caller-identity/],
    ['ExpiredTokenException', rejectWith('ExpiredTokenException'), ExitCode.accessDenied, /rejected the credentials \(ExpiredTokenException\)/],
    ['InvalidSignatureException', rejectWith('InvalidSignatureException'), ExitCode.accessDenied, /rejected the credentials/],
    ['CredentialsProviderError', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), ExitCode.accessDenied, /^no usable AWS credentials; check your AWS credentials \(aws sts get-caller-identity\), or pass --profile/],
    ['DecryptionFailure (SDK class)', new DecryptionFailure({ message: 'kms', ...meta }), ExitCode.accessDenied, /^cannot decrypt secret \S+ with its KMS key/],
    ['ThrottlingException', rejectWith('ThrottlingException'), ExitCode.unavailable, /^Secrets Manager kept throttling GetSecretValue \(ThrottlingException\); try again/],
    ['TooManyRequestsException', rejectWith('TooManyRequestsException', 429), ExitCode.unavailable, /throttling/],
    ['InternalServiceError (SDK class)', new InternalServiceError({ message: 'boom', $metadata: { httpStatusCode: 500 } }), ExitCode.unavailable, /^Secrets Manager failed on GetSecretValue \(InternalServiceError\)/],
    ['unknown 503', rejectWith('Unknown', 503, 'server'), ExitCode.unavailable, /^Secrets Manager failed on GetSecretValue \(HTTP 503\)/],
    ['ECONNREFUSED', netError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9'), ExitCode.unavailable, /^cannot reach Secrets Manager at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED on GetSecretValue\)/],
    ['socket hang up', netError('ECONNRESET', 'socket hang up'), ExitCode.unavailable, /\(ECONNRESET on GetSecretValue\)/],
    ['ETIMEDOUT', netError('ETIMEDOUT', 'connect ETIMEDOUT'), ExitCode.unavailable, /^Secrets Manager at \S+ did not answer in time \(ETIMEDOUT on GetSecretValue\)/],
    ['TimeoutError', Object.assign(new Error('request timed out'), { name: 'TimeoutError' }), ExitCode.unavailable, /did not answer in time \(timeout on GetSecretValue\)/],
    ['InvalidParameterException (SDK class)', new InvalidParameterException({ message: 'VersionStage\n  is   bad', ...meta }), ExitCode.usage, /^Secrets Manager refused GetSecretValue for secret \S+: VersionStage is bad$/],
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

  it('an AWS error we do not know is an internal error on one line; a bug passes through unchanged', async () => {
    const unknown = (await readFailure(rejectWith('LimitExceededException'))) as Error;
    expect(unknown).not.toBeInstanceOf(ScopedError);
    expect(unknown.message).toBe(`Secrets Manager GetSecretValue failed for secret ${N}: LimitExceededException: LimitExceededException: injected`);
    const bug = new TypeError('x is undefined');
    expect(mapAwsError(bug, { op: 'GetSecretValue' })).toBe(bug);
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

  it('another state refusal on a live secret is a conflict of its own', async () => {
    const { store } = mockedStore();
    sm.on(DeleteSecretCommand).rejects(new InvalidRequestException({ message: 'has replicas', ...meta }));
    sm.on(DescribeSecretCommand).resolves({ Name: N });
    const err = (await store.delete(N, { recoveryDays: 30 }).catch((e: unknown) => e)) as ConflictError;
    expect(err.reason).toBe('changed');
    expect(err.message).toBe(`secret ${N} is not in a state that allows DeleteSecret`);
  });
});

import { AccessDeniedError, ConflictError, ExitCode, NotFoundError, ScopedError, UnavailableError, UsageError } from '../../errors.js';

/** What was being done when AWS failed, for the message line. */
export interface AwsCallContext {
  /** API operation, e.g. `GetSecretValue`. */
  op: string;
  /** The secret concerned, when there is exactly one. */
  name?: string | undefined;
  /** Where requests go (endpoint URL or region), for network errors. */
  target?: string | undefined;
}

const CREDENTIALS_HINT = 'check your AWS credentials (aws sts get-caller-identity), or pass --profile / --role-arn';
const POLICY_HINT = 'check the IAM policy of your AWS identity (`scoped policy` prints one that is enough)';

const ENDPOINT_HINT = 'check --endpoint-url / AWS_ENDPOINT_URL_SECRETS_MANAGER / AWS_ENDPOINT_URL';
/** The SDK's name for an error response that carries no error type. */
const UNNAMED = new Set(['Unknown', 'UnknownError']);

const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied']);
/** The identity itself is unusable: unknown, badly signed or expired. */
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'ExpiredTokenException',
  'ExpiredToken',
]);
/** Raised by the SDK's credential chain when it finds nothing usable (no request was sent). */
const NO_CREDENTIALS = new Set(['CredentialsProviderError', 'TokenProviderError']);
const KMS_DENIED = new Set(['DecryptionFailure', 'EncryptionFailure']);
const THROTTLED = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException']);
const SERVER_FAULT = new Set(['InternalServiceError', 'InternalFailure', 'ServiceUnavailable', 'ServiceUnavailableException']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);

export const isThrottleCode = (code: string): boolean => THROTTLED.has(code);
export const isServerFaultCode = (code: string): boolean => SERVER_FAULT.has(code);

/**
 * An AWS error code scoped has no meaning for (4xx): exit 1, but as one line naming the code and the
 * operation, not as a crash. Server faults (5xx) are unavailability (exit 6) whatever their code.
 */
export class AwsRefusedError extends ScopedError {
  readonly exitCode = ExitCode.internal;
}

/** LimitExceededException: which quota it most likely is for the operation, and what to do. */
function quotaError(ctx: AwsCallContext): ConflictError {
  const head = `Secrets Manager refused ${ctx.op} for ${subject(ctx)}: a quota is reached (LimitExceededException)`;
  if (ctx.op === 'PutSecretValue' || ctx.op === 'UpdateSecret') {
    return new ConflictError(
      'quota',
      `${head}: a secret keeps about 100 versions and never drops one younger than 24 hours`,
      'change it less often (AWS advises at most once every 10 minutes), or try again in a day',
    );
  }
  if (ctx.op === 'UpdateSecretVersionStage') {
    return new ConflictError(
      'quota',
      `${head}: a version carries at most 20 staging labels`,
      'remove labels it no longer needs (scoped pin --unprotect FILE for an old pin), then try again',
    );
  }
  if (ctx.op === 'CreateSecret') {
    return new ConflictError(
      'quota',
      `${head}, such as the number of secrets in the region`,
      'delete secrets you no longer need (--force frees them at once), or ask for more in Service Quotas',
    );
  }
  return new ConflictError('quota', head, 'see the Secrets Manager quotas in Service Quotas');
}

// Commands throw it too (delete sees `replicaOf` first): it lives in store/replica.ts.
export { readOnlyReplica } from '../replica.js';

/** A code that mapErrorCode does not know, as one line (exit 1). */
export function unknownCode(code: string, message: string | undefined, ctx: AwsCallContext): AwsRefusedError {
  const detail = awsDetail(message);
  return new AwsRefusedError(
    `Secrets Manager refused ${ctx.op} for ${subject(ctx)} with ${code}, an error scoped does not know${detail ? `: ${detail}` : ''}`,
    'rerun with --debug, and report it if it persists',
  );
}

/** A network failure's code (`ECONNREFUSED`, ...) or `timeout`, when no HTTP answer came at all. */
function networkFailure(e: Error & ErrorLike): string | undefined {
  const network = typeof e.code === 'string' && NETWORK_CODES.has(e.code) ? e.code : e.name === 'TimeoutError' ? 'timeout' : undefined;
  return network !== undefined && e.$metadata?.httpStatusCode === undefined ? network : undefined;
}

/** AWS's own message on one line and short; it never carries a secret value. */
function awsDetail(message: string | undefined): string {
  const line = (message ?? '').replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}

function endpointOf(ctx: AwsCallContext): string {
  return ctx.target !== undefined ? `the endpoint ${ctx.target}` : 'the endpoint';
}

function subject(ctx: AwsCallContext): string {
  return ctx.name !== undefined ? `secret ${ctx.name}` : `Secrets Manager (${ctx.op})`;
}

/**
 * One AWS error code (from a thrown error's `name` or a BatchGetSecretValue `Errors[].ErrorCode`) as our
 * error. Unknown codes give undefined. InvalidRequestException is a state problem; only the caller can tell
 * whether the state is "scheduled for deletion" (see AwsStore), so here it is the read case, where it is.
 */
export function mapErrorCode(code: string, message: string | undefined, ctx: AwsCallContext): ScopedError | undefined {
  const what = subject(ctx);
  if (code === 'ResourceNotFoundException') return new NotFoundError(`${what} not found`);
  if (code === 'ResourceExistsException') return new ConflictError('exists', `${what} already exists`);
  if (code === 'InvalidRequestException') {
    return new ConflictError('scheduled-for-deletion', `${what} is scheduled for deletion`, 'restore it with `scoped restore secret`');
  }
  if (ACCESS_DENIED.has(code)) return new AccessDeniedError(`access denied to ${what}`, POLICY_HINT);
  if (BAD_CREDENTIALS.has(code)) return new AccessDeniedError(`AWS rejected the credentials (${code}) for ${what}`, CREDENTIALS_HINT);
  if (KMS_DENIED.has(code)) {
    return new AccessDeniedError(`cannot ${code === 'DecryptionFailure' ? 'decrypt' : 'encrypt'} ${what} with its KMS key`, 'check kms:Decrypt / kms:Encrypt on the key');
  }
  if (code === 'LimitExceededException') return quotaError(ctx);
  if (THROTTLED.has(code)) {
    return new UnavailableError(`Secrets Manager kept throttling ${ctx.op} (${code})`, 'try again in a moment, or raise AWS_MAX_ATTEMPTS');
  }
  if (SERVER_FAULT.has(code)) return new UnavailableError(`Secrets Manager failed on ${ctx.op} (${code})`, 'try again later');
  if (code === 'InvalidParameterException' || code === 'ValidationException') {
    return new UsageError(`Secrets Manager refused ${ctx.op} for ${what}: ${awsDetail(message)}`);
  }
  return undefined;
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number | undefined };
}

/**
 * Any error from the SDK as one of ours: decided by `err.name` / `err.code` / HTTP status, never by text.
 * Our own errors pass through; errors that are not from AWS or the network (bugs) are returned unchanged.
 */
export function mapAwsError(err: unknown, ctx: AwsCallContext): Error {
  if (err instanceof ScopedError || !(err instanceof Error)) return err instanceof Error ? err : new Error(String(err));
  const e = err as Error & ErrorLike;
  const name = String(e.name);
  const cause = { cause: err };

  if (NO_CREDENTIALS.has(name)) {
    return new AccessDeniedError('no usable AWS credentials', CREDENTIALS_HINT, cause);
  }
  if (name === 'ResponseTooLarge') {
    return new UnavailableError(`${endpointOf(ctx)} did not answer like Secrets Manager (an answer over 32 MiB on ${ctx.op})`, ENDPOINT_HINT, cause);
  }
  const network = networkFailure(e);
  if (network !== undefined) {
    const at = ctx.target ? ` at ${ctx.target}` : '';
    const what = network === 'timeout' || network === 'ETIMEDOUT' ? `Secrets Manager${at} did not answer in time` : `cannot reach Secrets Manager${at}`;
    return new UnavailableError(`${what} (${network} on ${ctx.op})`, 'check --endpoint-url / --region and the network, then try again', cause);
  }
  const isAws = e.$fault !== undefined || e.$metadata !== undefined;
  if (!isAws) return err;

  const mapped = mapErrorCode(name, e.message, ctx);
  if (mapped) return Object.assign(mapped, cause);
  const status = e.$metadata?.httpStatusCode;
  if (e.$fault === 'server' || (status !== undefined && status >= 500)) {
    return new UnavailableError(`Secrets Manager failed on ${ctx.op} (${status !== undefined ? `HTTP ${status}` : name})`, 'try again later', cause);
  }
  if (status === 429) return mapErrorCode('TooManyRequestsException', undefined, ctx) as ScopedError;
  // Secrets Manager always names its errors. No `$fault` means the body did not even parse (an HTML page, a
  // 404 from some other server); "Unknown" means an error response without a type: not Secrets Manager.
  if (e.$fault === undefined || UNNAMED.has(name)) {
    // IAM and VPC endpoint policies seen through some proxies answer 403 with a page, not an AWS error.
    if (status === 403) {
      return new AccessDeniedError(
        `access denied to ${subject(ctx)} (HTTP 403 on ${ctx.op}, without a Secrets Manager error)`,
        `${POLICY_HINT}, and any VPC endpoint or proxy policy`,
        cause,
      );
    }
    return new UnavailableError(`${endpointOf(ctx)} did not answer like Secrets Manager (HTTP ${status ?? '?'} on ${ctx.op})`, ENDPOINT_HINT, cause);
  }
  return Object.assign(unknownCode(name, e.message as string | undefined, ctx), cause);
}

const ROLE_HINT = "check that your identity may sts:AssumeRole on it, and the role's trust policy";

/**
 * A failure to get credentials for --role-arn (the STS AssumeRole call, or the credentials that sign it),
 * by error name and code: the network is exit 6, anything AWS or the credential chain refused is exit 5.
 * Bugs (errors from neither) pass through unchanged.
 */
export function mapRoleError(err: unknown, roleArn: string): Error {
  if (err instanceof ScopedError || !(err instanceof Error)) return err instanceof Error ? err : new Error(String(err));
  const e = err as Error & ErrorLike;
  const name = String(e.name);
  const what = `cannot assume role ${roleArn}`;
  const cause = { cause: err };
  const network = networkFailure(e);
  if (network !== undefined) {
    return new UnavailableError(`${what}: cannot reach STS (${network})`, 'check the network and AWS_ENDPOINT_URL_STS, then try again', cause);
  }
  if (NO_CREDENTIALS.has(name)) return new AccessDeniedError(`${what}: no usable AWS credentials to call STS with`, CREDENTIALS_HINT, cause);
  if (e.$fault === undefined && e.$metadata === undefined) return err;
  const status = e.$metadata?.httpStatusCode;
  if (THROTTLED.has(name) || e.$fault === 'server' || (status !== undefined && status >= 500)) {
    return new UnavailableError(`${what}: STS failed (${status !== undefined && !THROTTLED.has(name) ? `HTTP ${status}` : name})`, 'try again later', cause);
  }
  const detail = typeof e.message === 'string' && e.message !== '' ? `: ${awsDetail(e.message)}` : '';
  return new AccessDeniedError(`${what}: ${name}${detail}`, BAD_CREDENTIALS.has(name) ? CREDENTIALS_HINT : ROLE_HINT, cause);
}

import { SecretsManagerClient, type SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../../config.js';
import { checkRegion } from '../../core/aws-partitions.js';
import { UsageError } from '../../errors.js';
import type { StoreLog } from '../log.js';
import { AttemptHandler, type AttemptLimits } from './attempt-handler.js';
import { Deadline } from './deadline.js';
import { mapRoleError } from './errors.js';
import { adaptiveLimiter, DeadlineRetryStrategy, SDK_MAX_ATTEMPTS, type RetryPolicy } from './retry.js';

type Logger = NonNullable<SecretsManagerClientConfig['logger']>;

/** Fallback when nothing names a region but an endpoint is given (moto, LocalStack: region is cosmetic). */
export const ENDPOINT_DEFAULT_REGION = 'us-east-1';

/**
 * Per attempt: 3 s to connect, 5 s for the whole answer, body included (see attempt-handler.ts). AWS
 * answers in well under a second, so with the default 3 attempts an endpoint that accepts connections and
 * never answers, or stalls in the body, fails after about 15 s; the command's deadline bounds it all.
 */
export type Timeouts = AttemptLimits;
export const DEFAULT_TIMEOUTS: Timeouts = { connectionTimeout: 3_000, requestTimeout: 5_000 };

/** An IAM role ARN in any partition; the role name may have a path. */
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]+$/;

/** Everything the client is built from, decided up front so it can be tested and shown by --debug. */
export interface AwsSettings {
  region?: string | undefined;
  regionSource: string;
  /** `--regions`: reads go to these in order (the first is `region`, where writes go); undefined: one region. */
  regions?: string[] | undefined;
  profile?: string | undefined;
  endpoint?: string | undefined;
  roleArn?: string | undefined;
  /** Only when set in the environment; otherwise the SDK's own chain (env, profile, default 3). */
  maxAttempts?: number | undefined;
  retryMode?: 'standard' | 'adaptive' | undefined;
  timeouts: Timeouts;
  /** The command's total time with AWS (`--timeout` / `SCOPED_TIMEOUT`), and where it came from. */
  timeout: { seconds: number; source: string };
}

function parseMaxAttempts(raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 20) throw new UsageError(`AWS_MAX_ATTEMPTS must be a whole number from 1 to 20, not ${JSON.stringify(raw)}`);
  return n;
}

function parseRetryMode(raw: string | undefined): AwsSettings['retryMode'] {
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'standard' || raw === 'adaptive') return raw;
  // `legacy` is what other SDKs call their old mode; v3's nearest is standard.
  if (raw === 'legacy') return 'standard';
  throw new UsageError(`AWS_RETRY_MODE must be standard or adaptive, not ${JSON.stringify(raw)}`);
}

function parseEndpoint(raw: string | undefined, source: string): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`invalid endpoint URL ${JSON.stringify(raw)} (from ${source})`, 'use e.g. http://127.0.0.1:5000');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`the endpoint URL must be http or https, not ${url.protocol} (from ${source})`);
  }
  return raw;
}

/** Checked up front, as the SDK's own refusal is an unexplained "Region not accepted". */
function optionalRegion(region: string | undefined, source: string): string | undefined {
  return region === undefined ? undefined : checkRegion(region, source);
}

function parseRoleArn(raw: string | undefined, source: string): string | undefined {
  if (raw !== undefined && !ROLE_ARN.test(raw)) {
    throw new UsageError(`invalid role ARN ${JSON.stringify(raw)} (from ${source})`, 'use arn:aws:iam::<12-digit account>:role/<name>');
  }
  return raw;
}

export function awsSettings(config: Config, env: Record<string, string | undefined>, timeouts = DEFAULT_TIMEOUTS): AwsSettings {
  return {
    // --regions names the primary first; it takes the place of --region.
    region: config.regions?.value?.[0] ?? optionalRegion(config.region.value, config.region.source),
    regionSource: config.regions?.value !== undefined ? `${config.regions.source}, the first of the regions` : config.region.source,
    regions: config.regions?.value,
    profile: config.profile.value,
    endpoint: parseEndpoint(config.endpointUrl.value, config.endpointUrl.source),
    roleArn: parseRoleArn(config.roleArn.value, config.roleArn.source),
    maxAttempts: parseMaxAttempts(env.AWS_MAX_ATTEMPTS),
    retryMode: parseRetryMode(env.AWS_RETRY_MODE),
    timeouts,
    timeout: { seconds: config.timeout.value, source: config.timeout.source },
  };
}

/**
 * The SDK's logger, for the client and the credential chain: nothing of it reaches stderr (our one line is
 * the message). Warnings, such as "multiple credential sources", go to --debug on one line; info and debug
 * carry request and response dumps and are dropped.
 */
export function quietLogger(log: StoreLog): Logger {
  const drop = (): void => undefined;
  // A plain object: the credential chain falls back to console.warn for an instance of NoOpLogger.
  return {
    trace: drop,
    debug: drop,
    info: drop,
    warn: (...parts: unknown[]) => log.debug(`aws sdk warning: ${parts.map(String).join(' ').replace(/\s+/g, ' ').trim()}`),
    error: drop,
  };
}

/** How the client retries (see retry.ts), under the command's deadline. */
export function retryPolicy(settings: AwsSettings, deadline = new Deadline(settings.timeout.seconds, settings.timeout.source)): RetryPolicy {
  return {
    maxAttempts: settings.maxAttempts ?? SDK_MAX_ATTEMPTS,
    capThrottling: settings.maxAttempts !== undefined,
    deadline,
    limiter: settings.retryMode === 'standard' ? undefined : adaptiveLimiter(),
  };
}

function clientConfig(settings: AwsSettings, region: string | undefined, logger: Logger, policy: RetryPolicy): SecretsManagerClientConfig {
  const cfg: SecretsManagerClientConfig = {
    requestHandler: new AttemptHandler(settings.timeouts, policy.deadline, { throwOnRequestTimeout: true, logger }),
    retryStrategy: new DeadlineRetryStrategy(policy),
    // Only for the SDK's `amz-sdk-request` header; the strategy above decides.
    maxAttempts: policy.maxAttempts,
    logger,
  };
  if (region !== undefined) cfg.region = region;
  if (settings.profile !== undefined) cfg.profile = settings.profile;
  // The SDK reads AWS_ENDPOINT_URL[_SECRETS_MANAGER] itself; passing it keeps flag > env > file in one place.
  if (settings.endpoint !== undefined) cfg.endpoint = settings.endpoint;
  return cfg;
}

/**
 * A client without the SDK's logger middleware: it only hands each command's input and output to the
 * logger's `info` (and its input to `error`), which quietLogger drops, after walking both through the
 * operation's schema to mask sensitive members, values included (about 2% of a cold `export`'s CPU).
 */
function newClient(config: SecretsManagerClientConfig): SecretsManagerClient {
  const client = new SecretsManagerClient(config);
  client.middlewareStack.remove('loggerMiddleware');
  return client;
}

/** The region the SDK's default chain (AWS_REGION, the profile's `region`) finds, or undefined. */
async function sdkRegion(client: SecretsManagerClient): Promise<string | undefined> {
  try {
    const region = await client.config.region();
    return region || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Secrets Manager client: region from config or the SDK chain (us-east-1 only with an explicit endpoint),
 * credentials from the standard chain or an assumed role, retries and timeouts as above.
 */
export async function buildClient(settings: AwsSettings, log: StoreLog, policy = retryPolicy(settings)): Promise<SecretsManagerClient> {
  const logger = quietLogger(log);
  const config = (r: string | undefined) => clientConfig(settings, r, logger, policy);
  let region = settings.region;
  let regionSource = settings.regionSource;
  let client = withoutNodeVersionWarning(() => newClient(config(region)));
  if (region === undefined) {
    region = await sdkRegion(client);
    regionSource = 'AWS SDK default chain';
    if (region === undefined) {
      if (settings.endpoint === undefined) {
        throw new UsageError('no AWS region is set', 'pass --region, or set AWS_REGION (or a region in your AWS profile)');
      }
      region = ENDPOINT_DEFAULT_REGION;
      regionSource = 'default for --endpoint-url';
      client.destroy();
      client = newClient(config(region));
    }
  }
  if (settings.roleArn !== undefined) {
    client.destroy();
    client = newClient({ ...config(region), credentials: await assumeRole(settings.roleArn, settings, region, logger, policy.deadline) });
  }
  log.debug(
    `aws client: region ${region} (${regionSource}), endpoint ${settings.endpoint ?? 'AWS default'}, ` +
      `profile ${settings.profile ?? '(default chain)'}${settings.roleArn ? `, role ${settings.roleArn}` : ''}, ` +
      `retries: throttling until the deadline${settings.maxAttempts !== undefined ? ` (at most ${settings.maxAttempts} attempts)` : ''}, ` +
      `others ${settings.maxAttempts ?? SDK_MAX_ATTEMPTS} attempts, ${settings.retryMode === 'standard' ? 'no rate limiter' : 'adaptive rate limiter'}; ` +
      `timeouts ${settings.timeouts.connectionTimeout}/${settings.timeouts.requestTimeout} ms per attempt, ${settings.timeout.seconds} s in all (${settings.timeout.source})`,
  );
  return client;
}

/**
 * A client for another region (a link's target), with everything else the store's client has: the same
 * credentials (its provider, so an assumed role is assumed once), endpoint (tests point every region at one
 * server), profile, timeouts, retries and deadline.
 */
export function regionClient(
  settings: AwsSettings,
  region: string,
  log: StoreLog,
  policy: RetryPolicy,
  base: SecretsManagerClient,
  why = "a linked secret's ARN",
): SecretsManagerClient {
  const client = newClient({ ...clientConfig(settings, region, quietLogger(log), policy), credentials: base.config.credentials });
  log.debug(`aws client: region ${region} (${why}), endpoint ${settings.endpoint ?? 'AWS default'}, the store client's credentials`);
  return client;
}

/**
 * The SDK warns once per process, through process.emitWarning, that Node 20 support ends; the warning is
 * noise for our users. Its switch is an environment variable read when the first client is built, after
 * which the SDK stays quiet: set it for that moment only, so it never reaches a `scoped run` child.
 */
function withoutNodeVersionWarning<T>(build: () => T): T {
  const KEY = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
  const saved = process.env[KEY];
  process.env[KEY] = 'true';
  try {
    return build();
  } finally {
    if (saved === undefined) delete process.env[KEY];
    else process.env[KEY] = saved;
  }
}

type CredentialProvider = Extract<NonNullable<SecretsManagerClientConfig['credentials']>, (...args: never[]) => unknown>;

/**
 * Temporary credentials for the role; STS and credential failures say so, rather than blaming Secrets
 * Manager. The STS client's attempts have the same limits as ours and end at the command's deadline (their
 * sockets closed), and running out of time while the role is assumed is reported as STS's.
 */
async function assumeRole(roleArn: string, settings: AwsSettings, region: string, logger: Logger, deadline: Deadline): Promise<CredentialProvider> {
  const { profile } = settings;
  const { fromTemporaryCredentials, fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  const provider = fromTemporaryCredentials({
    params: { RoleArn: roleArn, RoleSessionName: `scoped-${Date.now()}` },
    // The caller's profile (if any) signs the AssumeRole call; the STS client reads AWS_ENDPOINT_URL_STS itself.
    masterCredentials: fromNodeProviderChain(profile !== undefined ? { profile, logger } : { logger }),
    clientConfig: { region, logger, requestHandler: new AttemptHandler(settings.timeouts, deadline, { throwOnRequestTimeout: true, logger }) },
    logger,
  });
  return async (options) => {
    try {
      return await deadline.assuming(roleArn, () => provider(options));
    } catch (err) {
      throw mapRoleError(err, roleArn);
    }
  };
}

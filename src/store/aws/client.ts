import { SecretsManagerClient, type SecretsManagerClientConfig } from '@aws-sdk/client-secrets-manager';
import type { Config } from '../../config.js';
import { UsageError } from '../../errors.js';
import type { StoreLog } from '../factory.js';

/** Fallback when nothing names a region but an endpoint is given (moto, LocalStack: region is cosmetic). */
export const ENDPOINT_DEFAULT_REGION = 'us-east-1';

/** An unreachable endpoint must fail in seconds: 3 s to connect, 15 s for a whole request. */
export interface Timeouts {
  connectionTimeout: number;
  requestTimeout: number;
}
export const DEFAULT_TIMEOUTS: Timeouts = { connectionTimeout: 3_000, requestTimeout: 15_000 };

/** Everything the client is built from, decided up front so it can be tested and shown by --debug. */
export interface AwsSettings {
  region?: string | undefined;
  regionSource: string;
  profile?: string | undefined;
  endpoint?: string | undefined;
  roleArn?: string | undefined;
  /** Only when set in the environment; otherwise the SDK's own chain (env, profile, default 3). */
  maxAttempts?: number | undefined;
  retryMode?: 'standard' | 'adaptive' | undefined;
  timeouts: Timeouts;
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

export function awsSettings(config: Config, env: Record<string, string | undefined>, timeouts = DEFAULT_TIMEOUTS): AwsSettings {
  return {
    region: config.region.value,
    regionSource: config.region.source,
    profile: config.profile.value,
    endpoint: parseEndpoint(config.endpointUrl.value, config.endpointUrl.source),
    roleArn: config.roleArn.value,
    maxAttempts: parseMaxAttempts(env.AWS_MAX_ATTEMPTS),
    retryMode: parseRetryMode(env.AWS_RETRY_MODE),
    timeouts,
  };
}

function clientConfig(settings: AwsSettings, region: string | undefined): SecretsManagerClientConfig {
  const cfg: SecretsManagerClientConfig = {
    // The options object makes the client build its NodeHttpHandler with these timeouts.
    requestHandler: { ...settings.timeouts, throwOnRequestTimeout: true },
  };
  if (region !== undefined) cfg.region = region;
  if (settings.profile !== undefined) cfg.profile = settings.profile;
  // The SDK reads AWS_ENDPOINT_URL[_SECRETS_MANAGER] itself; passing it keeps flag > env > file in one place.
  if (settings.endpoint !== undefined) cfg.endpoint = settings.endpoint;
  if (settings.maxAttempts !== undefined) cfg.maxAttempts = settings.maxAttempts;
  if (settings.retryMode !== undefined) cfg.retryMode = settings.retryMode;
  return cfg;
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
export async function buildClient(settings: AwsSettings, log: StoreLog): Promise<SecretsManagerClient> {
  // The SDK warns on every run under Node 20, which this CLI supports; the warning is noise for our users.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let region = settings.region;
  let regionSource = settings.regionSource;
  let client = new SecretsManagerClient(clientConfig(settings, region));
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
      client = new SecretsManagerClient(clientConfig(settings, region));
    }
  }
  if (settings.roleArn !== undefined) {
    client.destroy();
    client = new SecretsManagerClient({ ...clientConfig(settings, region), credentials: await assumeRole(settings, region) });
  }
  log.debug(
    `aws client: region ${region} (${regionSource}), endpoint ${settings.endpoint ?? 'AWS default'}, ` +
      `profile ${settings.profile ?? '(default chain)'}${settings.roleArn ? `, role ${settings.roleArn}` : ''}, ` +
      `retries ${await effective(client.config.retryMode)} mode, ${await effective(client.config.maxAttempts)} attempts, ` +
      `timeouts ${settings.timeouts.connectionTimeout}/${settings.timeouts.requestTimeout} ms`,
  );
  return client;
}

/** A client setting as resolved (the SDK keeps some as values, some as providers). */
async function effective(setting: unknown): Promise<string> {
  return String(typeof setting === 'function' ? await (setting as () => Promise<unknown>)() : setting);
}

async function assumeRole(settings: AwsSettings, region: string): Promise<NonNullable<SecretsManagerClientConfig['credentials']>> {
  const { fromTemporaryCredentials, fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  return fromTemporaryCredentials({
    params: { RoleArn: settings.roleArn as string, RoleSessionName: `scoped-${Date.now()}` },
    // The caller's profile (if any) signs the AssumeRole call; the STS client reads AWS_ENDPOINT_URL_STS itself.
    masterCredentials: fromNodeProviderChain(settings.profile !== undefined ? { profile: settings.profile } : {}),
    clientConfig: { region },
  });
}

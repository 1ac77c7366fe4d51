/** How the Secrets Manager client is configured: region, endpoint, retries, timeouts. No request is sent. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { AttemptHandler } from '../../../src/store/aws/attempt-handler.js';
import { awsSettings, buildClient, DEFAULT_TIMEOUTS } from '../../../src/store/aws/client.js';
import { DeadlineRetryStrategy } from '../../../src/store/aws/retry.js';
import { awsConfig } from '../../helpers/moto.js';

const EP = 'http://127.0.0.1:9';
const noLog = { debug: () => undefined };
const unset = (v: string | undefined) => ({ value: v, source: 'default' });

describe('aws client settings', () => {
  it('takes retries from AWS_MAX_ATTEMPTS / AWS_RETRY_MODE, and leaves them to the SDK otherwise', () => {
    expect(awsSettings(awsConfig(EP), { AWS_MAX_ATTEMPTS: '5', AWS_RETRY_MODE: 'adaptive' })).toMatchObject({ maxAttempts: 5, retryMode: 'adaptive' });
    expect(awsSettings(awsConfig(EP), {})).toMatchObject({ maxAttempts: undefined, retryMode: undefined, timeouts: DEFAULT_TIMEOUTS });
    expect(() => awsSettings(awsConfig(EP), { AWS_MAX_ATTEMPTS: 'many' })).toThrow(UsageError);
    expect(() => awsSettings(awsConfig(EP), { AWS_MAX_ATTEMPTS: '0' })).toThrow(/AWS_MAX_ATTEMPTS must be a whole number/);
    expect(() => awsSettings(awsConfig(EP), { AWS_RETRY_MODE: 'eager' })).toThrow(/AWS_RETRY_MODE must be standard or adaptive/);
  });

  it('refuses an endpoint that is not an http(s) URL, naming where it came from', () => {
    const bad = awsConfig('localhost:4566', { endpointUrl: { value: 'localhost:4566', source: 'env AWS_ENDPOINT_URL' } });
    expect(() => awsSettings(bad, {})).toThrow(/must be http or https.*env AWS_ENDPOINT_URL/);
    const worse = awsConfig('x', { endpointUrl: { value: 'not a url', source: 'flag --endpoint-url' } });
    expect(() => awsSettings(worse, {})).toThrow(/invalid endpoint URL "not a url" \(from flag --endpoint-url\)/);
  });
});

describe('aws region and role ARN, checked before any AWS code runs', () => {
  const withRegion = (value: string, source = 'flag --region') => awsConfig(EP, { region: { value, source } });
  it.each(['us-east-1', 'eu-central-2', 'us-gov-west-1', 'cn-north-1', 'ap-southeast-7', 'il-central-1', 'mx-central-1', 'eusc-de-east-1', 'us-isob-east-1'])(
    'accepts %s',
    (region) => expect(awsSettings(withRegion(region), {}).region).toBe(region),
  );
  it.each(['bad region', 'US-EAST-1', 'us-east', 'useast1', 'us-east-1 ', 'eu-west-1.amazonaws.com'])('refuses %j naming its source (exit 2)', (region) => {
    expect(() => awsSettings(withRegion(region, 'env AWS_REGION'), {})).toThrow(UsageError);
    expect(() => awsSettings(withRegion(region, 'env AWS_REGION'), {})).toThrow(`invalid AWS region ${JSON.stringify(region)} (from env AWS_REGION)`);
  });

  const withRole = (value: string) => awsConfig(EP, { roleArn: { value, source: 'flag --role-arn' } });
  it.each(['arn:aws:iam::123456789012:role/reader', 'arn:aws-us-gov:iam::123456789012:role/ci/deploy-bot', 'arn:aws-cn:iam::123456789012:role/a+b=c,d.e@f-g_h'])(
    'accepts role %s',
    (arn) => expect(awsSettings(withRole(arn), {}).roleArn).toBe(arn),
  );
  it.each(['reader', 'arn:aws:iam::1234:role/reader', 'arn:aws:iam::123456789012:user/alice', 'arn:aws:sts::123456789012:role/x', 'arn:aws:iam::123456789012:role/'])(
    'refuses role %j (exit 2)',
    (arn) => {
      const err = (() => {
        try {
          return awsSettings(withRole(arn), {});
        } catch (e) {
          return e;
        }
      })() as UsageError;
      expect(err).toBeInstanceOf(UsageError);
      expect(err.line()).toBe(`invalid role ARN ${JSON.stringify(arn)} (from flag --role-arn); use arn:aws:iam::<12-digit account>:role/<name>`);
    },
  );
});

describe('aws client', () => {
  let dir: string;
  const saved: Record<string, string | undefined> = {};
  const setEnv = (vars: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(vars)) {
      if (!(k in saved)) saved[k] = process.env[k];
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'scoped-aws-client-'));
    // The SDK's region chain reads process.env and the shared files: point it at nothing.
    setEnv({
      AWS_REGION: undefined,
      AWS_DEFAULT_REGION: undefined,
      AWS_PROFILE: undefined,
      AWS_CONFIG_FILE: join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
    });
  });
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
      delete saved[k];
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses the configured region, endpoint, retries and timeouts', async () => {
    const lines: string[] = [];
    const config = awsConfig(EP, { region: { value: 'eu-west-1', source: 'flag --region' }, timeout: { value: 12, source: 'env SCOPED_TIMEOUT' } });
    const client = await buildClient(awsSettings(config, { AWS_MAX_ATTEMPTS: '7', AWS_RETRY_MODE: 'standard' }), { debug: (l) => lines.push(l) });
    expect(await client.config.region()).toBe('eu-west-1');
    expect(await client.config.maxAttempts()).toBe(7);
    const strategy = await client.config.retryStrategy();
    expect(strategy).toBeInstanceOf(DeadlineRetryStrategy);
    expect((strategy as DeadlineRetryStrategy).mode).toBe('standard');
    const endpoint = await client.config.endpoint?.();
    expect(`${endpoint?.protocol}//${endpoint?.hostname}:${endpoint?.port}`).toBe(EP);
    expect(client.config.requestHandler).toBeInstanceOf(AttemptHandler);
    expect((client.config.requestHandler as AttemptHandler).limits).toEqual({ connectionTimeout: 3_000, requestTimeout: 5_000 });
    expect(lines).toEqual([
      expect.stringMatching(
        /^aws client: region eu-west-1 \(flag --region\), endpoint http:\/\/127\.0\.0\.1:9, .*retries: throttling until the deadline \(at most 7 attempts\), others 7 attempts, no rate limiter; timeouts 3000\/5000 ms per attempt, 12 s in all \(env SCOPED_TIMEOUT\)$/,
      ),
    ]);
  });

  it('without settings: throttling retried until the deadline, other failures 3 attempts (the SDK default), adaptive pacing', async () => {
    setEnv({ AWS_MAX_ATTEMPTS: undefined, AWS_RETRY_MODE: undefined });
    const client = await buildClient(awsSettings(awsConfig(EP), {}), noLog);
    expect(await client.config.maxAttempts()).toBe(3);
    expect(((await client.config.retryStrategy()) as DeadlineRetryStrategy).mode).toBe('adaptive');
  });

  it('finds the region through the SDK chain (the profile in the AWS config file)', async () => {
    writeFileSync(join(dir, 'config'), '[profile team]\nregion = ap-south-1\n');
    const config = awsConfig(EP, { region: unset(undefined), profile: { value: 'team', source: 'flag --profile' } });
    const client = await buildClient(awsSettings(config, {}), noLog);
    expect(await client.config.region()).toBe('ap-south-1');
  });

  it('with no region anywhere: us-east-1 with an endpoint, else a usage error', async () => {
    const client = await buildClient(awsSettings(awsConfig(EP, { region: unset(undefined) }), {}), noLog);
    expect(await client.config.region()).toBe('us-east-1');
    const real = awsConfig(EP, { region: unset(undefined), endpointUrl: unset(undefined) });
    const err = await buildClient(awsSettings(real, {}), noLog).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).line()).toBe('no AWS region is set; pass --region, or set AWS_REGION (or a region in your AWS profile)');
  });
});

/**
 * Retries without AsyncLocalStorage on the common path: a request before any throttle is paced without
 * marking a held wait (the mark turns on Node's promise hooks for the whole process), and a command whose
 * throttling the caller answers another way (BatchGetSecretValue) is marked by a middleware of its own.
 */
import { BatchGetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Deadline } from '../../../src/store/aws/deadline.js';
import { adaptiveLimiter, DeadlineRetryStrategy, limiterMayWait, withoutThrottleRetry, type RetryPolicy } from '../../../src/store/aws/retry.js';

const policy = (o: Partial<RetryPolicy> = {}): RetryPolicy => ({ maxAttempts: 3, capThrottling: false, deadline: new Deadline(60), random: () => 0, ...o });

describe('the limiter before and after a throttle', () => {
  afterEach(() => vi.restoreAllMocks());

  it('the SDK keeps its limiter off until a throttle, in the flag limiterMayWait reads', () => {
    const limiter = adaptiveLimiter();
    expect((limiter as unknown as { enabled?: unknown }).enabled).toBe(false);
    expect(limiterMayWait(limiter)).toBe(false);
    limiter.updateClientSendingRate({});
    expect(limiterMayWait(limiter)).toBe(false);
    limiter.updateClientSendingRate({ errorType: 'THROTTLING' });
    expect(limiterMayWait(limiter)).toBe(true);
  });

  it('a limiter without the flag (an SDK change) is taken as one that may wait', () => {
    expect(limiterMayWait({} as never)).toBe(true);
  });

  it('before a throttle a request is paced without AsyncLocalStorage; after one, its wait is held', async () => {
    const run = vi.spyOn(AsyncLocalStorage.prototype, 'run');
    const limiter = adaptiveLimiter();
    const strategy = new DeadlineRetryStrategy(policy({ limiter }));
    await strategy.acquireInitialRetryToken();
    strategy.recordSuccess();
    await strategy.acquireInitialRetryToken();
    expect(run).not.toHaveBeenCalled();
    limiter.updateClientSendingRate({ errorType: 'THROTTLING' });
    await strategy.acquireInitialRetryToken();
    expect(run).toHaveBeenCalledTimes(1);
  });
});

describe('withoutThrottleRetry', () => {
  let server: Server;
  let requests = 0;
  let answer: { status: number; type: string } = { status: 400, type: 'ThrottlingException' };
  let endpoint = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        requests++;
        res.writeHead(answer.status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': answer.type });
        res.end(JSON.stringify({ __type: answer.type, message: 'answer of the test server' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // capThrottling: throttling stops after maxAttempts too, so the unmarked command ends; random 0: no waits.
  const client = () =>
    new SecretsManagerClient({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      retryStrategy: new DeadlineRetryStrategy(policy({ capThrottling: true })),
    });
  const batch = () => new BatchGetSecretValueCommand({ SecretIdList: ['a', 'b'] });
  const sent = async (c: SecretsManagerClient, command: BatchGetSecretValueCommand): Promise<{ requests: number; error: string }> => {
    requests = 0;
    const error = await c.send(command).then(
      () => 'none',
      (err: unknown) => (err as Error).name,
    );
    return { requests, error };
  };

  it('a marked command that is throttled fails at the first answer; the same command unmarked is retried', async () => {
    answer = { status: 400, type: 'ThrottlingException' };
    const c = client();
    expect(await sent(c, withoutThrottleRetry(batch()))).toEqual({ requests: 1, error: 'ThrottlingException' });
    expect(await sent(c, batch())).toEqual({ requests: 3, error: 'ThrottlingException' });
    // The mark is the command's: the client's next commands are retried as before.
    expect(await sent(c, batch())).toEqual({ requests: 3, error: 'ThrottlingException' });
    c.destroy();
  });

  it('other failures of a marked command are retried as usual', async () => {
    answer = { status: 500, type: 'InternalServiceError' };
    const c = client();
    expect(await sent(c, withoutThrottleRetry(batch()))).toEqual({ requests: 3, error: 'InternalServiceError' });
    c.destroy();
  });
});

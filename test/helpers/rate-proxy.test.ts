/**
 * The rate proxy itself: a token bucket per operation answering Secrets Manager's ThrottlingException (as
 * the SDK reads it), other operations untouched, a request cap, loopback only. No moto needed: the
 * upstream is a loopback stub that answers `{}`.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRateProxy } from './rate-proxy.js';

let upstream: Server;
let url: string;
beforeAll(async () => {
  upstream = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end('{}');
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => upstream.close(() => r())));

const call = (endpoint: string, op: string) =>
  fetch(endpoint, { method: 'POST', headers: { 'x-amz-target': `secretsmanager.${op}`, 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });

describe('rate proxy', () => {
  it('passes a second of requests per operation, then answers ThrottlingException in the JSON shape', async () => {
    // A rate of 2 a second with 10 requests sent at once: the bucket refills far slower than they arrive.
    const proxy = await startRateProxy(url, { ListSecrets: 2 });
    try {
      const answers = await Promise.all(Array.from({ length: 10 }, () => call(proxy.endpoint, 'ListSecrets')));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(3);
      expect(statuses.filter((s) => s === 400).length).toBeGreaterThanOrEqual(7);
      const refused = answers.find((a) => a.status === 400) as Response;
      expect(refused.headers.get('x-amzn-errortype')).toBe('ThrottlingException');
      expect(await refused.json()).toEqual({ __type: 'ThrottlingException', message: 'Rate exceeded' });
      const counts = proxy.counts.get('ListSecrets');
      expect((counts?.passed ?? 0) + (counts?.throttled ?? 0)).toBe(10);
      expect(proxy.throttled()).toBe(counts?.throttled);
      // An operation without a rate is never throttled.
      const free = await Promise.all(Array.from({ length: 10 }, () => call(proxy.endpoint, 'DescribeSecret')));
      expect(free.every((a) => a.status === 200)).toBe(true);
    } finally {
      await proxy.close();
    }
  });

  it('stops answering past its request cap', async () => {
    const proxy = await startRateProxy(url, {}, { maxRequests: 3 });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await call(proxy.endpoint, 'GetSecretValue')).status);
      expect(statuses).toEqual([200, 200, 200, 503, 503]);
    } finally {
      await proxy.close();
    }
  });

  it('closes itself after its lifetime', async () => {
    const proxy = await startRateProxy(url, {}, { lifetimeMs: 50 });
    await new Promise((r) => setTimeout(r, 200));
    await expect(call(proxy.endpoint, 'GetSecretValue')).rejects.toThrow();
  });

  it('refuses an upstream off loopback', async () => {
    await expect(startRateProxy('https://secretsmanager.us-east-1.amazonaws.com', {})).rejects.toThrow(/not on loopback/);
  });
});

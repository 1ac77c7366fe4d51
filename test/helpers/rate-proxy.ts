/**
 * A proxy in front of moto that enforces Secrets Manager's per-operation request rates, scaled down: one
 * token bucket per operation (the X-Amz-Target suffix), holding a second's worth of requests, and over the
 * rate a 400 ThrottlingException in Secrets Manager's JSON shape, as AWS answers. Operations without a rate
 * pass freely. Loopback only, and bounded: it stops answering after `maxRequests` and closes itself after
 * `lifetimeMs`, so a test that goes wrong cannot keep it busy.
 */
import { createServer, type Server } from 'node:http';
import { forward, operation, sendError } from './fault-proxy.js';

/** Secrets Manager's quotas per account and region (ListSecrets, BatchGetSecretValue 100/s; GetSecretValue 10,000/s). */
export const AWS_RATES = { ListSecrets: 100, BatchGetSecretValue: 100, GetSecretValue: 10_000 } as const;
/** The same, scaled down 33x as issue 13 did, so a few dozen jobs on one machine meet the quotas. */
export const SCALED_RATES = { ListSecrets: 3, BatchGetSecretValue: 3, GetSecretValue: 300 } as const;

export interface OpCount {
  passed: number;
  throttled: number;
  /**
   * The SDK's invocation ids (`amz-sdk-invocation-id`, the same on every attempt of one call) of the
   * requests forwarded: how many calls reached upstream, however many attempts each took.
   */
  calls: Set<string>;
}

export interface RateProxy {
  endpoint: string;
  /** Per operation: requests forwarded and requests answered with ThrottlingException. */
  counts: Map<string, OpCount>;
  throttled(): number;
  close(): Promise<void>;
}

/** A token bucket: `rate` tokens a second, at most `rate` held (a one-second burst). */
class Bucket {
  private tokens: number;
  private at = performance.now();
  constructor(private readonly rate: number) {
    this.tokens = rate;
  }
  take(): boolean {
    const now = performance.now();
    this.tokens = Math.min(this.rate, this.tokens + ((now - this.at) / 1000) * this.rate);
    this.at = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export async function startRateProxy(upstreamUrl: string, rates: Record<string, number>, o: { maxRequests?: number; lifetimeMs?: number } = {}): Promise<RateProxy> {
  const upstream = new URL(upstreamUrl);
  if (!LOOPBACK.has(upstream.hostname)) throw new Error(`rate proxy: upstream ${upstreamUrl} is not on loopback`);
  const maxRequests = o.maxRequests ?? 50_000;
  const buckets = new Map(Object.entries(rates).map(([op, rate]) => [op, new Bucket(rate)]));
  const counts = new Map<string, OpCount>();
  let seen = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (++seen > maxRequests) return sendError(req, res, 503, 'ServiceUnavailable', 'rate proxy: request limit reached');
      const op = operation(req, body);
      const count = counts.get(op) ?? { passed: 0, throttled: 0, calls: new Set<string>() };
      counts.set(op, count);
      if (buckets.get(op)?.take() === false) {
        count.throttled += 1;
        return sendError(req, res, 400, 'ThrottlingException', 'Rate exceeded');
      }
      count.passed += 1;
      count.calls.add(String(req.headers['amz-sdk-invocation-id'] ?? `no-id-${seen}`));
      forward(upstream, req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const close = () =>
    new Promise<void>((resolve) => {
      clearTimeout(lifetime);
      server.closeAllConnections();
      server.close(() => resolve());
    });
  const lifetime = setTimeout(() => void close(), o.lifetimeMs ?? 600_000);
  lifetime.unref();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    throttled: () => [...counts.values()].reduce((n, c) => n + c.throttled, 0),
    close,
  };
}

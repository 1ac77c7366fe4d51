/**
 * A pass-through HTTP proxy that records, in the order they arrive, the operation of every request and the
 * SDK call it belongs to (`amz-sdk-invocation-id`, the same on every attempt of one call). For tests that
 * count requests of a long-running process (`run --watch`) over a window: a counter zeroed at some moment
 * may cut a re-check in two, where the order of the calls shows where each re-check begins and ends.
 */
import { createServer, type Server } from 'node:http';
import { forward, operation } from './fault-proxy.js';

export interface SequencedOp {
  op: string;
  /** The SDK call (all its attempts share it), or `no-id-N` when the header is missing. */
  call: string;
}

export interface OpSequenceProxy {
  endpoint: string;
  /** Every request so far, in arrival order. */
  ops: SequencedOp[];
  close(): Promise<void>;
}

/** The calls among `ops`, in order: the retried attempts of one call count once. */
export function callsOf(ops: readonly SequencedOp[]): SequencedOp[] {
  const seen = new Set<string>();
  return ops.filter((o) => !seen.has(o.call) && seen.add(o.call));
}

export async function startOpSequenceProxy(upstreamUrl: string): Promise<OpSequenceProxy> {
  const upstream = new URL(upstreamUrl);
  const ops: SequencedOp[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      ops.push({ op: operation(req, body), call: String(req.headers['amz-sdk-invocation-id'] ?? `no-id-${ops.length}`) });
      forward(upstream, req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    ops,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

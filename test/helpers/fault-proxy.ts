/**
 * A fault-injecting HTTP proxy for tests, in front of moto: throttling errors, 500s, any AWS error body,
 * dropped connections, added latency, non-AWS answers, silence, and answers whose body stalls after the
 * headers or dribbles a byte a second, on chosen operations, a chosen number of times. With every request faulted, no upstream is needed. It counts requests per operation (the
 * X-Amz-Target suffix, or `Action=` for query-protocol services such as STS).
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export type Fault =
  | { kind: 'throttle' }
  | { kind: 'server-error' }
  /** Any error response, e.g. `{ status: 400, type: 'AccessDeniedException' }`. */
  | { kind: 'error'; status: number; type: string; message?: string }
  /** Close the connection without answering (the client sees "socket hang up" / ECONNRESET). */
  | { kind: 'drop' }
  /** Forward after a delay. */
  | { kind: 'latency'; ms: number }
  /** Answer as some other web server would, e.g. `{ status: 404, body: '<html>...' }`. */
  | { kind: 'raw'; status: number; body: string; contentType?: string }
  /** Take the request and never answer (closed only when the client gives up or the proxy closes). */
  | { kind: 'hang' }
  /** Send 200 and JSON headers and the first bytes of a body, then nothing more. */
  | { kind: 'stall-body' }
  /**
   * Send 200 and JSON headers, then a valid (empty) ListSecrets answer after `padding` spaces (default 4096), `chunk` bytes
   * (default 1) every `everyMs` (default 1 s).
   */
  | { kind: 'dribble'; everyMs?: number; chunk?: number; padding?: number };

interface Rule {
  fault: Fault;
  ops: string[] | undefined;
  remaining: number;
}

export interface FaultProxy {
  endpoint: string;
  /** Requests seen per operation, faulted ones included. */
  counts: Map<string, number>;
  total(): number;
  /** Apply `fault` to the next `times` requests (default: all) of these operations (default: any). */
  inject(fault: Fault, o?: { ops?: string[]; times?: number }): void;
  /** Remove every fault and zero the counters. */
  reset(): void;
  close(): Promise<void>;
}

export function operation(req: IncomingMessage, body: Buffer): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop() ?? target;
  const action = new URLSearchParams(body.toString('utf8')).get('Action');
  return action ?? `${req.method} ${req.url}`;
}

/** An AWS error in the request's protocol: JSON for X-Amz-Target services, query-protocol XML (STS) otherwise. */
export function sendError(req: IncomingMessage, res: ServerResponse, status: number, type: string, message: string): void {
  if (req.headers['x-amz-target'] === undefined) {
    res.writeHead(status, { 'content-type': 'text/xml' });
    res.end(`<ErrorResponse><Error><Type>Sender</Type><Code>${type}</Code><Message>${message}</Message></Error><RequestId>r1</RequestId></ErrorResponse>`);
    return;
  }
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': type });
  res.end(JSON.stringify({ __type: type, message }));
}

/** A JSON answer sent a little at a time: spaces, then an empty ListSecrets answer. Stops when the client hangs up. */
function dribble(res: ServerResponse, everyMs: number, chunk: number, padding: number): void {
  const body = `${' '.repeat(padding)}{"SecretList":[]}`;
  res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': String(body.length) });
  let i = 0;
  const timer = setInterval(() => {
    if (i < body.length) {
      res.write(body.slice(i, i + chunk));
      i += chunk;
    } else {
      clearInterval(timer);
      res.end();
    }
  }, everyMs);
  res.on('close', () => clearInterval(timer));
}

export function forward(upstream: URL, req: IncomingMessage, body: Buffer, res: ServerResponse): void {
  const out = request({ hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  out.on('error', () => res.destroy());
  out.end(body);
}

export async function startFaultProxy(upstreamUrl: string): Promise<FaultProxy> {
  const upstream = new URL(upstreamUrl);
  const counts = new Map<string, number>();
  let rules: Rule[] = [];

  const take = (op: string): Fault | undefined => {
    const rule = rules.find((r) => r.remaining > 0 && (r.ops === undefined || r.ops.includes(op)));
    if (!rule) return undefined;
    rule.remaining -= 1;
    return rule.fault;
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const op = operation(req, body);
      counts.set(op, (counts.get(op) ?? 0) + 1);
      const fault = take(op);
      switch (fault?.kind) {
        case undefined:
          return forward(upstream, req, body, res);
        case 'throttle':
          return sendError(req, res, 400, 'ThrottlingException', 'Rate exceeded');
        case 'server-error':
          return sendError(req, res, 500, 'InternalServiceError', 'injected server error');
        case 'error':
          return sendError(req, res, fault.status, fault.type, fault.message ?? 'injected error');
        case 'drop':
          return req.socket.destroy();
        case 'raw':
          res.writeHead(fault.status, { 'content-type': fault.contentType ?? 'text/html' });
          return res.end(fault.body);
        case 'hang':
          return;
        case 'stall-body':
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': '64' });
          return res.write('{"SecretList":');
        case 'dribble':
          return dribble(res, fault.everyMs ?? 1_000, fault.chunk ?? 1, fault.padding ?? 4096);
        case 'latency': {
          const timer = setTimeout(() => forward(upstream, req, body, res), fault.ms);
          res.on('close', () => clearTimeout(timer));
          return;
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };

  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    inject(fault, o = {}) {
      rules.push({ fault, ops: o.ops, remaining: o.times ?? Number.POSITIVE_INFINITY });
    },
    reset() {
      rules = [];
      counts.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

import type { IncomingMessage } from 'node:http';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { HttpHandler, HttpRequest, HttpResponse } from '@smithy/core/protocols';
import type { HttpHandlerOptions, NodeHttpHandlerOptions } from '@smithy/types';
import type { Deadline } from './deadline.js';

/**
 * The SDK's HTTP handler, with one deadline per attempt that covers the whole answer: connecting, the
 * headers and every byte of the body. The SDK's own request timeout ends when the headers arrive, so a
 * server that stalls or dribbles the body would hold a command for ever. The body is read here, in full,
 * and handed on as bytes; the command's deadline aborts the attempt too.
 */

/**
 * A large answer on a slow link may take longer than the attempt's limit: each 64 KiB received earns one
 * more second. A real transfer keeps up with that easily; a body dribbled byte by byte never does.
 */
export const MIN_BODY_RATE = 64 * 1024;

/** Secrets Manager's largest answers (20 values of 64 KiB, base64) are a few MiB; more is not Secrets Manager. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

export interface AttemptLimits {
  /** Milliseconds to connect. */
  connectionTimeout: number;
  /** Milliseconds for one attempt, from sending the request to the last byte of the answer. */
  requestTimeout: number;
}

/** An attempt that ran out of time: the SDK's retry treats `TimeoutError` / `ETIMEDOUT` as transient. */
function attemptTimeout(ms: number): Error {
  return Object.assign(new Error(`no complete answer within ${ms} ms`), { name: 'TimeoutError', code: 'ETIMEDOUT' });
}

/** An answer too big to be Secrets Manager's (not retried: the same server would answer the same). */
export function tooLarge(): Error {
  return Object.assign(new Error(`answer larger than ${MAX_BODY_BYTES} bytes`), { name: 'ResponseTooLarge' });
}

/** Reads a body to the end, or fails as soon as `signal` aborts (destroying the socket) or it is too big. */
function readBody(body: IncomingMessage, signal: AbortSignal, onBytes: (total: number) => void): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (err: Error) => {
      signal.removeEventListener('abort', onAbort);
      body.destroy();
      reject(err);
    };
    const onAbort = () => fail(new Error('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      onBytes(size);
      if (size > MAX_BODY_BYTES) fail(tooLarge());
      else chunks.push(chunk);
    });
    body.once('error', fail);
    body.once('end', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(new Uint8Array(Buffer.concat(chunks)));
    });
  });
}

export class AttemptHandler implements HttpHandler<NodeHttpHandlerOptions> {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  private readonly inner: NodeHttpHandler;

  constructor(
    readonly limits: AttemptLimits,
    private readonly deadline: Deadline,
    options: NodeHttpHandlerOptions = {},
  ) {
    this.inner = new NodeHttpHandler({ ...options, connectionTimeout: limits.connectionTimeout, requestTimeout: limits.requestTimeout });
  }

  async handle(request: HttpRequest, options: HttpHandlerOptions = {}): Promise<{ response: HttpResponse }> {
    if (this.deadline.expired()) throw this.deadline.exceeded('request');
    const ms = this.limits.requestTimeout;
    const attempt = new AbortController();
    let why: 'attempt' | 'deadline' | 'caller' | undefined;
    const abort = (reason: typeof why) => () => {
      why ??= reason;
      attempt.abort();
    };
    // The attempt's limit, plus a second per 64 KiB received; the command's deadline ends it regardless.
    const started = Date.now();
    let received = 0;
    const check = () => {
      const left = started + ms + Math.floor((received / MIN_BODY_RATE) * 1000) - Date.now();
      if (left > 0) timer = setTimeout(check, left);
      else abort('attempt')();
    };
    let timer = setTimeout(check, ms);
    const onDeadline = abort('deadline');
    const onCaller = abort('caller');
    this.deadline.signal.addEventListener('abort', onDeadline, { once: true });
    const caller = options.abortSignal as AbortSignal | undefined;
    caller?.addEventListener('abort', onCaller, { once: true });
    try {
      const { response } = await this.inner.handle(request, { ...options, abortSignal: attempt.signal });
      response.body = await readBody(response.body as IncomingMessage, attempt.signal, (total) => (received = total));
      return { response };
    } catch (err) {
      if (why === 'attempt') throw attemptTimeout(ms);
      // No cause: the SDK would classify the error by its cause and retry it.
      if (why === 'deadline') throw this.deadline.exceeded('request');
      throw err;
    } finally {
      clearTimeout(timer);
      this.deadline.signal.removeEventListener('abort', onDeadline);
      caller?.removeEventListener('abort', onCaller);
    }
  }

  updateHttpClientConfig(key: keyof NodeHttpHandlerOptions, value: NodeHttpHandlerOptions[typeof key]): void {
    this.inner.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): NodeHttpHandlerOptions {
    return this.inner.httpHandlerConfigs();
  }

  destroy(): void {
    this.inner.destroy();
  }
}

/**
 * moto's Secrets Manager server for tests: started on a free loopback port, stopped after. Where moto is
 * missing the suites using it are skipped with a loud warning, except under CI, where that is a failure.
 * Nothing here can reach real AWS: every store and every spawned CLI gets dummy keys and this endpoint.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { AwsStore, createAwsStore } from '../../src/store/aws/aws-store.js';
import { awsSettings, buildClient, retryPolicy, type Timeouts } from '../../src/store/aws/client.js';
import type { SecretStore } from '../../src/store/types.js';

// The SDK reads process.env too: make sure no real profile or credentials leak into any test.
for (const k of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ENDPOINT_URL']) delete process.env[k];
Object.assign(process.env, {
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_REGION: 'us-east-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

import { awsTestEnv } from './aws-env.js';
import { isCI } from './ci.js';

export { awsTestEnv };

let checked: { ok: boolean; why: string } | undefined;
export function motoAvailable(): { ok: boolean; why: string } {
  checked ??= (() => {
    const r = spawnSync('python3', ['-c', 'import moto, flask, werkzeug; print(moto.__version__)'], { encoding: 'utf8' });
    return r.status === 0 ? { ok: true, why: `moto ${r.stdout.trim()}` } : { ok: false, why: (r.stderr || String(r.error)).trim().split('\n').pop() ?? 'python3 failed' };
  })();
  return checked;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface Moto {
  endpoint: string;
  /** Forget every secret (moto's reset API). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** Thrown when the port was taken between freePort() and moto's bind: start again on another. */
export class PortTaken extends Error {}

/**
 * Up when this child says it serves on the port (werkzeug's " * Running on http://127.0.0.1:PORT") and the
 * endpoint answers: an answer alone could come from another server that took the port between freePort()
 * and moto's bind, and two test files would then share one moto and its resets.
 */
async function waitUntilUp(endpoint: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      if (/Address already in use|is in use by another program/.test(log())) throw new PortTaken(log());
      throw new Error(`moto exited with ${child.exitCode}: ${log()}`);
    }
    if (log().includes(`Running on ${endpoint}`)) {
      try {
        const res = await fetch(`${endpoint}/moto-api/`);
        if (res.ok) return;
      } catch {
        // not answering yet
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`moto did not answer within 30 s: ${log()}`);
}

export async function startMoto(): Promise<Moto> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startMotoOnce();
    } catch (err) {
      if (!(err instanceof PortTaken) || attempt === 5) throw err;
    }
  }
}

/** One start on `port` (a free one by default); PortTaken when another server holds it. */
export async function startMotoOnce(port?: number): Promise<Moto> {
  port ??= await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  await waitUntilUp(endpoint, child, () => stderr);
  return {
    endpoint,
    reset: async () => {
      await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 3_000);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

/**
 * A describe block with moto running (beforeAll/afterAll). `moto()` gives the running server inside tests.
 * Without moto: skipped with a warning, or one failing test when CI is set.
 */
export function describeWithMoto(title: string, body: (moto: () => Moto) => void): void {
  const status = motoAvailable();
  if (!status.ok) {
    if (isCI()) {
      describe(title, () => {
        it('needs moto (python3 -m moto.server)', () => {
          throw new Error(`moto is required under CI but unavailable: ${status.why}`);
        });
      });
      return;
    }
    const bar = '!'.repeat(78);
    console.warn(`\n${bar}\n!! SKIPPING "${title}": moto is not installed (${status.why}).\n!! pip install 'moto[server]' to run the AWS tests against a real server.\n${bar}\n`);
    describe.skip(title, () => body(() => undefined as never));
    return;
  }
  describe(title, () => {
    let server: Moto | undefined;
    beforeAll(async () => {
      server = await startMoto();
    });
    afterAll(async () => {
      await server?.stop();
    });
    body(() => {
      if (!server) throw new Error('moto is not running');
      return server;
    });
  });
}

/** The config an AWS store is built from, as if given `--backend aws --endpoint-url <endpoint>`. */
export function awsConfig(endpoint: string, overrides: Partial<Config> = {}): Config {
  const s = <T>(value: T, source = 'test') => ({ value, source });
  return {
    org: s('acme'),
    backend: s('aws' as const),
    prefix: s('scoped/'),
    project: s(undefined),
    domain: s(undefined),
    home: s('/nonexistent'),
    profile: s(undefined),
    region: s('us-east-1'),
    regions: s(undefined, 'default'),
    endpointUrl: s(endpoint, 'flag --endpoint-url'),
    roleArn: s(undefined),
    timeout: s(60, 'default'),
    cache: s(false, 'default'),
    cacheMaxSize: s(16 * 1024 * 1024, 'default'),
    fallback: s(false, 'default'),
    maxAge: s(undefined, 'default'),
    offline: s(false, 'default'),
    files: [],
    ...overrides,
  };
}

/**
 * An AWS store on `endpoint` through the real factory path (client options, retries, timeouts), or with
 * shorter per-attempt timeouts, a shorter command deadline (`timeout`, seconds) or a fixed back-off
 * jitter (`random`) for fault tests.
 */
export async function motoStore(
  endpoint: string,
  o: { env?: Record<string, string>; lines?: string[]; timeouts?: Timeouts; timeout?: number; random?: () => number } = {},
): Promise<SecretStore> {
  const env = { ...awsTestEnv(endpoint), ...o.env };
  const log = { debug: (l: string) => o.lines?.push(l) };
  const config = awsConfig(endpoint, o.timeout !== undefined ? { timeout: { value: o.timeout, source: 'flag --timeout' } } : {});
  if (!o.timeouts && !o.random) return createAwsStore(config, env, log);
  const settings = awsSettings(config, env, o.timeouts);
  // random 0: back-off waits of 0 ms, so retry counts can be tested without waiting for them.
  const policy = { ...retryPolicy(settings), random: o.random };
  const client = await buildClient(settings, log, policy);
  return new AwsStore(client, log, { target: endpoint, region: 'us-east-1', policy });
}

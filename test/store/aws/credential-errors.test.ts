/**
 * Credential problems on the real SDK, without moto: --role-arn failures blame STS, not Secrets Manager; the
 * SDK's own warnings never reach stderr; building a client leaves process.env as it was.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { AccessDeniedError, ExitCode, UnavailableError, type ScopedError } from '../../../src/errors.js';
import { AwsStore } from '../../../src/store/aws/aws-store.js';
import { awsSettings, buildClient, quietLogger } from '../../../src/store/aws/client.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { sandbox } from '../../helpers/io.js';
import { awsConfig, awsTestEnv, freePort } from '../../helpers/moto.js';

const ROLE = 'arn:aws:iam::123456789012:role/scoped-reader';
const NODE_WARNING = 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED';
const noLog = { debug: () => undefined };

let dir: string;
let proxy: FaultProxy;
const saved: Record<string, string | undefined> = {};
/** The SDK reads process.env: change it for one test, put it back after. */
function setEnv(vars: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(vars)) {
    if (!(k in saved)) saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}
beforeAll(async () => {
  proxy = await startFaultProxy('http://127.0.0.1:9');
  dir = mkdtempSync(join(tmpdir(), 'scoped-aws-cred-errors-'));
});
afterAll(async () => {
  await proxy?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  proxy.reset();
  setEnv({ AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') });
});
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
    delete saved[k];
  }
  vi.restoreAllMocks();
});

async function roleFailure(): Promise<ScopedError> {
  const config = awsConfig(proxy.endpoint, { roleArn: { value: ROLE, source: 'flag --role-arn' } });
  const store = new AwsStore(await buildClient(awsSettings(config, {}), noLog), noLog, { target: proxy.endpoint });
  return (await store.list(['scoped/']).catch((e: unknown) => e)) as ScopedError;
}

describe('--role-arn failures name the role and STS', () => {
  it('STS unreachable: exit 6, and no Secrets Manager request', async () => {
    setEnv({ AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${await freePort()}` });
    const err = await roleFailure();
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.line()).toBe(`cannot assume role ${ROLE}: cannot reach STS (ECONNREFUSED); check the network and AWS_ENDPOINT_URL_STS, then try again`);
    expect(proxy.total()).toBe(0);
  });

  it('STS refuses: exit 5 with its reason', async () => {
    setEnv({ AWS_ENDPOINT_URL_STS: proxy.endpoint });
    proxy.inject({ kind: 'error', status: 403, type: 'AccessDenied', message: 'not authorized to perform sts:AssumeRole' });
    const err = await roleFailure();
    expect(err).toBeInstanceOf(AccessDeniedError);
    expect(err.line()).toBe(
      `cannot assume role ${ROLE}: AccessDenied: not authorized to perform sts:AssumeRole; check that your identity may sts:AssumeRole on it, and the role's trust policy`,
    );
    expect(Object.fromEntries(proxy.counts)).toEqual({ AssumeRole: 1 });
  });

  it('no credentials to call STS with: exit 5', async () => {
    setEnv({ AWS_ENDPOINT_URL_STS: proxy.endpoint, AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    const err = await roleFailure();
    expect(err.exitCode).toBe(ExitCode.accessDenied);
    expect(err.line()).toMatch(new RegExp(`^cannot assume role ${ROLE}: no usable AWS credentials to call STS with; check your AWS credentials`));
    expect(proxy.total()).toBe(0);
  });
});

describe('the SDK stays quiet', () => {
  it('--profile nosuch with AWS_ACCESS_KEY_ID set: one line on stderr, no SDK warning', async () => {
    const warn = vi.spyOn(console, 'warn');
    const error = vi.spyOn(console, 'error');
    const emit = vi.spyOn(process, 'emitWarning');
    expect(process.env.AWS_ACCESS_KEY_ID).toBeTruthy();
    const sb = sandbox(awsTestEnv(proxy.endpoint));
    try {
      const r = await sb.run(['--backend', 'aws', '--endpoint-url', proxy.endpoint, '--profile', 'nosuch', 'resolve', '--project', 'billing']);
      expect(r.code).toBe(ExitCode.accessDenied);
      expect(r.stderr).toMatch(/^scoped: no usable AWS credentials; [^\n]*\n$/);
    } finally {
      sb.cleanup();
    }
    expect(warn).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
    expect(emit).not.toHaveBeenCalled();
    expect(proxy.total()).toBe(0);
  });

  it('SDK warnings go to --debug on one line; its request dumps nowhere', () => {
    const lines: string[] = [];
    const logger = quietLogger({ debug: (l) => lines.push(l) });
    logger.warn('@aws-sdk/x WARNING:\n    Multiple   sources\n');
    logger.info({ input: 'dump' });
    logger.debug('dump');
    logger.error('dump');
    expect(lines).toEqual(['aws sdk warning: @aws-sdk/x WARNING: Multiple sources']);
  });

  it(`building a client leaves ${NODE_WARNING} unset (it would reach every \`scoped run\` child)`, async () => {
    setEnv({ [NODE_WARNING]: undefined });
    await buildClient(awsSettings(awsConfig(proxy.endpoint), {}), noLog);
    expect(process.env[NODE_WARNING]).toBeUndefined();
    setEnv({ [NODE_WARNING]: 'false' });
    await buildClient(awsSettings(awsConfig(proxy.endpoint), {}), noLog);
    expect(process.env[NODE_WARNING]).toBe('false');
  });
});

/** Credentials on the real SDK: --role-arn assumes the role through STS (moto's); no credentials is exit 5. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AccessDeniedError, ExitCode } from '../../../src/errors.js';
import { AwsStore } from '../../../src/store/aws/aws-store.js';
import { awsSettings, buildClient } from '../../../src/store/aws/client.js';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.js';
import { awsConfig, describeWithMoto } from '../../helpers/moto.js';

/** Runs `work` with process.env changed (the SDK's credential chain reads process.env), then puts it back. */
async function withProcessEnv<T>(vars: Record<string, string | undefined>, work: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (v: Record<string, string | undefined>) => {
    for (const [k, val] of Object.entries(v)) {
      if (val === undefined) delete process.env[k];
      else process.env[k] = val;
    }
  };
  apply(vars);
  try {
    return await work();
  } finally {
    apply(saved);
  }
}

describeWithMoto('aws credentials', (moto) => {
  let proxy: FaultProxy;
  let dir: string;
  beforeAll(async () => {
    proxy = await startFaultProxy(moto().endpoint);
    dir = mkdtempSync(join(tmpdir(), 'scoped-aws-creds-'));
  });
  afterAll(async () => {
    await proxy?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--role-arn: one STS AssumeRole, then Secrets Manager calls with the temporary credentials', async () => {
    const roleArn = 'arn:aws:iam::123456789012:role/scoped-reader';
    const config = awsConfig(proxy.endpoint, { roleArn: { value: roleArn, source: 'flag --role-arn' } });
    const lines: string[] = [];
    await withProcessEnv({ AWS_ENDPOINT_URL_STS: proxy.endpoint }, async () => {
      const client = await buildClient(awsSettings(config, {}), { debug: (l) => lines.push(l) });
      const store = new AwsStore(client, { debug: () => undefined });
      proxy.reset();
      await store.list(['scoped/']);
      await store.list(['scoped/']);
      const creds = await client.config.credentials();
      expect(creds.accessKeyId).not.toBe('test');
      expect(creds.sessionToken).toBeTruthy();
    });
    expect(Object.fromEntries(proxy.counts)).toEqual({ AssumeRole: 1, ListSecrets: 2 });
    expect(lines[0]).toContain(`role ${roleArn}`);
  });

  it('no credentials anywhere: AccessDeniedError (exit 5) naming what to do, without a request', async () => {
    const config = awsConfig(proxy.endpoint);
    const err = await withProcessEnv(
      {
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_CONFIG_FILE: join(dir, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none'),
        AWS_EC2_METADATA_DISABLED: 'true',
      },
      async () => {
        const store = new AwsStore(await buildClient(awsSettings(config, {}), { debug: () => undefined }), { debug: () => undefined });
        proxy.reset();
        return store.list(['scoped/']).catch((e: unknown) => e);
      },
    );
    expect(err).toBeInstanceOf(AccessDeniedError);
    expect((err as AccessDeniedError).exitCode).toBe(ExitCode.accessDenied);
    expect((err as AccessDeniedError).line()).toBe('no usable AWS credentials; check your AWS credentials (aws sts get-caller-identity), or pass --profile / --role-arn');
    expect(proxy.total()).toBe(0);
  });
});

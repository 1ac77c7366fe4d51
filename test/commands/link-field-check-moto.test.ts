/**
 * `link secret --field F` reads the target once to check F (test/commands/links-moto.test.ts: a missing
 * field or a non-JSON target is exit 3). A caller who may describe the target but not read it is warned,
 * and the link is made unchecked: the role that runs the deployment reads it, not the one linking.
 */
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { sandbox, type Sandbox } from '../helpers/io.js';
import { awsTestEnv, describeWithMoto } from '../helpers/moto.js';

const CANARY = 'canary-link-field-3b9d';

describeWithMoto('link --field, the target not readable by the caller (moto behind a proxy)', (moto) => {
  let proxy: FaultProxy;
  let sb: Sandbox;
  let arn: string;
  beforeAll(async () => {
    await moto().reset();
    const eu = new SecretsManagerClient({ endpoint: moto().endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    arn = (await eu.send(new CreateSecretCommand({ Name: 'rds!db-field-check', SecretString: JSON.stringify({ password: CANARY }) }))).ARN as string;
    proxy = await startFaultProxy(moto().endpoint);
    sb = sandbox({ ...awsTestEnv(proxy.endpoint), SCOPED_BACKEND: 'aws', SCOPED_ORG: 'acme', AWS_MAX_ATTEMPTS: '1' });
  }, 60_000);
  afterAll(async () => {
    sb?.cleanup();
    await proxy?.close();
  });

  it('denied GetSecretValue: one warning, the link made unchecked; a readable target is checked with one read', async () => {
    proxy.inject({ kind: 'error', status: 400, type: 'AccessDeniedException', message: 'not allowed' }, { ops: ['GetSecretValue'] });
    const r = await sb.run(['link', 'secret', 'DB_PASSWORD', '--arn', arn, '--field', 'password']);
    expect([r.code, r.stdout], r.stderr).toEqual([0, '']);
    expect(r.stderr).toContain(
      `warning: cannot read ${arn} to check its field "password" (access denied): linked unchecked; whoever runs the deployment needs GetSecretValue on it`,
    );
    expect(r.stderr).toContain('Linked DB_PASSWORD at org acme');
    proxy.reset();
    const checked = await sb.run(['link', 'secret', 'DB_USER', '--arn', arn, '--field', 'password']);
    expect([checked.code, checked.stdout, checked.stderr]).toEqual([0, '', expect.stringContaining('Linked DB_USER at org acme')]);
    expect(proxy.counts.get('GetSecretValue')).toBe(1);
    expect(`${r.stderr}${checked.stderr}`).not.toContain(CANARY);
  });
});

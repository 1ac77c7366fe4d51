/**
 * `run --watch` re-checks the deployment on Secrets Manager at every interval; `--offline` promises no
 * request: together on the aws backend they are a usage error before anything is read or run.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { sandbox } from '../helpers/io.js';
import { awsTestEnv } from '../helpers/aws-env.js';
import { freePort } from '../helpers/moto.js';

const KEY = Buffer.alloc(32, 4).toString('base64');

describe('run --watch with --offline (aws backend)', () => {
  const sb = sandbox({ SCOPED_LOCAL_KEY: KEY, SCOPED_ORG: 'acme', SCOPED_BACKEND: 'aws' });
  afterAll(() => sb.cleanup());

  it('is exit 2 naming where offline came from; nothing runs', async () => {
    const dead = { ...sb.env, ...awsTestEnv(`http://127.0.0.1:${await freePort()}`) };
    const flag = await sb.run(['run', '-p', 'billing', '-d', 'production', '--watch', '--offline', '--', 'sh', '-c', 'echo ran'], { env: dead });
    expect([flag.code, flag.stdout, flag.stderr]).toEqual([
      2,
      '',
      'scoped: --watch re-checks the deployment on Secrets Manager, and --offline sends no request; leave out --watch, or offline, for this line\n',
    ]);
    const env = await sb.run(['run', '-p', 'billing', '-d', 'production', '--watch', '--', 'sh', '-c', 'echo ran'], { env: { ...dead, SCOPED_OFFLINE: '1' } });
    expect([env.code, env.stdout]).toEqual([2, '']);
    expect(env.stderr).toContain('and offline (from env SCOPED_OFFLINE) sends no request');
  });
});

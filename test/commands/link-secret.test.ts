/**
 * `link secret` through main on the local store: usage errors before anything is read, the target checked
 * when the link is made (a local store reads it from AWS: here without credentials, so it says so), a
 * secret of its own never replaced by a link. Reads through links against AWS are in
 * test/commands/links-moto.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf';
let sb: Sandbox;
// The SDK's credential chain reads the process's environment: none here, whatever other files set.
const CREDENTIAL_VARS = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_CONFIG_FILE',
  'AWS_EC2_METADATA_DISABLED',
];
let saved: Record<string, string | undefined>;
beforeEach(() => {
  saved = Object.fromEntries(CREDENTIAL_VARS.map((k) => [k, process.env[k]]));
  for (const k of CREDENTIAL_VARS) delete process.env[k];
  Object.assign(process.env, { AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_CONFIG_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true' });
  // An endpoint nothing listens on: the target check fails fast, and never reaches AWS.
  sb = sandbox({ AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1' });
});
afterEach(() => {
  sb.cleanup();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('link secret (usage)', () => {
  it.each([
    [['link', 'secret', 'DB'], /--arn/],
    [['link', 'secret', 'DB', '--arn', 'db-password-of-rds'], /--arn "db-password-of-rds" is not a Secrets Manager secret ARN/],
    [['link', 'secret', 'DB', '--arn', ARN, '--field', ''], /--field|empty/],
    [['link', 'secret', 'bad key', '--arn', ARN], /invalid key/],
  ])('%j is exit 2 with one line', async (argv, why) => {
    const r = await sb.run(argv as string[]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(why);
  });

  it('a secret of its own is never replaced by a link (exit 4), before any AWS request', async () => {
    expect((await sb.run(['create', 'secret', 'DB', 'own-VALUE'])).code).toBe(0);
    const r = await sb.run(['link', 'secret', 'DB', '--arn', ARN]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('DB at org default is a secret of its own, not a link');
    expect(r.stderr).toContain('scoped delete secret DB');
    expect(r.stderr).not.toContain('own-VALUE');
  });

  it('the local store says in one line why a target cannot be read (no AWS credentials here: exit 5 naming the ARN)', async () => {
    const r = await sb.run(['link', 'secret', 'DB', '--arn', ARN]);
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`cannot read linked secret ${ARN} from AWS (the local store reads link targets with the AWS settings): no usable AWS credentials`);
    expect((await sb.run(['get', 'secret'])).stdout).not.toContain('DB');
  });
});

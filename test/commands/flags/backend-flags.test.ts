import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../../helpers/io.js';

// A flag given on the command line that the chosen backend cannot honour is a usage error naming the flag
// and the backend, before anything is read or written; the same settings from env or config are ambient.
let sb: Sandbox;
beforeEach(() => {
  sb = sandbox({ SCOPED_ORG: 'acme' });
});
afterEach(() => sb.cleanup());

describe('aws-only flags on the local backend', () => {
  it.each([
    ['--region', 'eu-west-1'],
    ['--profile', 'ci'],
    ['--endpoint-url', 'http://127.0.0.1:1'],
    ['--role-arn', 'arn:aws:iam::123456789012:role/x'],
  ])('global %s on a store command: exit 2 before the store is touched', async (flag, value) => {
    expect((await sb.run(['create', 'secret', 'K'], { stdin: 'v' })).code).toBe(0);
    const r = await sb.run([flag, value, 'delete', 'secret', 'K', '--yes']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(`scoped: ${flag} applies to the aws backend only, and the backend is local (the default); drop it, or add --backend aws\n`);
    expect((await sb.run(['get', 'secret', 'K', '--reveal'])).stdout).toBe('v');
  });

  it('several are named in one line, with where the backend came from', async () => {
    const r = await sb.run(['--region', 'eu-west-1', '--role-arn', 'arn:aws:iam::1:role/x', 'resolve'], { env: { SCOPED_BACKEND: 'local' } });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe('scoped: --region, --role-arn apply to the aws backend only, and the backend is local (from env SCOPED_BACKEND); drop them, or add --backend aws\n');
  });

  it('from the environment they are ambient and pass (a CI job exporting AWS_REGION)', async () => {
    const env = { AWS_REGION: 'eu-west-1', AWS_PROFILE: 'ci', AWS_ENDPOINT_URL: 'http://127.0.0.1:1', SCOPED_ROLE_ARN: 'arn:aws:iam::1:role/x' };
    expect((await sb.run(['create', 'secret', 'K'], { stdin: 'v', env })).code).toBe(0);
    expect((await sb.run(['get', 'secret', 'K', '--reveal'], { env })).stdout).toBe('v');
  });

  it('commands that use them without a store accept them: policy --region, config show', async () => {
    const p = await sb.run(['--region', 'eu-west-1', 'policy']);
    expect(p.code).toBe(0);
    expect(p.stdout).toMatch(/arn:aws:secretsmanager:eu-west-1:/);
    const c = await sb.run(['--region', 'eu-west-1', '-o', 'json', 'config', 'show']);
    expect(JSON.parse(c.stdout)).toMatchObject({ settings: { region: { value: 'eu-west-1', source: 'flag --region' } } });
  });

  it.each([
    [['--kms-key-id', 'alias/team'], '--kms-key-id applies'],
    [['--replica-region', 'eu-west-1'], '--replica-region applies'],
    [['--kms-key-id', 'alias/team', '--replica-region', 'eu-west-1'], '--kms-key-id, --replica-region apply'],
  ])('create %j on local: exit 2, no prompt, nothing stored', async (flags, line) => {
    const r = await sb.run(['create', 'secret', 'K', ...flags], { tty: true });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain(`scoped: ${line} to the aws backend only`);
    expect(r.io.prompts).toEqual([]);
    expect((await sb.run(['get', 'secret', 'K'])).code).toBe(3);
  });
});

describe('aws-only values checked on any backend', () => {
  it.each([
    [['--replica-region', 'mars-1'], 'scoped: --replica-region "mars-1" is not an AWS region code; e.g. --replica-region eu-west-1\n'],
    [['--replica-region', 'EU-WEST-1'], 'scoped: --replica-region "EU-WEST-1" is not an AWS region code; e.g. --replica-region eu-west-1\n'],
    [['--replica-region', 'eu-west-1', '--replica-region', 'eu-west-1'], 'scoped: --replica-region "eu-west-1" given twice; give each value once\n'],
    [['--kms-key-id', 'alias/a b'], 'scoped: --kms-key-id "alias/a b" contains whitespace; give a key id, alias/NAME or key ARN\n'],
    [['--kms-key-id', ''], 'scoped: --kms-key-id was given an empty value; give it a value, or omit --kms-key-id\n'],
  ])('--backend aws create %j: exit 2 before any AWS call', async (flags, line) => {
    // No credentials and an endpoint that refuses: getting this far would be exit 5 or 6, not 2.
    const env = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1', AWS_MAX_ATTEMPTS: '1' };
    const r = await sb.run(['--backend', 'aws', 'create', 'secret', 'K', ...flags], { stdin: 'v', env });
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: line });
  });
});

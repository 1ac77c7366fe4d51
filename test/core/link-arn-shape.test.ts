/**
 * `--arn`: the shape is checked first, so a secret's name or another service's ARN is told so (not the
 * length rule); the length rule stays for a well-shaped ARN that is too long. Through main too: exit 2,
 * stdout empty, nothing read or written (the usage check comes before any store is opened).
 */
import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_ARN, parseSecretArn } from '../../src/core/link.js';
import { UsageError } from '../../src/errors.js';
import { sandbox, type Sandbox } from '../helpers/io.js';

const SHAPE = 'expected arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME';
const PREFIX = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:';

function refusal(text: string): UsageError {
  try {
    parseSecretArn(text);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error(`accepted ${text}`);
}

describe('the ARN shape comes first', () => {
  it.each(['nope', 'db', 'rds!db-0a1b2c3d', 'platform/shared/api-key', 'ARN:aws:secretsmanager:eu-west-1:123456789012:secret:x', 'x'.repeat(MAX_ARN + 10)])(
    '%#: a name is not an ARN at all: said so, with how to find the ARN',
    (text) => {
      const err = refusal(text);
      expect(err.message).toContain('is not a Secrets Manager secret ARN: it is not an ARN at all');
      expect(err.message).toContain(SHAPE);
      expect(err.message).not.toMatch(/characters, and this one is/);
      expect(err.message.split('\n')).toHaveLength(1);
      expect(err.hint).toContain('aws secretsmanager describe-secret --secret-id NAME --query ARN --output text');
    },
  );

  it.each([
    ['arn:aws:ssm:eu-west-1:123456789012:parameter/x', 'ssm'],
    ['arn:aws:kms:eu-west-1:123456789012:key/1234abcd', 'kms'],
    ['arn:aws', ''],
  ])('%j is an ARN of another service: names it', (text, service) => {
    const err = refusal(text);
    expect(err.message).toContain(`it is an ARN of service ${JSON.stringify(service)}, not secretsmanager (${SHAPE})`);
  });

  it.each(['arn:aws:secretsmanager:eu-west-1:123456789012:secret:', 'arn:aws:secretsmanager:eu-west-1:123456789012:parameter:x', 'arn:aws:secretsmanager:eu-west-1'])(
    '%j is a Secrets Manager ARN of the wrong shape',
    (text) => {
      expect(refusal(text).message).toContain(`: ${SHAPE}`);
    },
  );

  it('a well-shaped ARN too long: the length rule, with its length', () => {
    const text = PREFIX + 'x'.repeat(MAX_ARN);
    const err = refusal(text);
    expect(err.message).toContain(`an ARN is 20 to ${MAX_ARN} characters, and this one is ${text.length}`);
    // A long text is quoted cut short, with its length, so the line stays one readable line.
    expect(err.message.length).toBeLessThan(300);
    expect(err.message).toContain(`(${text.length} characters)`);
  });

  it('a well-shaped ARN at the limit is accepted', () => {
    const text = PREFIX + 'x'.repeat(MAX_ARN - PREFIX.length);
    expect(text).toHaveLength(MAX_ARN);
    expect(parseSecretArn(text).resource).toHaveLength(MAX_ARN - PREFIX.length);
  });

  it('the part checks are unchanged for well-shaped ARNs', () => {
    expect(refusal('arn:aws:secretsmanager:moon-1:123456789012:secret:x').message).toContain('"moon-1" is not a region');
    expect(refusal('arn:aws:secretsmanager:eu-west-1:1234:secret:x').message).toContain('the account is 12 digits');
    expect(refusal(`${PREFIX}a b`).message).toContain('space or control');
  });
});

describe('link secret --arn nope, through main', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = sandbox();
  });
  afterEach(() => sb.cleanup());

  it('exit 2, the shape named first, stdout empty, no store made', async () => {
    const r = await sb.run(['link', 'secret', 'K', '--arn', 'nope', '-p', 'web']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toContain('--arn "nope" is not a Secrets Manager secret ARN: it is not an ARN at all');
    expect(r.stderr).not.toMatch(/20 to 2048/);
    expect(existsSync(sb.home)).toBe(false);
  });
});

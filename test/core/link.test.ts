import { describe, expect, it } from 'vitest';
import { decodeLink, describeTarget, encodeLink, linkedValue, looksLikeLinkRecord, parseSecretArn, checkField } from '../../src/core/link.js';
import { NotFoundError, StoreCorruptError, UsageError } from '../../src/errors.js';

const RDS = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0a1b2c3d-4e5f-AbCdEf';

describe('parseSecretArn', () => {
  it.each([
    [RDS, { partition: 'aws', region: 'eu-west-1', account: '123456789012', resource: 'rds!db-0a1b2c3d-4e5f-AbCdEf' }],
    [
      'arn:aws:secretsmanager:us-east-1:210987654321:secret:platform/shared/api-key-Xy12Zq',
      { region: 'us-east-1', account: '210987654321', resource: 'platform/shared/api-key-Xy12Zq' },
    ],
    ['arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:x', { partition: 'aws-cn', region: 'cn-north-1' }],
    ['arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:a/b', { partition: 'aws-us-gov' }],
    // a partial ARN (no suffix) is Secrets Manager's too
    ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:db', { resource: 'db' }],
  ])('parses %s', (arn, parts) => {
    expect(parseSecretArn(arn)).toMatchObject({ arn, ...parts });
  });

  it.each([
    ['db-password-and-more-words', 'expected arn:PARTITION'],
    ['db', 'it is not an ARN at all'],
    ['arn:aws:ssm:eu-west-1:123456789012:parameter/x', 'expected arn:PARTITION'],
    ['arn:aws:secretsmanager:eu-west-1:1234:secret:x', 'the account is 12 digits'],
    ['arn:aws:secretsmanager:moon-1:123456789012:secret:x', 'is not a region'],
    ['arn:aws:secretsmanager:cn-north-1:123456789012:secret:x', 'in partition aws-cn, not aws'],
    ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:a b', 'space or control'],
    ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:a\nb', 'space or control'],
    ['arn:aws:secretsmanager:eu-west-1:123456789012:secret:', 'expected arn:PARTITION'],
    [`arn:aws:secretsmanager:eu-west-1:123456789012:secret:${'x'.repeat(2048)}`, '20 to 2048'],
  ])('refuses %j (exit 2, naming why)', (arn, why) => {
    const err = (() => {
      try {
        parseSecretArn(arn);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toContain(why);
    expect((err as UsageError).message.split('\n')).toHaveLength(1);
  });
});

describe('link records', () => {
  it('round-trips with and without a field', () => {
    for (const t of [{ arn: RDS }, { arn: RDS, field: 'password' }]) {
      expect(decodeLink('n', encodeLink(t))).toEqual(t);
      expect(looksLikeLinkRecord(encodeLink(t))).toBe(true);
    }
  });

  it('a record that does not parse is a damaged link (exit 1) naming the secret, not a value', () => {
    for (const bad of [
      'hunter2',
      '{}',
      '{"format":"scoped-link/1"}',
      '{"format":"scoped-link/1","arn":"nope"}',
      '{"format":"scoped-link/1","arn":' + JSON.stringify(RDS) + ',"field":3}',
      new Uint8Array([1]),
    ]) {
      expect(() => decodeLink('scoped/acme/_/_/DB', bad)).toThrow(StoreCorruptError);
      expect(() => decodeLink('scoped/acme/_/_/DB', bad)).toThrow(/scoped\/acme\/_\/_\/DB is tagged as a link/);
    }
  });

  it('plain values do not look like records', () => {
    expect(looksLikeLinkRecord('{"arn":"x"}')).toBe(false);
    expect(looksLikeLinkRecord(new Uint8Array([123]))).toBe(false);
  });

  it('describes a target with its field', () => {
    expect(describeTarget({ arn: RDS })).toBe(RDS);
    expect(describeTarget({ arn: RDS, field: 'password' })).toBe(`${RDS} field "password"`);
  });

  it('checks field names', () => {
    expect(checkField('password')).toBe('password');
    expect(checkField('with space')).toBe('with space');
    expect(() => checkField('')).toThrow(UsageError);
    expect(() => checkField('a\tb')).toThrow(UsageError);
    expect(() => checkField('x'.repeat(257))).toThrow(UsageError);
  });
});

describe('linkedValue (one top-level field of a JSON secret)', () => {
  const rds = JSON.stringify({ username: 'admin', password: 's3cr3t-VALUE', port: 5432, ssl: true, opts: { a: 1 }, gone: null });

  it('the whole value without a field, as it is (text or bytes)', () => {
    expect(linkedValue({ arn: RDS }, rds)).toBe(rds);
    const bytes = new Uint8Array([0, 1, 2]);
    expect(linkedValue({ arn: RDS }, bytes)).toBe(bytes);
  });

  it('a string field as it is; others as JSON text', () => {
    expect(linkedValue({ arn: RDS, field: 'password' }, rds)).toBe('s3cr3t-VALUE');
    expect(linkedValue({ arn: RDS, field: 'port' }, rds)).toBe('5432');
    expect(linkedValue({ arn: RDS, field: 'ssl' }, rds)).toBe('true');
    expect(linkedValue({ arn: RDS, field: 'opts' }, rds)).toBe('{"a":1}');
  });

  it.each([
    ['missing', rds, 'has no field "missing"'],
    ['gone', rds, 'has no field "gone"'],
    ['toString', rds, 'has no field "toString"'],
    ['password', 's3cr3t-VALUE not json', 'is not a JSON object'],
    ['password', '["s3cr3t-VALUE"]', 'is not a JSON object'],
    ['password', new Uint8Array([123, 125]), 'is not a JSON object'],
  ])('field %j of a value without it: exit 3, one line naming the ARN and field, never the value', (field, value, why) => {
    let err: unknown;
    try {
      linkedValue({ arn: RDS, field }, value);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotFoundError);
    const line = (err as NotFoundError).line();
    expect(line).toContain(RDS);
    expect(line).toContain(why);
    expect(line).not.toContain('s3cr3t');
    expect(line.split('\n')).toHaveLength(1);
  });
});

import { describe, expect, it } from 'vitest';
import { parseSecretName, scopePrefix, scopeTags, secretName } from '../../src/core/naming.js';
import { isValidKey, isValidName, makeScope, validateKey } from '../../src/core/scope.js';
import { UsageError } from '../../src/errors.js';

describe('names', () => {
  it.each([
    ['acme', true],
    ['a', true],
    ['billing-2', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['-billing', false],
    ['billing-', false],
    ['Billing', false],
    ['bill_ing', false],
    ['_', false],
    ['', false],
  ])('org/project/domain %j valid=%s', (name, ok) => expect(isValidName(name)).toBe(ok));

  it.each([
    ['DB_PASSWORD', true],
    ['_x', true],
    ['db_url', true],
    ['A'.repeat(128), true],
    ['A'.repeat(129), false],
    ['1ABC', false],
    ['API-KEY', false],
    ['A.B', false],
    ['', false],
  ])('key %j valid=%s', (key, ok) => expect(isValidKey(key)).toBe(ok));

  it('names the rule in the error', () => {
    expect(() => validateKey('API-KEY')).toThrow(UsageError);
    expect(() => validateKey('API-KEY')).toThrow(/environment variable/);
    expect(() => makeScope('acme', 'Billing')).toThrow(/invalid project name "Billing"/);
  });
});

describe('mapping to Secrets Manager names', () => {
  const cases: [string | undefined, string | undefined, string][] = [
    [undefined, undefined, 'scoped/acme/_/_/DB_PASSWORD'],
    [undefined, 'production', 'scoped/acme/_/production/DB_PASSWORD'],
    ['billing', undefined, 'scoped/acme/billing/_/DB_PASSWORD'],
    ['billing', 'production', 'scoped/acme/billing/production/DB_PASSWORD'],
  ];
  it.each(cases)('project=%s domain=%s -> %s and back', (project, domain, name) => {
    const scope = { org: 'acme', project, domain };
    expect(secretName('scoped/', scope, 'DB_PASSWORD')).toBe(name);
    expect(parseSecretName('scoped/', name)).toEqual({ scope, key: 'DB_PASSWORD' });
  });

  it.each([
    'other/acme/_/_/KEY',
    'scoped/acme/_/_/bad-key',
    'scoped/acme/Billing/_/KEY',
    'scoped/acme/_/_/_/KEY',
    'scoped/acme/_/KEY',
    'scoped/Acme/_/_/KEY',
    'scoped/acme/_/_/',
    'scoped/acme/-x/_/KEY',
    'rds!cluster-abc',
  ])('%s is not ours', (name) => expect(parseSecretName('scoped/', name)).toBeUndefined());

  it('works with another prefix and with none', () => {
    expect(parseSecretName('team/x/', 'team/x/acme/_/_/K')?.key).toBe('K');
    expect(parseSecretName('', 'acme/p/_/K')).toEqual({ scope: { org: 'acme', project: 'p', domain: undefined }, key: 'K' });
  });

  it('scope prefixes end with a slash so billing never matches billing2', () => {
    expect(scopePrefix('scoped/', { org: 'acme', project: 'billing' })).toBe('scoped/acme/billing/_/');
  });

  it('tags only what is set', () => {
    expect(scopeTags({ org: 'acme', domain: 'prod' }, 'K')).toEqual({ 'scoped:org': 'acme', 'scoped:domain': 'prod', 'scoped:key': 'K' });
  });
});

import { describe, expect, it } from 'vitest';
import { formatDeploymentAddress, parseDeploymentAddress, parseScopeAddress } from '../../src/core/address.js';
import { UsageError } from '../../src/errors.js';

const usage = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as UsageError).line();
  }
  throw new Error('no usage error');
};

describe('parseDeploymentAddress', () => {
  it.each([
    ['billing/production', { project: 'billing', domain: 'production' }],
    ['a/b', { project: 'a', domain: 'b' }],
    ['x-1/prod-eu-2', { project: 'x-1', domain: 'prod-eu-2' }],
  ])('%s', (text, want) => {
    expect(parseDeploymentAddress(text)).toEqual(want);
    expect(formatDeploymentAddress(want)).toBe(text);
  });

  it.each([
    ['billing', /invalid deployment "billing"$/],
    ['billing/', /domain "" must be/],
    ['/production', /project "" must be/],
    ['a/b/c', /invalid deployment "a\/b\/c"$/],
    ['_/production', /needs a project, not _/],
    ['billing/_', /needs a domain, not _/],
    ['Billing/prod', /project "Billing" must be lower-case/],
    ['billing/prod uction', /domain "prod uction"/],
    ['', /invalid deployment ""/],
  ])('refuses %j with one line naming the form', (text, message) => {
    let err: unknown;
    try {
      parseDeploymentAddress(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).message).toMatch(message);
    expect((err as UsageError).line()).toContain('PROJECT/DOMAIN, e.g. billing/production');
    expect((err as UsageError).line()).not.toContain('\n');
  });
});

describe('scope addresses', () => {
  it.each([
    ['billing/production', { project: 'billing', domain: 'production' }],
    ['billing/_', { project: 'billing', domain: undefined }],
    ['_/staging', { project: undefined, domain: 'staging' }],
    ['_/_', { project: undefined, domain: undefined }],
  ])('%s', (text, address) => {
    expect(parseScopeAddress(text)).toEqual(address);
  });
  it.each([['billing'], ['a/b/c'], [''], ['/prod'], ['Billing/_'], ['_/prod_'], ['a b/_']])('refuses %j, naming the forms', (text) => {
    expect(usage(() => parseScopeAddress(text))).toMatch(/invalid scope address .*PROJECT\/DOMAIN, PROJECT\/_, _\/DOMAIN or _\/_/);
  });
});

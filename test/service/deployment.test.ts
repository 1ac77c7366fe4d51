import { describe, expect, it } from 'vitest';
import { AccessDeniedError } from '../../src/errors.js';
import { deploymentsPrefixes, readCandidates } from '../../src/service/deployment.js';
import type { SecretStore } from '../../src/store/types.js';

describe('deploymentsPrefixes', () => {
  const d = (project: string, domain: string) => ({ org: 'acme', project, domain });
  it('lists shared scopes once', () => {
    expect(deploymentsPrefixes('scoped/', [d('billing', 'staging'), d('billing', 'production')]).sort()).toEqual(
      [
        'scoped/acme/billing/staging/',
        'scoped/acme/billing/production/',
        'scoped/acme/billing/_/',
        'scoped/acme/_/staging/',
        'scoped/acme/_/production/',
        'scoped/acme/_/_/',
      ].sort(),
    );
    // three unrelated deployments: 3 + 3 + 3 + 1, still one ListSecrets filter (10 values)
    expect(deploymentsPrefixes('scoped/', [d('a', 'x'), d('b', 'y'), d('c', 'z')])).toHaveLength(10);
    // one project in four domains: 4 + 1 + 4 + 1
    expect(
      deploymentsPrefixes(
        'scoped/',
        ['dev', 'qa', 'staging', 'production'].map((x) => d('billing', x)),
      ),
    ).toHaveLength(10);
  });
});

describe('readCandidates', () => {
  it('reads each name once and names a failed secret by key and scope, keeping its error class', async () => {
    const calls: string[][] = [];
    const store = {
      getValues: async (names: readonly string[]) => {
        calls.push([...names]);
        return {
          values: new Map([['n/A', { name: 'n/A', value: 'secret-a', versionId: 'v', stages: [] }]]),
          errors: new Map([['n/B', new AccessDeniedError('access denied to n/B')]]),
        };
      },
    } as unknown as SecretStore;
    const a = { scope: { org: 'acme' }, key: 'A', name: 'n/A' };
    const b = { scope: { org: 'acme', project: 'p' }, key: 'B', name: 'n/B' };
    const err: unknown = await readCandidates(store, [a, b, a]).catch((e: unknown) => e);
    expect(calls).toEqual([['n/A', 'n/B']]);
    expect(err).toBeInstanceOf(AccessDeniedError);
    expect((err as Error).message).toBe('cannot read B at org acme, project p (access denied to n/B)');
    expect(String(err)).not.toContain('secret-a');
  });
});

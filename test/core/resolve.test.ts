import { describe, expect, it } from 'vitest';
import { resolveDeployment, type Candidate } from '../../src/core/resolve.js';
import { scopeKind, type Scope } from '../../src/core/scope.js';
import { PRECEDENCE_TABLE } from '../helpers/precedence-table.js';

const deployment: Scope = { org: 'acme', project: 'billing', domain: 'production' };
const scopes: Record<string, Scope> = {
  'project-domain': { org: 'acme', project: 'billing', domain: 'production' },
  project: { org: 'acme', project: 'billing' },
  domain: { org: 'acme', domain: 'production' },
  org: { org: 'acme' },
};

// The one precedence table (test/helpers/precedence-table.ts).
const TABLE = PRECEDENCE_TABLE;

describe('precedence: project-domain > project > domain > org', () => {
  it.each(TABLE)('pd=%s p=%s d=%s o=%s -> %s', (pd, p, d, o, expected) => {
    const present = (['project-domain', 'project', 'domain', 'org'] as const).filter((_, i) => [pd, p, d, o][i]);
    const candidates: Candidate[] = present.map((kind) => ({ scope: scopes[kind] as Scope, key: 'KEY', name: kind }));
    // Feed them in reverse so the result cannot depend on input order.
    const result = resolveDeployment(deployment, [...candidates].reverse());
    if (expected === null) {
      expect(result).toEqual([]);
      return;
    }
    expect(result).toHaveLength(1);
    const [r] = result;
    expect(scopeKind(r!.winner.scope)).toBe(expected);
    expect(r!.shadowed.map((s) => s.name)).toEqual(present.filter((k) => k !== expected));
  });

  it('ignores other projects, domains and orgs', () => {
    const result = resolveDeployment(deployment, [
      { scope: { org: 'acme', project: 'other' }, key: 'K', name: 'a' },
      { scope: { org: 'acme', domain: 'staging' }, key: 'K', name: 'b' },
      { scope: { org: 'acme', project: 'billing', domain: 'staging' }, key: 'K', name: 'c' },
      { scope: { org: 'other' }, key: 'K', name: 'd' },
    ]);
    expect(result).toEqual([]);
  });

  it('a deployment without a domain sees project and org scopes only', () => {
    const result = resolveDeployment({ org: 'acme', project: 'billing' }, [
      { scope: scopes.domain as Scope, key: 'K', name: 'domain' },
      { scope: scopes.org as Scope, key: 'K', name: 'org' },
      { scope: scopes['project-domain'] as Scope, key: 'K', name: 'pd' },
    ]);
    expect(result.map((r) => r.winner.name)).toEqual(['org']);
  });

  it('resolves each key independently and sorts by key', () => {
    const result = resolveDeployment(deployment, [
      { scope: scopes.org as Scope, key: 'B', name: 'b-org' },
      { scope: scopes.project as Scope, key: 'A', name: 'a-project' },
      { scope: scopes.domain as Scope, key: 'B', name: 'b-domain' },
    ]);
    expect(result.map((r) => [r.key, r.winner.name])).toEqual([
      ['A', 'a-project'],
      ['B', 'b-domain'],
    ]);
  });

  it('keys are case-sensitive', () => {
    const result = resolveDeployment(deployment, [
      { scope: scopes.org as Scope, key: 'db_url', name: 'lower' },
      { scope: scopes.project as Scope, key: 'DB_URL', name: 'upper' },
    ]);
    expect(result.map((r) => r.winner.name)).toEqual(['upper', 'lower']);
  });
});

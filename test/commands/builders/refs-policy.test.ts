/** The refs and policy option builders: flags in, options or one usage error out. */
import { describe, expect, it } from 'vitest';
import { refsCommand } from '../../../src/commands/refs.js';
import type { OutputFormat } from '../../../src/cli/context.js';
import { policyCommand } from '../../../src/commands/policy.js';

describe('builders', () => {
  const refs = (o: Parameters<typeof refsCommand.build>[1], output?: OutputFormat) => refsCommand.build([], o, { output });
  it("each format's flags are refused with the others", () => {
    expect(() => refs({ format: 'ecs', store: 'x' })).toThrow(/--store applies to --format external-secret, not ecs/);
    expect(() => refs({ format: 'json', target: 'x' })).toThrow(/--target applies to --format external-secret or secret-provider-class, not json/);
    expect(() => refs({ format: 'secret-provider-class', refresh: '1h' })).toThrow(/--refresh applies to --format external-secret/);
  });
  it('external-secret needs --store; names and namespaces are Kubernetes names', () => {
    expect(() => refs({ format: 'external-secret' })).toThrow(/needs the SecretStore .*--store NAME/);
    expect(() => refs({ format: 'external-secret', store: 'Bad_Name' })).toThrow(/--store "Bad_Name": not a Kubernetes name/);
    expect(() => refs({ format: 'secret-provider-class', namespace: 'a.b' })).toThrow(/--namespace "a.b"/);
    expect(refs({ format: 'external-secret', store: 'aws', storeKind: 'ClusterSecretStore' })).toMatchObject({ store: 'aws', storeKind: 'ClusterSecretStore' });
  });
  it('flyte refuses --pinned and --expand; -o table refused, -o json|yaml the syntax', () => {
    expect(() => refs({ format: 'flyte', pinned: 'p.json' })).toThrow(/--format flyte cannot carry --pinned/);
    expect(() => refs({ format: 'flyte', expand: ['DB'] })).toThrow(/--format flyte cannot carry --expand/);
    expect(() => refs({}, 'table')).toThrow(/-o table does not apply to refs/);
    expect(refs({ format: 'ecs' }, 'yaml').syntax).toBe('yaml');
  });
  it('--only, --expand, --exclude as export takes them (a key given to two of them refused)', () => {
    expect(refs({ only: ['A=B'], expand: ['J=P'], exclude: ['X'] })).toMatchObject({ only: [{ key: 'A', env: 'B' }], expand: [{ key: 'J', prefix: 'P' }], exclude: ['X'] });
    expect(() => refs({ expand: ['A'], exclude: ['A'] })).toThrow(/A is given to both --expand and --exclude/);
  });
  it('policy: --pinned/--only/--exclude need --runtime; --runtime takes neither --access write nor --account', () => {
    const g = { region: undefined, output: undefined };
    expect(() => policyCommand.build([], { pinned: 'p.json' }, g)).toThrow(/--pinned applies to policy --runtime/);
    expect(() => policyCommand.build([], { runtime: true, access: 'write' }, g)).toThrow(/--runtime is a read policy/);
    expect(() => policyCommand.build([], { runtime: true, account: '123456789012' }, g)).toThrow(/--account does not apply to --runtime/);
    expect(policyCommand.build([], { runtime: true, only: ['A'] }, g).runtime).toMatchObject({ only: [{ key: 'A', env: 'A' }], expand: [], exclude: [] });
  });
});

/** refs' formats, the runtime policy and the builders, pure: tables of references in, documents out. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import type { Ref } from '../../src/refs/refs.js';
import { checkRefresh, defaultTarget, ecsSecrets, externalSecret, flyteSecrets, gjsonPath, jmesPath, refsJson, secretProviderClass } from '../../src/refs/formats.js';
import { runtimePolicy } from '../../src/refs/runtime-policy.js';
import { buildRefsOptions, type RefsFlags } from '../../src/commands/refs.js';
import { buildPolicyOptions } from '../../src/commands/policy.js';
import { UsageError } from '../../src/errors.js';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:scoped/acme/billing/production/DB-AbCdEf';
const ORG_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:scoped/acme/_/_/TOKEN-XyZ012';
const base: Ref = { name: 'DB', key: 'DB', scope: { org: 'acme', project: 'billing', domain: 'production' }, secretName: 'scoped/acme/billing/production/DB', arn: ARN };
const token: Ref = { name: 'TOKEN', key: 'TOKEN', scope: { org: 'acme' }, secretName: 'scoped/acme/_/_/TOKEN', arn: ORG_ARN };
const field = (f: string, name: string, versionId?: string): Ref => ({ ...base, name, field: f, versionId });

describe('ecs', () => {
  it('the ARN alone, ARN:field::, ARN:::version, ARN:field::version', () => {
    expect(ecsSecrets([base, field('host', 'DB_HOST'), { ...token, versionId: 'v1' }, field('user', 'DB_USER', 'v2')]).map((s) => s.valueFrom)).toEqual([
      ARN,
      `${ARN}:host::`,
      `${ORG_ARN}:::v1`,
      `${ARN}:user::v2`,
    ]);
  });
  it('a field holding ":" is refused, naming the key and field', () => {
    expect(() => ecsSecrets([field('a:b', 'DB_A_B')])).toThrow(/--expand DB: field "a:b" holds a ":"/);
  });
});

describe('external-secret', () => {
  it('ESO v1 schema accepts it; property is a gjson path, version uuid/<id>', () => {
    const doc = externalSecret([base, field('dotted.name', 'DB_DOTTED_NAME', 'v9')], { store: 'aws', storeKind: 'ClusterSecretStore', target: 'billing', namespace: 'apps', refresh: '15m' });
    new ExternalSecret(doc as never).validate();
    expect(doc).toMatchObject({
      metadata: { name: 'billing', namespace: 'apps' },
      spec: {
        refreshInterval: '15m',
        secretStoreRef: { name: 'aws', kind: 'ClusterSecretStore' },
        data: [
          { secretKey: 'DB', remoteRef: { key: ARN } },
          { secretKey: 'DB_DOTTED_NAME', remoteRef: { key: ARN, property: 'dotted\\.name', version: 'uuid/v9' } },
        ],
      },
    });
  });
  it('gjson specials escaped; JMESPath identifiers bare, others quoted', () => {
    expect(gjsonPath('a.b*c?d|e#f@g\\h')).toBe('a\\.b\\*c\\?d\\|e\\#f\\@g\\\\h');
    expect([jmesPath('host'), jmesPath('_x9'), jmesPath('9x'), jmesPath('we ird'), jmesPath('q"uote')]).toEqual(['host', '_x9', '"9x"', '"we ird"', '"q\\"uote"']);
  });
});

describe('secret-provider-class', () => {
  it('one object per secret: whole values by variable name, an expanded one by KEY with a jmesPath per field; secretObjects sync every variable', () => {
    const { doc, objects } = secretProviderClass([field('host', 'DB_HOST', 'v1'), field('user', 'DB_USER', 'v1'), { ...token, name: 'API' }], { target: 'scoped-billing-production' });
    expect(objects).toEqual([
      { objectName: ARN, objectType: 'secretsmanager', objectAlias: 'DB', objectVersion: 'v1', jmesPath: [{ path: 'host', objectAlias: 'DB_HOST' }, { path: 'user', objectAlias: 'DB_USER' }] },
      { objectName: ORG_ARN, objectType: 'secretsmanager', objectAlias: 'API' },
    ]);
    expect((doc.spec as { parameters: unknown }).parameters).toEqual({ region: 'eu-west-1', objects: '' });
    expect((doc.spec as { secretObjects: unknown }).secretObjects).toEqual([
      { secretName: 'scoped-billing-production', type: 'Opaque', data: ['DB_HOST', 'DB_USER', 'API'].map((n) => ({ objectName: n, key: n })) },
    ]);
  });
  it('an expanded KEY that is also another variable\'s name would be two files: refused', () => {
    expect(() => secretProviderClass([field('host', 'DB_HOST'), { ...token, name: 'DB' }], { target: 't' })).toThrow(/two mounted files would be named DB/);
  });
});

describe('flyte and json', () => {
  it('group is the ARN through :secret:, key the rest', () => {
    expect(flyteSecrets([base])).toEqual([{ name: 'DB', group: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:', key: 'scoped/acme/billing/production/DB-AbCdEf' }]);
  });
  it('json: NAME -> key, arn, name, versionId, field, scope, from', () => {
    expect(refsJson([field('host', 'DB_HOST', 'v1')])).toEqual({
      DB_HOST: { key: 'DB', arn: ARN, name: base.secretName, versionId: 'v1', field: 'host', scope: 'project-domain', from: { org: 'acme', project: 'billing', domain: 'production' } },
    });
  });
  it('default target and --refresh durations', () => {
    expect([defaultTarget(base.scope), defaultTarget({ org: 'acme', domain: 'dev' }), defaultTarget({ org: 'acme' })]).toEqual(['scoped-billing-production', 'scoped-dev', 'scoped']);
    expect(['1h', '15m', '1h30m', '0', '90s'].map(checkRefresh)).toHaveLength(5);
    for (const bad of ['1 h', 'hourly', '-1h', '']) expect(() => checkRefresh(bad)).toThrow(UsageError);
  });
});

describe('runtime policy', () => {
  const kms = (kmsKeyId: string, arn = ARN): Ref => ({ ...base, arn, kmsKeyId });
  it('GetSecretValue on exactly the ARNs (once each, sorted); no kms statement without a customer key', () => {
    expect(runtimePolicy([base, field('host', 'DB_HOST'), token])).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'ScopedRuntimeRead', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: [ARN, ORG_ARN].sort() }],
    });
  });
  it('kms:Decrypt through Secrets Manager: a key ARN as is, a key id made an ARN in the secret\'s region and account, aliases by condition', () => {
    const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/k-1';
    const p = runtimePolicy([kms(keyArn), kms('mrk-1234', ORG_ARN), kms('alias/app'), kms('arn:aws:kms:eu-west-1:123456789012:alias/other')]);
    const via = { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' };
    expect(p.Statement.slice(1)).toEqual([
      { Sid: 'ScopedRuntimeDecrypt', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: ['arn:aws:kms:eu-west-1:123456789012:key/k-1', 'arn:aws:kms:eu-west-1:123456789012:key/mrk-1234'], Condition: { StringEquals: via } },
      {
        Sid: 'ScopedRuntimeDecrypt2',
        Effect: 'Allow',
        Action: ['kms:Decrypt'],
        Resource: 'arn:aws:kms:eu-west-1:123456789012:key/*',
        Condition: { StringEquals: via, 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': ['alias/app', 'alias/other'] } },
      },
    ]);
    expect(JSON.stringify(p)).not.toMatch(/ListSecrets|BatchGetSecretValue|DescribeSecret/);
  });
  it('China: the partition and the .com.cn endpoint', () => {
    const cn = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:scoped/acme/_/_/X-abcdef';
    expect(runtimePolicy([kms('k-2', cn)]).Statement[1]).toMatchObject({ Resource: ['arn:aws-cn:kms:cn-north-1:123456789012:key/k-2'], Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.cn-north-1.amazonaws.com.cn' } } });
  });
});

describe('builders', () => {
  const refs = (o: Partial<RefsFlags>, output?: string) => buildRefsOptions({ format: 'json', ...o } as RefsFlags, output);
  it('each format\'s flags are refused with the others', () => {
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
    expect(() => buildPolicyOptions({ pinned: 'p.json' }, g)).toThrow(/--pinned applies to policy --runtime/);
    expect(() => buildPolicyOptions({ runtime: true, access: 'write' }, g)).toThrow(/--runtime is a read policy/);
    expect(() => buildPolicyOptions({ runtime: true, account: '123456789012' }, g)).toThrow(/--account does not apply to --runtime/);
    expect(buildPolicyOptions({ runtime: true, only: ['A'] }, g).runtime).toMatchObject({ only: [{ key: 'A', env: 'A' }], expand: [], exclude: [] });
  });
});

describe('layers', () => {
  it('src/refs/ imports nothing from the command line (cli/, commands/): plain inputs, plain results', () => {
    const dir = join(import.meta.dirname, '..', '..', 'src', 'refs');
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const imports = [...readFileSync(join(dir, f), 'utf8').matchAll(/from '([^']+)'|import\('([^']+)'\)/g)].map((m) => m[1] ?? m[2]);
      expect([f, imports.filter((i) => /\/(cli|commands)\//.test(i ?? ''))]).toEqual([f, []]);
    }
  });
});

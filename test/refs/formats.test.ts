/** refs' formats, pure: a table of references in, a document out. */
import { describe, expect, it } from 'vitest';
import { ExternalSecret } from '@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret';
import type { Ref } from '../../src/refs/refs.js';
import { checkRefresh, defaultTarget, ecsSecrets, externalSecret, flyteSecrets, gjsonPath, jmesPath, refsJson, secretProviderClass } from '../../src/refs/formats.js';
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
    const doc = externalSecret([base, field('dotted.name', 'DB_DOTTED_NAME', 'v9')], {
      store: 'aws',
      storeKind: 'ClusterSecretStore',
      target: 'billing',
      namespace: 'apps',
      refresh: '15m',
    });
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
    const { doc, objects } = secretProviderClass([field('host', 'DB_HOST', 'v1'), field('user', 'DB_USER', 'v1'), { ...token, name: 'API' }], {
      target: 'scoped-billing-production',
    });
    expect(objects).toEqual([
      {
        objectName: ARN,
        objectType: 'secretsmanager',
        objectAlias: 'DB',
        objectVersion: 'v1',
        jmesPath: [
          { path: 'host', objectAlias: 'DB_HOST' },
          { path: 'user', objectAlias: 'DB_USER' },
        ],
      },
      { objectName: ORG_ARN, objectType: 'secretsmanager', objectAlias: 'API' },
    ]);
    expect((doc.spec as { parameters: unknown }).parameters).toEqual({ region: 'eu-west-1', objects: '' });
    expect((doc.spec as { secretObjects: unknown }).secretObjects).toEqual([
      { secretName: 'scoped-billing-production', type: 'Opaque', data: ['DB_HOST', 'DB_USER', 'API'].map((n) => ({ objectName: n, key: n })) },
    ]);
  });
  it("an expanded KEY that is also another variable's name would be two files: refused", () => {
    expect(() => secretProviderClass([field('host', 'DB_HOST'), { ...token, name: 'DB' }], { target: 't' })).toThrow(/two mounted files would be named DB/);
  });
});

describe('flyte and json', () => {
  it('group is the ARN through :secret:, key the rest', () => {
    expect(flyteSecrets([base])).toEqual([{ name: 'DB', group: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:', key: 'scoped/acme/billing/production/DB-AbCdEf' }]);
  });
  it('json: NAME -> key, arn, name, versionId, field, scope, from', () => {
    expect(refsJson([field('host', 'DB_HOST', 'v1')])).toEqual({
      DB_HOST: {
        key: 'DB',
        arn: ARN,
        name: base.secretName,
        versionId: 'v1',
        field: 'host',
        scope: 'project-domain',
        from: { org: 'acme', project: 'billing', domain: 'production' },
      },
    });
  });
  it('default target and --refresh durations', () => {
    expect([defaultTarget(base.scope), defaultTarget({ org: 'acme', domain: 'dev' }), defaultTarget({ org: 'acme' })]).toEqual([
      'scoped-billing-production',
      'scoped-dev',
      'scoped',
    ]);
    expect(['1h', '15m', '1h30m', '0', '90s'].map(checkRefresh)).toHaveLength(5);
    for (const bad of ['1 h', 'hourly', '-1h', '']) expect(() => checkRefresh(bad)).toThrow(UsageError);
  });
});

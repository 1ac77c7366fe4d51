/**
 * Links and generated values on the local store: the link marked by its shard entry's tags (never by its
 * value), a target on AWS read with the AWS settings (moto here, the region taken from the ARN), and values
 * drawn from node:crypto under GetRandomPassword's rules.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scopeTags, secretName } from '../../../src/core/naming.js';
import { DIGITS, passwordAlphabet, passwordRules, PUNCTUATION } from '../../../src/core/password.js';
import { UsageError } from '../../../src/errors.js';
import { createStore } from '../../../src/store/create-store.js';
import { LocalStore } from '../../../src/store/local/local-store.js';
import { createLink, isLink, linkOf } from '../../../src/store/links.js';
import type { SecretStore } from '../../../src/store/types.js';
import { awsConfig, awsTestEnv, describeWithMoto } from '../../helpers/moto.js';

const ORG = { org: 'acme' };
const NAME = (key: string) => secretName('scoped/', ORG, key);
let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'scoped-links-local-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('links on the local store (no AWS needed)', () => {
  const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf';

  it('the entry tags mark the link; its record is read by linkOf; a plain value like a record stays a value', async () => {
    const store = new LocalStore({ home });
    await createLink(store, { name: NAME('DB'), tags: scopeTags(ORG, 'DB'), target: { arn: ARN, field: 'password' } });
    await store.create({ name: NAME('LOOKS'), value: JSON.stringify({ format: 'scoped-link/1', arn: ARN }), tags: scopeTags(ORG, 'LOOKS') });
    expect(await linkOf(store, NAME('DB'))).toEqual({ arn: ARN, field: 'password' });
    expect(await linkOf(store, NAME('LOOKS'))).toBeUndefined();
    expect(await isLink(store, NAME('LOOKS'))).toBe(false);
    expect((await store.getValue(NAME('DB'))).link).toEqual({ arn: ARN, field: 'password' });
  });

  it('without AWS settings the target cannot be read, and the error says why in one line', async () => {
    const store = new LocalStore({ home });
    await expect(store.readArn(ARN)).rejects.toThrow(UsageError);
    await expect(store.readArn(ARN)).rejects.toThrow(/the local store cannot read arn:.*reads a link's target from AWS/);
  });
});

describe('generated values on the local store (node:crypto)', () => {
  let store: LocalStore;
  beforeEach(() => {
    store = new LocalStore({ home });
  });

  it('length, alphabet and exclusions', async () => {
    for (const rules of [passwordRules({}), passwordRules({ length: '1' }), passwordRules({ length: '300', noPunctuation: true, excludeChars: 'abc012' })]) {
      const v = await store.randomPassword(rules);
      expect([...v]).toHaveLength(rules.length);
      const alphabet = new Set(passwordAlphabet(rules));
      for (const c of v) expect(alphabet.has(c)).toBe(true);
    }
    const v = await store.randomPassword(passwordRules({ length: '500', noPunctuation: true, excludeChars: 'abc012' }));
    for (const c of 'abc012' + PUNCTUATION) expect(v).not.toContain(c);
  });

  it('--require-each-type: at the shortest length every type is there, every time', async () => {
    const rules = passwordRules({ length: '4', requireEachType: true });
    for (let i = 0; i < 300; i++) {
      const v = await store.randomPassword(rules);
      expect([...v].some((c) => DIGITS.includes(c)) && [...v].some((c) => PUNCTUATION.includes(c))).toBe(true);
    }
  });

  it('every allowed character occurs: 4096 characters of 94 (a miss has probability < 94 * (93/94)^4096 < 1e-15)', async () => {
    const rules = passwordRules({ length: '4096' });
    const v = await store.randomPassword(rules);
    expect(new Set(v).size).toBe(94);
    // and with exclusions: 4096 of 59, each missed with probability < 59 * (58/59)^4096 < 1e-28
    const narrow = passwordRules({ length: '4096', noPunctuation: true, excludeChars: 'lI1O0' });
    expect(new Set(await store.randomPassword(narrow)).size).toBe(passwordAlphabet(narrow).length);
  });
});

describeWithMoto('a local-store link to a secret on AWS (moto)', (moto) => {
  let store: SecretStore;
  let arn: string;
  beforeEach(async () => {
    await moto().reset();
    const r = spawnSync(
      '/usr/bin/aws',
      [
        'secretsmanager',
        'create-secret',
        '--name',
        'rds!db-local',
        '--secret-string',
        JSON.stringify({ username: 'u', password: 'local-LINKED-pw' }),
        '--endpoint-url',
        moto().endpoint,
        '--region',
        'ap-south-1',
        '--output',
        'json',
      ],
      {
        encoding: 'utf8',
        env: { ...awsTestEnv(moto().endpoint), PATH: process.env.PATH ?? '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', HOME: home },
      },
    );
    expect(r.status, r.stderr).toBe(0);
    arn = (JSON.parse(r.stdout) as { ARN: string }).ARN;
    // The local backend with no AWS region configured: the ARN's region is used.
    const config = awsConfig(moto().endpoint, {
      backend: { value: 'local', source: 'test' },
      home: { value: home, source: 'test' },
      region: { value: undefined, source: 'default' },
    });
    const env = { ...awsTestEnv(moto().endpoint) } as Record<string, string | undefined>;
    delete env.AWS_REGION;
    store = await createStore(config, env, { debug: () => undefined });
  });

  it('reads the target through the link, by field, with the AWS settings', async () => {
    await createLink(store, { name: NAME('DB'), tags: scopeTags(ORG, 'DB'), target: { arn, field: 'password' } });
    expect((await store.getValue(NAME('DB'))).value).toBe('local-LINKED-pw');
    const batch = await store.getValues([NAME('DB')]);
    expect(batch.values.get(NAME('DB'))).toMatchObject({ value: 'local-LINKED-pw', link: { arn, field: 'password' } });
    expect((await store.describeArn(arn)).arn).toBe(arn);
  });
});

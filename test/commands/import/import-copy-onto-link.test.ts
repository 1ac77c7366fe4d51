/**
 * `import` and `copy secret` onto a key that is a link at the target, through main on the local store (no AWS:
 * the link's target cannot be read here). scoped never writes through a link, so the plan finds the link
 * before any write: under --on-conflict fail or update the whole batch is refused (exit 2, as `update`/`set`
 * on a link), the dry run refusing exactly as the real run does; under skip the link is kept and skipped.
 * With a readable target, on both backends: import-copy-onto-link-moto.test.ts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scopeTags, secretName } from '../../../src/core/naming.js';
import { makeScope } from '../../../src/core/scope.js';
import { createLink } from '../../../src/store/links.js';
import { LocalStore } from '../../../src/store/local/local-store.js';
import { sandbox, type Sandbox } from '../../helpers/io.js';

const CANARY = 'lnk-canary-4411';
const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf';
const TO = ['-p', 'billing', '-d', 'production'];
const WHERE = 'org acme, project billing, domain production';
let sb: Sandbox;

beforeEach(async () => {
  // Nothing here may reach AWS: an endpoint nothing listens on, no credentials.
  sb = sandbox({ SCOPED_ORG: 'acme', AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:9', AWS_MAX_ATTEMPTS: '1', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' });
  expect((await sb.run(['create', 'secret', 'KEEP', ...TO], { stdin: `${CANARY}-keep` })).code).toBe(0);
  const scope = makeScope('acme', 'billing', 'production');
  await createLink(new LocalStore({ home: sb.home }), {
    name: secretName('scoped/', scope, 'DB_PASSWORD'),
    tags: scopeTags(scope, 'DB_PASSWORD'),
    target: { arn: ARN, field: 'password' },
  });
  writeFileSync(join(sb.dir, 'lk.env'), `AAA_NEW=${CANARY}-a\nDB_PASSWORD=${CANARY}-pw\nZZZ_NEW=${CANARY}-z\n`);
});
afterEach(() => sb.cleanup());

const keysAt = async (...flags: string[]) => (JSON.parse((await sb.run(['get', 'secret', ...flags, '-o', 'json'])).stdout) as { key: string }[]).map((e) => e.key);
const isStillLink = async () => {
  const r = await sb.run(['get', 'secret', 'DB_PASSWORD', ...TO, '-o', 'json']);
  expect(r.code, r.stderr).toBe(0);
  expect(JSON.parse(r.stdout)).toMatchObject({ link: { arn: ARN, field: 'password' } });
};
const LINE =
  `scoped: DB_PASSWORD at ${WHERE} is a link, and scoped never writes through a link; nothing written; ` +
  'leave it out, keep it with --on-conflict skip (which skips every key that differs), ' +
  'retarget it with: scoped link secret DB_PASSWORD --project billing --domain production --arn ARN, ' +
  'or unlink it with: scoped delete secret DB_PASSWORD --project billing --domain production (its target is left alone)\n';

describe('import onto a link (local store)', () => {
  it.each([['update'], ['fail']])('--on-conflict %s: the dry run and the real run both refuse the whole batch (exit 2, one line), nothing written', async (mode) => {
    for (const dry of [['--dry-run'], []]) {
      const r = await sb.run(['import', 'lk.env', ...TO, '--on-conflict', mode, ...dry]);
      expect(r, `${mode} ${dry.join(' ')}`).toMatchObject({ code: 2, stdout: '', stderr: LINE });
    }
    expect(await keysAt(...TO)).toEqual(['DB_PASSWORD', 'KEEP']);
    await isStillLink();
  });

  it('--on-conflict skip: the link is kept and skipped (its target need not be readable), the rest written; the dry run says the same', async () => {
    const dry = await sb.run(['import', 'lk.env', ...TO, '--on-conflict', 'skip', '--dry-run', '--debug']);
    expect(dry).toMatchObject({ code: 0, stdout: 'AAA_NEW\tcreate\nDB_PASSWORD\tskip\nZZZ_NEW\tcreate\n' });
    // Why the link's value is unknown goes to --debug; it changes nothing (a link is never written).
    expect(dry.stderr).toContain(`DB_PASSWORD at ${WHERE} could not be read to compare (`);
    expect(dry.stderr).not.toContain(CANARY);
    const r = await sb.run(['import', 'lk.env', ...TO, '--on-conflict', 'skip']);
    expect(r).toMatchObject({ code: 0, stdout: 'AAA_NEW\tcreate\nDB_PASSWORD\tskip\nZZZ_NEW\tcreate\n' });
    expect(r.stderr).toContain('2 created, 0 updated, 0 unchanged, 1 skipped');
    expect(await keysAt(...TO)).toEqual(['AAA_NEW', 'DB_PASSWORD', 'KEEP', 'ZZZ_NEW']);
    await isStillLink();
  });

  it('two links, with a key that differs too: the links are named first (the conflict hint would lead to them), -o json keeps stdout empty', async () => {
    const scope = makeScope('acme', 'billing', 'production');
    await createLink(new LocalStore({ home: sb.home }), { name: secretName('scoped/', scope, 'API_KEY'), tags: scopeTags(scope, 'API_KEY'), target: { arn: ARN } });
    writeFileSync(join(sb.dir, 'two.env'), `API_KEY=${CANARY}-k\nDB_PASSWORD=${CANARY}-pw\nKEEP=${CANARY}-other\n`);
    const r = await sb.run(['import', 'two.env', ...TO, '-o', 'json']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(new RegExp(`^scoped: API_KEY, DB_PASSWORD at ${WHERE} are links, and scoped never writes through a link; nothing written; leave them out, `));
    expect(r.stderr).toContain('retarget each with: scoped link secret KEY --project billing --domain production --arn ARN');
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).not.toContain(CANARY);
  });
});

describe('copy secret onto a link (local store)', () => {
  beforeEach(async () => {
    for (const key of ['AAA_NEW', 'DB_PASSWORD']) expect((await sb.run(['create', 'secret', key, '-p', 'billing'], { stdin: `${CANARY}-${key}` })).code).toBe(0);
  });

  it('--on-conflict update: dry run and real run refuse alike (exit 2), nothing written', async () => {
    for (const dry of [['--dry-run'], []]) {
      const r = await sb.run(['copy', 'secret', 'AAA_NEW', 'DB_PASSWORD', '-p', 'billing', '--to', 'billing/production', '--on-conflict', 'update', ...dry]);
      expect(r).toMatchObject({ code: 2, stdout: '', stderr: LINE });
    }
    expect(await keysAt(...TO)).toEqual(['DB_PASSWORD', 'KEEP']);
    await isStillLink();
  });

  it('--all --on-conflict skip: the link is skipped, the rest copied', async () => {
    const r = await sb.run(['copy', 'secret', '--all', '-p', 'billing', '--to', 'billing/production', '--on-conflict', 'skip']);
    expect(r).toMatchObject({ code: 0, stdout: 'AAA_NEW\tcreate\nDB_PASSWORD\tskip\n' });
    await isStillLink();
    expect((await sb.run(['get', 'secret', 'AAA_NEW', ...TO, '--reveal'])).stdout).toBe(`${CANARY}-AAA_NEW`);
  });
});

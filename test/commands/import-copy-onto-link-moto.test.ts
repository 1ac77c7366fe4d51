/**
 * `import` and `copy secret` onto a key that is a link, with a readable target (moto; made by the AWS CLI),
 * on both backends: the AWS store on moto, and the local store reading the target from moto. Before the
 * fix the dry run planned `update` (exit 0) and the real run wrote the other keys, then failed on the link
 * (exit 2, "run the same command again", which failed the same way every time). Now the plan finds the
 * link before any write: the dry run and the real run refuse alike (exit 2, one line, stdout empty) and
 * nothing is written; `--on-conflict skip` skips the link; a value equal to the target's is `unchanged`.
 * The target is never written.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';
import { awsTestEnv, describeWithMoto } from '../helpers/moto.js';

const AWS_CLI = '/usr/bin/aws';
const TARGET_VALUE = 'target-VALUE-93';
const CANARY = 'lnkm-canary-63';
const TO = ['-p', 'billing', '-d', 'production'];
const WHERE = 'org acme, project billing, domain production';
const REFUSAL =
  `scoped: DB_PASSWORD at ${WHERE} is a link, and scoped never writes through a link; nothing written; ` +
  'leave it out, keep it with --on-conflict skip (which skips every key that differs), ' +
  'retarget it with: scoped link secret DB_PASSWORD --project billing --domain production --arn ARN, ' +
  'or unlink it with: scoped delete secret DB_PASSWORD --project billing --domain production (its target is left alone)\n';

describeWithMoto('import and copy onto a link (moto target)', (moto) => {
  let arn: string;
  const aws = (dir: string, ...args: string[]): Record<string, unknown> => {
    const r = spawnSync(AWS_CLI, ['secretsmanager', ...args, '--endpoint-url', moto().endpoint, '--region', 'us-east-1', '--output', 'json'], {
      encoding: 'utf8',
      env: { ...awsTestEnv(moto().endpoint), PATH: process.env.PATH ?? '', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', HOME: dir },
    });
    if (r.status !== 0) throw new Error(`aws ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim() === '' ? {} : (JSON.parse(r.stdout) as Record<string, unknown>);
  };
  /** The target's versions (ids and stages: moto answers dates as of the listing) and value: what any write to it would change. */
  const target = (dir: string) => [
    (aws(dir, 'list-secret-version-ids', '--secret-id', arn, '--include-deprecated').Versions as Record<string, unknown>[]).map((v) => [v.VersionId, v.VersionStages]),
    aws(dir, 'get-secret-value', '--secret-id', arn).SecretString,
  ];

  beforeAll(async () => {
    await moto().reset();
  });

  describe.each([['aws'], ['local']])('on the %s backend', (backend) => {
    let sb: Sandbox;
    let before: unknown;
    const run = async (argv: string[]) => {
      const r = await sb.run(argv);
      expect(`${r.stdout}${r.stderr}`).not.toContain(TARGET_VALUE);
      expect(r.stderr).not.toContain(CANARY);
      return r;
    };
    const ok = async (argv: string[], stdin?: string) => {
      const r = await sb.run(argv, stdin !== undefined ? { stdin } : {});
      expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
      return r.stdout;
    };
    const keysAt = async () => (JSON.parse(await ok(['get', 'secret', ...TO, '-o', 'json'])) as { key: string }[]).map((e) => e.key).sort();
    const stillLink = async () => expect(JSON.parse(await ok(['get', 'secret', 'DB_PASSWORD', ...TO, '-o', 'json']))).toMatchObject({ link: { arn } });

    beforeAll(async () => {
      // Each backend its own org on the one moto server, so the AWS rows never see the other's secrets.
      sb = sandbox({ ...awsTestEnv(moto().endpoint), SCOPED_BACKEND: backend, SCOPED_ORG: 'acme', SCOPED_PREFIX: `t-${backend}/`, AWS_MAX_ATTEMPTS: '2' });
      arn = aws(sb.dir, 'create-secret', '--name', `other-team/${backend}/db-password`, '--secret-string', TARGET_VALUE).ARN as string;
      await ok(['link', 'secret', 'DB_PASSWORD', ...TO, '--arn', arn]);
      await ok(['create', 'secret', 'DB_PASSWORD', '-p', 'billing'], `${CANARY}-pw`);
      await ok(['create', 'secret', 'AAA_NEW', '-p', 'billing'], `${CANARY}-a`);
      writeFileSync(join(sb.dir, 'lk3.env'), `AAA_NEW=${CANARY}-a\nDB_PASSWORD=${CANARY}-pw\nZZZ_NEW=${CANARY}-z\n`);
      writeFileSync(join(sb.dir, 'same.env'), `DB_PASSWORD=${TARGET_VALUE}\n`);
      before = target(sb.dir);
    }, 60_000);
    afterAll(() => {
      if (sb !== undefined) expect(target(sb.dir)).toEqual(before);
      sb?.cleanup();
    });

    it('import --on-conflict update and fail: dry run and real run refuse alike (exit 2, one line, stdout empty), nothing written; again the same', async () => {
      for (const mode of ['update', 'fail']) {
        for (const argv of [['--dry-run'], [], []]) {
          const r = await run(['import', 'lk3.env', ...TO, '--on-conflict', mode, ...argv]);
          expect(r, `${mode} ${argv.join(' ')}`).toMatchObject({ code: 2, stdout: '', stderr: REFUSAL });
        }
      }
      expect(await keysAt()).toEqual(['DB_PASSWORD']);
      await stillLink();
    });

    it('copy secret --on-conflict update: refused alike by the dry run and the real run, nothing written', async () => {
      for (const argv of [['--dry-run'], []]) {
        const r = await run(['copy', 'secret', 'AAA_NEW', 'DB_PASSWORD', '-p', 'billing', '--to', 'billing/production', '--on-conflict', 'update', ...argv]);
        expect(r).toMatchObject({ code: 2, stdout: '', stderr: REFUSAL });
      }
      expect(await keysAt()).toEqual(['DB_PASSWORD']);
    });

    it("a value equal to the target's is unchanged under every --on-conflict (a re-run of an export is a no-op)", async () => {
      for (const mode of ['fail', 'update', 'skip']) {
        const r = await run(['import', 'same.env', ...TO, '--on-conflict', mode]);
        expect(r, mode).toMatchObject({ code: 0, stdout: 'DB_PASSWORD\tunchanged\n' });
      }
      await stillLink();
    });

    it('--on-conflict skip: the link is skipped and the rest written; the dry run says so first; the link still reads its target', async () => {
      const dry = await run(['import', 'lk3.env', ...TO, '--on-conflict', 'skip', '--dry-run']);
      expect(dry).toMatchObject({ code: 0, stdout: 'AAA_NEW\tcreate\nDB_PASSWORD\tskip\nZZZ_NEW\tcreate\n' });
      expect(await keysAt()).toEqual(['DB_PASSWORD']);
      const r = await run(['import', 'lk3.env', ...TO, '--on-conflict', 'skip']);
      expect(r).toMatchObject({ code: 0, stdout: 'AAA_NEW\tcreate\nDB_PASSWORD\tskip\nZZZ_NEW\tcreate\n' });
      expect(await keysAt()).toEqual(['AAA_NEW', 'DB_PASSWORD', 'ZZZ_NEW']);
      await stillLink();
      expect(await ok(['get', 'secret', 'DB_PASSWORD', ...TO, '--reveal'])).toBe(TARGET_VALUE);
      // The rest now unchanged: the copy under skip is a no-op beside the link.
      const copy = await run(['copy', 'secret', 'AAA_NEW', 'DB_PASSWORD', '-p', 'billing', '--to', 'billing/production', '--on-conflict', 'skip']);
      expect(copy).toMatchObject({ code: 0, stdout: 'AAA_NEW\tunchanged\nDB_PASSWORD\tskip\n' });
    });
  });
});

/**
 * `create secret --generate` and `set secret --generate` through main: on the local store (node:crypto) and
 * on moto (GetRandomPassword), the value stored under the rules asked for, never printed unless --reveal,
 * and `set --generate` on an existing key Unchanged unless --rotate.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { passwordAlphabet, passwordRules } from '../../src/core/password.js';
import { sandbox, type Sandbox } from '../helpers/io.js';
import { awsTestEnv, describeWithMoto } from '../helpers/moto.js';

function suite(name: string, env: () => Record<string, string>, before: () => Promise<void> = async () => undefined) {
  describe(name, () => {
    let sb: Sandbox;
    beforeEach(async () => {
      await before();
      sb = sandbox(env());
    });
    afterEach(() => sb.cleanup());
    const reveal = async (key: string) => {
      const r = await sb.run(['get', 'secret', key, '--reveal']);
      expect(r.code, r.stderr).toBe(0);
      return r.stdout;
    };

    it('create --generate: 32 characters of the full alphabet by default, never printed', async () => {
      const r = await sb.run(['create', 'secret', 'SESSION_KEY', '--generate']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Created SESSION_KEY');
      const v = await reveal('SESSION_KEY');
      expect([...v]).toHaveLength(32);
      expect(r.stderr).not.toContain(v);
      const alphabet = new Set(passwordAlphabet(passwordRules({})));
      for (const c of v) expect(alphabet.has(c)).toBe(true);
    });

    it('length, exclusions and --no-punctuation; --reveal prints exactly the value stored', async () => {
      const r = await sb.run([
        'create',
        'secret',
        'DB_ADMIN',
        '--generate',
        '--length',
        '200',
        '--exclude-chars',
        'aeiouAEIOU01',
        '--no-punctuation',
        '--require-each-type',
        '--reveal',
      ]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^[A-Za-z0-9]{200}$/);
      expect(r.stdout).not.toMatch(/[aeiouAEIOU01]/);
      expect(await reveal('DB_ADMIN')).toBe(r.stdout);
    });

    it('every allowed character occurs in 4096 generated characters (a miss has probability < 1e-15)', async () => {
      expect((await sb.run(['create', 'secret', 'LONG', '--generate', '--length', '4096'])).code).toBe(0);
      expect(new Set(await reveal('LONG')).size).toBe(94);
    });

    it('set --generate: Created, then Unchanged, then Updated only with --rotate', async () => {
      const first = await sb.run(['set', 'secret', 'TOKEN', '--generate']);
      expect(first.stderr).toContain('Created TOKEN');
      const v1 = await reveal('TOKEN');
      const again = await sb.run(['set', 'secret', 'TOKEN', '--generate']);
      expect(again.code).toBe(0);
      expect(again.stderr).toContain('Unchanged TOKEN');
      expect(await reveal('TOKEN')).toBe(v1);
      const rotated = await sb.run(['set', 'secret', 'TOKEN', '--generate', '--rotate', '-o', 'json']);
      expect(rotated.stderr).toContain('Updated TOKEN');
      expect(JSON.parse(rotated.stdout)).toMatchObject({ key: 'TOKEN', action: 'updated' });
      expect(await reveal('TOKEN')).not.toBe(v1);
    });

    it.each([
      [['create', 'secret', 'K', 'v', '--generate'], /give no VALUE/],
      [['create', 'secret', 'K', '--length', '8'], /--length applies to --generate/],
      [['set', 'secret', 'K', 'v', '--rotate'], /--rotate applies to --generate/],
      [['create', 'secret', 'K', '--generate', '--length', '5000'], /1 to 4096/],
      [['create', 'secret', 'K', '--generate', '--length', '3', '--require-each-type'], /at least 4/],
    ])('%j is exit 2', async (argv, why) => {
      const r = await sb.run(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(why);
    });
  });
}

suite('--generate on the local store', () => ({}));

describeWithMoto('--generate on aws (moto GetRandomPassword)', (moto) => {
  suite(
    'commands',
    () => ({ ...awsTestEnv(moto().endpoint), SCOPED_BACKEND: 'aws' }),
    () => moto().reset(),
  );
});

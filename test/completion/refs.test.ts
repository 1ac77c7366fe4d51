/** Completion of the new command and its flags in real bash, zsh and fish (from the command tree, via the built CLI). */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';
import { completeIn, describeShell, installWrapper, type ShellName } from './shell-harness.js';

let sb: Sandbox;
let env: Record<string, string>;
beforeAll(() => {
  sb = sandbox();
  env = { ...sb.env, PATH: `${installWrapper(sb.dir)}:${process.env.PATH ?? '/usr/bin:/bin'}`, XDG_CACHE_HOME: sb.dir, TMPDIR: sb.dir, LANG: 'C.UTF-8', TERM: 'dumb' };
});
afterAll(() => sb?.cleanup());

for (const shell of ['bash', 'zsh', 'fish'] as ShellName[]) {
  describeShell(shell, () => {
    it('refs, its formats, its store kinds and policy --runtime', async () => {
      expect(await completeIn(shell, 'scoped ref', env)).toEqual(['refs']);
      expect(await completeIn(shell, 'scoped refs --format ', env)).toEqual(['ecs', 'external-secret', 'flyte', 'json', 'secret-provider-class']);
      expect(await completeIn(shell, 'scoped refs --format e', env)).toEqual(['ecs', 'external-secret']);
      expect(await completeIn(shell, 'scoped refs --store-kind ', env)).toEqual(['ClusterSecretStore', 'SecretStore']);
      expect(await completeIn(shell, 'scoped refs --ex', env)).toEqual(['--exclude', '--expand']);
      expect(await completeIn(shell, 'scoped policy --run', env)).toEqual(['--runtime']);
    }, 60_000);
  });
}

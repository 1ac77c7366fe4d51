import { builtin } from '../support/builtin.js';
import { fileURLToPath } from 'node:url';
import type { IO } from '../io.js';
import { BUDGET_MS, type CompleteDeps } from './complete.js';

/** The fast path's one import for a Tab (importing complete.js beside this module costs one more file). */
export { buildCompleteOptions, runComplete } from './complete.js';

// node:child_process only when a refresh starts (the AWS path): a Tab on the local store never spawns.

/** bin/scoped.cjs, from dist/completion/ (and from src/completion/ under tests). */
const ENTRY = fileURLToPath(new URL('../../bin/scoped.cjs', import.meta.url));

/**
 * The real dependencies of `__complete`. A cache refresh runs as a detached process with no streams,
 * so the shell gets its answer (or nothing) within the budget however long the network takes.
 */
export function systemCompleteDeps(io: IO): CompleteDeps {
  return {
    env: io.env,
    cwd: io.cwd,
    now: () => Date.now(),
    budgetMs: BUDGET_MS,
    // The store's code only when the line asks for names; store-source.js is then loaded already (one
    // chunk with org-names.js: importing org-names.js here would make it a chunk of its own, one more file).
    listNames: async (config, env, want) => (await import('./store-source.js')).listOrgNames(config, env, want),
    startRefresh: (words) => {
      const { spawn } = builtin('node:child_process');
      const child = spawn(process.execPath, [ENTRY, '__complete', 'refresh', '--', ...words], {
        cwd: io.cwd,
        env: io.env,
        detached: true,
        stdio: 'ignore',
      });
      child.on('error', () => undefined);
      child.unref();
    },
  };
}

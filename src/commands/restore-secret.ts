import { describeOwn } from '../store/links.js';
import type { Context } from '../cli/context.js';
import { printResult } from '../cli/output.js';
import { explained } from './hints.js';
import { defineSecretCommand, keyAtScope, secretAt, secretJson, type KeyAtScope } from './secret-command.js';

export const restoreSecretCommand = defineSecretCommand({
  verb: 'restore',
  summary: 'undo a delete inside its recovery window',
  examples: ['scoped restore secret OLD_TOKEN -p billing'],
  build: keyAtScope,
  run: runRestoreSecret,
});

export type RestoreSecretOptions = KeyAtScope;

/**
 * Described first: restoring a secret that is not scheduled for deletion succeeds silently on both
 * backends, so only the description can tell. Like `set`'s Unchanged, it is not an error: the secret is
 * already where restore would put it (exit 0, saying so; `restored: false` in -o json).
 */
export async function runRestoreSecret(ctx: Context, o: RestoreSecretOptions): Promise<void> {
  const { t, where, store } = await secretAt(ctx, o);
  // Its own metadata: a link is deleted or restored as itself, whatever its target's state.
  const found = await explained(t, () => describeOwn(store, t.name));
  const restored = found.deletedAt !== undefined;
  if (restored) {
    await explained(t, () => store.restore(t.name));
    ctx.success(`Restored ${where}`);
  } else {
    ctx.info(`${where} is not scheduled for deletion; nothing to restore`);
  }
  await printResult(ctx, { ...secretJson(t), restored });
}

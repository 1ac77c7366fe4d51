import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEY_FILE } from '../store/key-file.js';

/**
 * The local store's key as text a program could print: SCOPED_LOCAL_KEY and the key file under `home`
 * (a child runs as the same user and can read it), each as written and trimmed. Added to `run`'s masks
 * so the key is hidden like a secret value. Unreadable or missing files give nothing: there is then
 * nothing of ours to hide. Loaded only by `run`'s spawning path.
 */
export function storeKeyTexts(env: Record<string, string | undefined>, home: string | undefined): string[] {
  const texts = new Set<string>();
  const add = (t: string | undefined): void => {
    if (t === undefined) return;
    for (const s of [t, t.trim()]) if (s !== '') texts.add(s);
  };
  add(env.SCOPED_LOCAL_KEY);
  if (home !== undefined) {
    try {
      add(readFileSync(join(home, KEY_FILE), 'utf8'));
    } catch {
      // no key file (AWS backend, or a store not made yet)
    }
  }
  return [...texts];
}

import { readLocalNames, type LocalNames } from './local/names-reader.js';

/**
 * Secret names under `prefixes` without building a store (no key, lock, cipher or SDK code): what a Tab
 * reads. The local backend answers from its shards' checked index lines; undefined where only the store
 * itself can answer (AWS, or a local store it must migrate or refuse).
 */
export function readNamesWithoutStore(backend: string, home: string, prefixes: readonly string[], options: { liveOnly: boolean; now: number }): LocalNames | undefined {
  return backend === 'local' ? readLocalNames(home, prefixes, options) : undefined;
}

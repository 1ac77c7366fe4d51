import { readFileSync } from 'node:fs';
import { builtin } from '../support/builtin.js';
import { join } from 'node:path';
import type { ParsedConfigs } from '../config.js';
import { writeFileAtomic } from '../support/atomic-write.js';
import { privateDir } from './names-cache.js';
import { version } from '../version.js';

/**
 * Parsed config files for Tab, kept between runs: loading the YAML library costs about as much as the
 * rest of a Tab (8-10 ms), and most Tabs run in a project folder with a `.scoped.yaml`. Keyed by the file's
 * exact text, so an entry can never be stale: the same text parses the same. One file in the cache
 * folder (mode 0600 in a 0700 folder), the most recent entries only; what is read back is checked by
 * config.ts as a fresh parse is. Config files hold settings, never values.
 */
export const CONFIG_CACHE_FILE = 'config-parsed.json';
/** The parser's reading can change with the build that parses: entries of another version are not read. */
const FORMAT = `scoped-config/1 ${version()}`;
/** Entries kept (projects a user moves between). */
export const MAX_ENTRIES = 16;
/** Texts (and parses) longer than this are parsed each time (a config file is a few lines). */
export const MAX_TEXT = 16 * 1024;

interface Entry {
  text: string;
  doc: unknown;
}

// node:util only when an entry is written.

export function configCache(dir: string): ParsedConfigs {
  const file = join(dir, CONFIG_CACHE_FILE);
  let entries: Entry[] | undefined;
  const load = (): Entry[] => {
    if (entries) return entries;
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as { format?: unknown; entries?: unknown };
      entries = data.format === FORMAT && Array.isArray(data.entries) ? (data.entries as Entry[]).filter((e) => typeof e?.text === 'string' && 'doc' in e) : [];
    } catch {
      entries = [];
    }
    return entries;
  };
  return {
    get: (text) => load().find((e) => e.text === text)?.doc,
    set: (text, doc) => {
      if (text.length > MAX_TEXT || doc === undefined) return;
      try {
        // Only what JSON keeps as it is (a `.inf` or a date would come back changed), and no bigger than
        // a config file (aliases can expand a small text a hundredfold; a circular one does not serialise).
        const json = JSON.stringify(doc);
        const { isDeepStrictEqual } = builtin('node:util');
        if (json.length > MAX_TEXT || !isDeepStrictEqual(JSON.parse(json) as unknown, doc)) return;
        entries = [{ text, doc }, ...load().filter((e) => e.text !== text)].slice(0, MAX_ENTRIES);
        privateDir(dir);
        writeFileAtomic(file, JSON.stringify({ format: FORMAT, entries }));
      } catch {
        // A cache: the next Tab parses again.
      }
    },
  };
}

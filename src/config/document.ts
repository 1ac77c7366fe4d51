import { UsageError } from '../errors.js';
import { parseConfig, readConfigText } from './file.js';

/**
 * Config files already parsed, by their exact text (the same text parses the same): a Tab keeps them
 * between runs (completion/config-cache.ts) so that it need not load the YAML library. Commands parse.
 */
/** Parses a config file's text (`parseConfig`, which loads the YAML library); tests count the calls. */
export type ParseConfig = (path: string, text: string) => Promise<unknown>;

export interface ParsedConfigs {
  /** The parsed document of exactly this text, or undefined. */
  get(text: string): unknown;
  set(text: string, doc: unknown): void;
}

/**
 * A config file's mapping (empty when the file is empty). `keep`: call it once the mapping has passed
 * its checks, to keep a fresh parse in `parsed` (nothing to do for one read back from there).
 */
export async function readDoc(path: string, parsed: ParsedConfigs | undefined, parse: ParseConfig = parseConfig): Promise<{ doc: Record<string, unknown>; keep: () => void }> {
  const text = readConfigText(path);
  let doc = parsed?.get(text);
  let keep = (): void => undefined;
  if (doc === undefined) {
    const fresh = await parse(path, text);
    doc = fresh;
    keep = () => parsed?.set(text, fresh);
  }
  if (doc === null || doc === undefined) return { doc: {}, keep };
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`config file ${path} must be a YAML mapping`);
  return { doc: doc as Record<string, unknown>, keep };
}

import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { UsageError } from '../errors.js';
import { describeFsError } from '../support/fs-errors.js';
import { describeTooDeep, describeYamlProblem } from '../support/parse-errors.js';

/** A config file is a few lines; 1 MiB is far past any, and short of what `/dev/zero` would fill. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** What a path that is not a regular file is, in words. */
function fileKind(info: Stats): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * A config file's text. Only a regular file is read (checked on the open descriptor, after links), so a
 * link to `/dev/zero`, a FIFO nobody writes to or a directory is one line at once, never a hang; at most
 * MAX_CONFIG_BYTES are read, so a huge file (or one that grows while read) costs nothing.
 */
export function readConfigText(path: string): string {
  const fail = (why: string): UsageError => new UsageError(`cannot read config file ${path}: ${why}`, 'a config file is a small YAML file; fix or remove it');
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer before it is refused below.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw fail(describeFsError(err));
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) throw fail(`it is ${fileKind(info)}, not a file`);
    if (info.size > MAX_CONFIG_BYTES) throw fail(`it is ${info.size.toLocaleString('en-US')} bytes, over the limit of ${MAX_CONFIG_BYTES.toLocaleString('en-US')}`);
    // Its size and one byte more (to see it end), then more only if it grew meanwhile, up to the limit.
    const chunks: Buffer[] = [];
    let size = 0;
    for (let want = info.size + 1; want > 0 && size <= MAX_CONFIG_BYTES; want = 64 * 1024) {
      const chunk = Buffer.allocUnsafe(want);
      const n = readSync(fd, chunk, 0, want, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      size += n;
    }
    if (size > MAX_CONFIG_BYTES) throw fail(`it grew past the limit of ${MAX_CONFIG_BYTES.toLocaleString('en-US')} bytes while read`);
    return strictUtf8.decode(Buffer.concat(chunks, size));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    if (err instanceof TypeError) throw fail('it is not UTF-8 text');
    throw fail(describeFsError(err));
  } finally {
    closeSync(fd);
  }
}

/** A parsed config document, or a usage error in words (never the parser's message, which quotes the text). */
export async function parseConfig(path: string, text: string): Promise<unknown> {
  const deep = describeTooDeep(text);
  if (deep !== undefined) throw new UsageError(`config file ${path} is not valid YAML: ${deep}`);
  const yaml = await import('yaml');
  const doc = yaml.parseDocument(text);
  const first = doc.errors[0] ?? doc.warnings[0];
  if (first !== undefined) throw new UsageError(`config file ${path} is not valid YAML: ${describeYamlProblem(first)}`);
  // A key that is a list or mapping would become a string with a warning from Node: refuse it instead.
  const root = doc.contents;
  if (yaml.isMap(root) && root.items.some((pair) => !yaml.isScalar(pair.key))) {
    throw new UsageError(`config file ${path}: a key is a list or mapping, not a setting name`);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch {
    throw new UsageError(`config file ${path}: its aliases expand too far (an alias bomb?)`, 'a config file needs no aliases; remove them');
  }
}

// The fast file's two guards (scripts/bundle.mjs), apart so that a test can make each one happen.

/** Past this the fast file has pulled in something heavy: find what with a metafile, and make it lazy or shared. */
export const FAST_LIMIT = 64 * 1024;

/**
 * Throws unless the fast file `file` (esbuild's metafile output `out`) imports only Node's built-ins and
 * the files in `allowed` (the CLI's shared entries, YAML's file), and stays within `limit` bytes.
 */
export function checkFastFile(file, out, allowed, limit = FAST_LIMIT) {
  const strays = out.imports.filter((i) => !i.path.startsWith('node:') && !allowed.includes(i.path));
  if (strays.length > 0) throw new Error(`${file} imports ${strays.map((i) => i.path).join(', ')}: bundle it, or share it through SHARED`);
  if (out.bytes > limit) throw new Error(`${file} is ${out.bytes} bytes (limit ${limit}): something heavy reached the fast path`);
}

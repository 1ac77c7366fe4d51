import { builtinModules } from 'node:module';

// The fast file's two guards (scripts/bundle.mjs), apart so that a test can make each one happen.

/**
 * Past this the fast file has pulled in something heavy: find what with a metafile, and make it lazy or shared.
 * A guard against a library or a command reaching help and Tab (tens of kB at once), with room for the growth of the
 * modules they share with every command (scope rules, config checks, the IO object): 64 kB, raised to 72 kB when
 * the file was at 65.3 kB and fixes in those modules took it past.
 */
export const FAST_LIMIT = 72 * 1024;

/**
 * Throws unless the fast file `file` (esbuild's metafile output `out`) imports only Node's built-ins and
 * the files in `allowed` (the CLI's shared entries, YAML's file), and stays within `limit` bytes.
 */
export function checkFastFile(file, out, allowed, limit = FAST_LIMIT) {
  const strays = out.imports.filter((i) => !i.path.startsWith('node:') && !allowed.includes(i.path));
  if (strays.length > 0) throw new Error(`${file} imports ${strays.map((i) => i.path).join(', ')}: bundle it, or share it through SHARED`);
  if (out.bytes > limit) throw new Error(`${file} is ${out.bytes} bytes (limit ${limit}): something heavy reached the fast path`);
}

/** Past this the hot file (hot.cjs) has pulled in something heavy: find what with a metafile, and stand in for it. */
export const HOT_LIMIT = 320 * 1024;

/**
 * Throws unless the hot file `file` (esbuild's metafile output `out`, built from `inputs`) imports only Node's
 * built-ins and `allowed`, holds no commander, AWS SDK or AWS store code, and stays within `limit` bytes.
 */
export function checkHotFile(file, out, inputs, allowed, limit = HOT_LIMIT) {
  // Bundled CommonJS (proper-lockfile) names Node's modules without `node:`.
  checkFastFile(file, out, [...allowed, ...builtinModules], limit);
  const heavy = inputs.filter((i) => /node_modules[\\/](commander|@commander-js|@aws-sdk|@smithy|@inquirer)[\\/]|src[\\/]store[\\/]aws[\\/]/.test(i));
  if (heavy.length > 0) throw new Error(`${file} carries ${heavy.slice(0, 5).join(', ')}: give it a stand-in that declines (scripts/bundle.mjs)`);
}

// Bundles the CLI into dist/bundle/ (esbuild, ESM, code-split at every dynamic import) so start-up
// parses a few files instead of resolving dozens of modules. The AWS SDK, prompts, tables and YAML stay
// separate packages, loaded only by the paths that use them.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const outdir = process.argv[2] ?? 'dist/bundle';
// Chunk names carry content hashes: start clean so old chunks do not pile up.
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { scoped: 'src/entry.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  external: ['@aws-sdk/*', '@smithy/*', '@inquirer/prompts', 'cli-table3', 'yaml'],
  // Bundled CommonJS (commander, proper-lockfile) calls require() for Node's own modules.
  banner: { js: "import { createRequire as __scopedRequire } from 'node:module'; const require = __scopedRequire(import.meta.url);" },
  define: { SCOPED_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
});
// The command tree as data next to the bundle (help and Tab read it instead of loading commander); from
// tsc's output of src/completion/write-tree.ts, which `npm run build` has just written.
const { writeCommandTree } = await import('../dist/completion/write-tree.js');
writeCommandTree(outdir);

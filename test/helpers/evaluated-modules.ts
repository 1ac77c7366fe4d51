/**
 * Counting what a built bundle evaluates, not timing it: the bundle's source is run with esbuild's module
 * initialiser (`__esm`) recording each module it evaluates, in order, into `globalThis.__evaluated`. Used by
 * test/e2e/hot-path-modules.test.ts (cli.cjs) and test/e2e/hot-entry/ (hot.cjs).
 */
const INIT = 'var __esm=(fn,res,err)=>function(){';

/**
 * A CommonJS runner script: `node runner.cjs FILE OUT ARGS...` compiles FILE with the counting initialiser,
 * binds `m` (the module), `args`, `out` and `fs`, then runs `call`, the code that calls into the bundle and
 * writes what it found to `out`. Exits 99 when the bundle has no `__esm` to count with.
 */
export function countingRunner(call: string): string {
  return `
const fs = require('node:fs'), Module = require('node:module'), path = require('node:path');
const [file, out, ...args] = process.argv.slice(2);
const source = fs.readFileSync(file, 'latin1');
if (!source.includes(${JSON.stringify(INIT)})) { process.stderr.write('no __esm in the bundle\\n'); process.exit(99); }
globalThis.__evaluated = [];
const counted = source.replace(${JSON.stringify(INIT)}, ${JSON.stringify(`${INIT}if(fn)globalThis.__evaluated.push(Object.keys(fn)[0]);`)});
const m = new Module(file);
m.filename = file;
m.paths = Module._nodeModulePaths(path.dirname(file));
m._compile(counted, file);
${call}
`;
}

// Bundles the CLI into dist/bundle/ (esbuild, ESM, code-split at every dynamic import) so start-up
// parses a few files instead of resolving dozens of modules. Every library is bundled: the package has
// no runtime dependencies, and `npm install -g` of the tarball needs nothing from the registry. The AWS
// SDK, prompts, tables and YAML land in lazy chunks, loaded only by the paths that use them.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { build } from 'esbuild';
import { checkFastFile, checkHotFile } from './fast-check.mjs';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * Modules the source loads with `await import(...)`, bundled as written here instead:
 * - `@inquirer/prompts`: a dynamic import takes the whole namespace, which esbuild cannot tree-shake; it
 *   would bundle every prompt, the editor prompt's iconv-lite tables included (600 kB). scoped uses two.
 * - `yaml` is CommonJS: a split chunk of it exports only `default` (and `export *` of it nothing), so
 *   `const { parse } = await import('yaml')` would get undefined. Its names, read from the package
 *   here, are re-exported one by one.
 * Each is resolved from its own package folder (esbuild resolves the shim's imports from resolveDir).
 */
const require = createRequire(import.meta.url);
const YAML_NAMES = Object.keys(require('yaml')).filter((k) => k !== 'default' && k !== '__esModule');
const SHIMS = {
  '@inquirer/prompts': "export { default as password } from '@inquirer/password'; export { default as confirm } from '@inquirer/confirm';",
  yaml: `export { ${YAML_NAMES.join(', ')} } from 'yaml';`,
};

/**
 * YAML is one CommonJS file of its own, `yaml.cjs`, which both builds require() when a command first
 * parses or prints YAML: the fast file (a Tab in a folder with a `.scoped.yaml`) then never starts Node's
 * ES module loader, and the CLI shares the same file instead of carrying a second copy.
 */
const YAML_FILE = 'yaml.cjs';
const yamlFile = {
  name: 'yaml-from-its-own-file',
  setup(b) {
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: 'yaml', namespace: 'yaml-file' }));
    // Its names one by one (a split chunk of a CommonJS module would export only `default`).
    b.onLoad({ filter: /.*/, namespace: 'yaml-file' }, () => ({ contents: `export const { ${YAML_NAMES.join(', ')} } = require('./${YAML_FILE}');`, loader: 'js' }));
    b.onResolve({ filter: new RegExp(`^\\./${YAML_FILE.replace('.', '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
  },
};
const shims = {
  name: 'dynamic-import-shims',
  setup(b) {
    const filter = new RegExp(
      `^(${Object.keys(SHIMS)
        .map((k) => k.replace(/[/@]/g, '\\$&'))
        .join('|')})$`,
    );
    b.onResolve({ filter }, (args) => (args.namespace === 'shim' ? undefined : { path: args.path, namespace: 'shim' }));
    b.onLoad({ filter: /.*/, namespace: 'shim' }, (args) => ({
      contents: SHIMS[args.path],
      resolveDir: dirname(require.resolve(`${args.path}/package.json`)),
      loader: 'js',
    }));
  },
};

/**
 * commander requires node:child_process at load, for executable subcommands scoped does not have; Node
 * then loads child_process and dgram (about 1.5 ms) on every start, --help included. Load it on use.
 */
const COMMANDER_CHILD = "const childProcess = require('node:child_process');";
const lazyChildProcess = {
  name: 'commander-lazy-child-process',
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes(COMMANDER_CHILD)) {
        return { contents: source, loader: 'js', warnings: [{ text: 'commander no longer requires child_process as expected: drop the lazy-child-process plugin' }] };
      }
      return { contents: source.replace(COMMANDER_CHILD, "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };"), loader: 'js' };
    });
  },
};

/**
 * What the fast entry (below) loads lazily but must not copy: the CLI's own store, program (for a build
 * without the tree's JSON) and prompts. The main build makes each an entry of this name, and the
 * fast file imports that (one instance of each, whoever loads it first).
 */
const SHARED = [
  [/[\\/]store[\\/]create-store\.js$/, 'store', 'src/store/create-store.ts'],
  [/[\\/]cli[\\/]program\.js$/, 'program', 'src/cli/program.ts'],
  [/^@inquirer\/prompts$/, 'prompts', '@inquirer/prompts'],
];
const shared = {
  name: 'shared-with-the-cli',
  setup(b) {
    for (const [filter, name] of SHARED) b.onResolve({ filter }, () => ({ path: `./${name}.js`, external: true }));
  },
};

const outdir = process.argv[2] ?? 'dist/bundle';
// Chunk names carry content hashes: start clean so old chunks do not pile up.
rmSync(outdir, { recursive: true, force: true });
const common = {
  outdir,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The SDK's ES module builds (dist-es) before its CommonJS ones: esbuild can then drop the ~60
  // Secrets Manager commands and the credential providers scoped never calls, and the dynamic imports
  // inside the SDK (SSO, STS, ini files) stay lazy chunks instead of one eagerly evaluated blob.
  mainFields: ['module', 'main'],
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  // Bundled CommonJS (commander, proper-lockfile, cli-table3) calls require() for Node's own modules.
  banner: { js: "import { createRequire as __scopedRequire } from 'node:module'; const require = __scopedRequire(import.meta.url);" },
  define: { SCOPED_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
};
await build({
  ...common,
  entryPoints: { scoped: 'src/entry.ts', ...Object.fromEntries(SHARED.map(([, name, source]) => [name, source])) },
  splitting: true,
  plugins: [yamlFile, shims, lazyChildProcess],
});
await build({ ...common, entryPoints: { yaml: 'yaml' }, outExtension: { '.js': '.cjs' }, format: 'cjs', banner: {}, plugins: [shims] });
/**
 * In cli.cjs, Node's own modules that only some commands use are loaded on first use instead of when the
 * bundle starts: a bundled `import { Socket } from 'node:net'` is a require() at start-up, and every command
 * module is evaluated for every line (the command tree), so `get` paid for the streams, tty, net and readline
 * that reading a value from stdin needs. Each becomes an object of getters that requires the real module when
 * one of its names is first read (the names are read here, from this Node). `scoped run` still loads
 * child_process when it spawns, a read from stdin still loads net and tty.
 */
const LAZY_BUILTINS = [
  'child_process',
  'crypto',
  'os',
  'vm',
  'dgram',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'readline',
  'readline/promises',
  'stream',
  'stream/promises',
  'tty',
  'zlib',
  'perf_hooks',
  'worker_threads',
  'async_hooks',
];
const lazyBuiltins = {
  name: 'lazy-node-modules',
  setup(b) {
    const filter = new RegExp(`^(node:)?(${LAZY_BUILTINS.map((m) => m.replace('/', '\\/')).join('|')})$`);
    // A module that is itself a function (node:stream is the Stream class) stays the module when a bundled
    // CommonJS file requires it whole: mute-stream's `class MuteStream extends Stream`, under every prompt, cannot
    // extend an object of getters. Such a require() runs when its file is first required, already on use.
    const wholeFunction = (args) => args.kind === 'require-call' && typeof require(`node:${args.path.replace(/^node:/, '')}`) === 'function';
    b.onResolve({ filter }, (args) =>
      args.namespace === 'lazy-node' || wholeFunction(args) ? { path: args.path, external: true } : { path: args.path.replace(/^node:/, ''), namespace: 'lazy-node' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-node' }, (args) => {
      const names = Object.keys(require(`node:${args.path}`)).filter((k) => k !== 'default' && k !== '__esModule');
      return {
        // `default` is the module itself, as Node gives it to an ES module's default import: so an import of it needs no
        // interop copy (finishCjs drops esbuild's __toESM around these modules).
        contents: `let m; const load = () => (m ??= require(${JSON.stringify(`node:${args.path}`)}));\nfor (const k of ${JSON.stringify(names)}) Object.defineProperty(exports, k, { get: () => load()[k], enumerable: true });\nObject.defineProperty(exports, 'default', { get: load });`,
        loader: 'js',
      };
    });
  },
};

/**
 * esbuild imports a CommonJS module into an ES module through `__toESM(require_x())`, which copies each of the module's
 * names onto a new object (a getter each): for node:crypto, ~70 of them, at each of the nine modules that import it,
 * on every line that loads them (about half a millisecond of a `resolve`). The lazy stand-ins above already are
 * what the import needs (each name, and `default`), so they are used as they are.
 */
function withoutInteropCopies(source) {
  const lazy = [...source.matchAll(/\b(require_[A-Za-z0-9_$]+)=__commonJS\(\{"lazy-node:/g)].map((m) => m[1]);
  // `__toESM(require_x(), 1)`: 1 (Node's mode) gives `default` the module, as the stand-in's own `default` does.
  return lazy.reduce((text, name) => text.replace(new RegExp(`__toESM\\(${name.replace(/\$/g, '\\$')}\\(\\)(,\\s*1)?\\)`, 'g'), `${name}()`), source);
}

/**
 * The AWS SDK as a CommonJS file of its own, `sdk.cjs`, which cli.cjs requires when a command first uses
 * AWS: the local store's commands (and the code cache bin/scoped.cjs keeps for them) then carry none of it.
 * One file holds every SDK package scoped imports, so they share one copy of @smithy/*; cli.cjs imports
 * each package's names from it. The names are read from the sources (below), so the SDK is still
 * tree-shaken to what scoped uses, and a name the sources import that sdk.cjs lacks fails the build.
 */
const SDK_FILE = 'sdk.cjs';
const SDK_PACKAGE = /^@(aws-sdk|smithy)\//;

/** Each SDK package the sources import at run time, with the names they take from it (`import type` aside). */
function sdkImports() {
  const found = new Map();
  const take = (pkg, names, where) => {
    if (names.length === 0) throw new Error(`${where}: an SDK import without names (${pkg}): import the names used`);
    found.set(pkg, new Set([...(found.get(pkg) ?? []), ...names]));
  };
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const text = readFileSync(path, 'utf8');
        if (!/@(aws-sdk|smithy)\//.test(text)) continue;
        const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
        const visit = (node) => {
          if (ts.isImportDeclaration(node) && SDK_PACKAGE.test(node.moduleSpecifier.text) && !node.importClause?.isTypeOnly) {
            const clause = node.importClause;
            if (clause?.name || (clause?.namedBindings && !ts.isNamedImports(clause.namedBindings)))
              throw new Error(`${path}: import { names } from '${node.moduleSpecifier.text}', not a default or namespace import`);
            const names = (clause?.namedBindings?.elements ?? []).filter((e) => !e.isTypeOnly).map((e) => (e.propertyName ?? e.name).text);
            if (names.length > 0 || !clause) take(node.moduleSpecifier.text, names, path);
          } else if (
            ts.isCallExpression(node) &&
            node.expression.kind === ts.SyntaxKind.ImportKeyword &&
            ts.isStringLiteral(node.arguments[0]) &&
            SDK_PACKAGE.test(node.arguments[0].text)
          ) {
            const declaration = ts.isAwaitExpression(node.parent) && ts.isVariableDeclaration(node.parent.parent) ? node.parent.parent : undefined;
            if (!declaration || !ts.isObjectBindingPattern(declaration.name))
              throw new Error(`${path}: const { names } = await import('${node.arguments[0].text}'), so the names are known`);
            take(
              node.arguments[0].text,
              declaration.name.elements.map((e) => (e.propertyName ?? e.name).text),
              path,
            );
          }
          ts.forEachChild(node, visit);
        };
        visit(file);
      }
    }
  };
  walk('src');
  return [...found].map(([pkg, names], i) => ({ pkg, names: [...names].sort(), suffix: `$${i}` }));
}
const SDK = sdkImports();
const SOURCES = join(process.cwd(), 'src') + '/';
const sdkFromItsFile = {
  name: 'sdk-from-its-own-file',
  setup(b) {
    b.onResolve({ filter: SDK_PACKAGE }, (args) => (args.importer.startsWith(SOURCES) ? { path: args.path, namespace: 'sdk-file' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'sdk-file' }, (args) => {
      const { names, suffix } = SDK.find((p) => p.pkg === args.path);
      return { contents: `const sdk = require('./${SDK_FILE}');\n${names.map((n) => `export const ${n} = sdk.${n}${suffix};`).join('\n')}`, loader: 'js' };
    });
    b.onResolve({ filter: new RegExp(`^\\./${SDK_FILE.replace('.', '\\.')}$`) }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * A CommonJS file as bin/scoped.cjs loads it: Node's own modules' `await import('node:http')` as require()
 * (an import() in vm.Script needs an ES module loader), ASCII only, and a first line `// <sha256 of the rest>`,
 * the code cache's key.
 */
function finishCjs(file) {
  const source = withoutInteropCopies(readFileSync(file, 'utf8').replace(/\bimport\(("node:[a-z_/0-9]+")\)/g, 'Promise.resolve().then(()=>require($1))'));
  // ASCII only (a `µ` in one regular expression made the whole 1.2 MB a two-byte string: slower to read and
  // to check against the code cache), so bin/scoped.cjs reads it as latin1. An escape means the same in a
  // string, a regular expression or a name (one outside the BMP becomes its two surrogates' escapes).
  // eslint-disable-next-line no-control-regex -- the range is all of ASCII, \x00 its start
  const ascii = source.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  // Anything else it cannot require() would need that loader: none allowed.
  if (/\bimport\(/.test(ascii)) throw new Error(`${file} has a dynamic import(): bundle it, or require() a CommonJS file`);
  writeFileSync(file, `// ${createHash('sha256').update(ascii).digest('hex')}\n${ascii}`);
}

// The CLI again as one CommonJS file, `cli.cjs`, which bin/scoped.cjs runs for every line the fast file does
// not answer: one file to read and compile instead of ~30 ES modules (Node 20 also skips its ES module loader),
// and one file V8's code cache covers (bin/scoped.cjs: Node's compile cache on 22.1+, vm.Script's cachedData
// on 20). Lazy imports are inlined and evaluated only when reached, the AWS SDK's too: with the code cache
// the size costs little. Its first line is `// <sha256 of the rest>`, the code cache's key on Node 20.
/** The settings of every one-file CommonJS build (cli.cjs, sdk.cjs, hot.cjs, fast.cjs): no chunks, `import.meta.url` from the file's own name. */
const oneCjsFile = {
  ...common,
  format: 'cjs',
  splitting: false,
  // `import.meta.url` made when first read (pathToFileURL costs about half a millisecond, and most lines never read it).
  banner: { js: "'use strict'; const __scoped = { get url() { return require('node:url').pathToFileURL(__filename).href; } };" },
  define: { ...common.define, 'import.meta.url': '__scoped.url' },
};
await build({
  ...oneCjsFile,
  entryPoints: { cli: 'src/entry.ts' },
  outExtension: { '.js': '.cjs' },
  plugins: [lazyBuiltins, yamlFile, shims, lazyChildProcess, sdkFromItsFile],
});
finishCjs(`${outdir}/cli.cjs`);
await build({
  ...oneCjsFile,
  stdin: {
    contents: SDK.map(({ pkg, names, suffix }) => `export { ${names.map((n) => `${n} as ${n}${suffix}`).join(', ')} } from '${pkg}';`).join('\n'),
    resolveDir: '.',
    sourcefile: 'sdk-entry.js',
  },
  outfile: `${outdir}/${SDK_FILE}`,
  outdir: undefined,
  plugins: [lazyBuiltins],
});
finishCjs(`${outdir}/${SDK_FILE}`);
/**
 * The hot entry (src/cli/hot-entry.ts): `resolve`, `get secret`, `export` and `run -- CMD` in a narrow grammar, with
 * the CLI's own command modules but no commander, no AWS SDK and no prompts, as one CommonJS file per command
 * (src/cli/hot/*.ts: `hot-resolve.cjs`, `hot-get.cjs`, `hot-export.cjs`, `hot-run.cjs`), which bin/scoped.cjs tries
 * before cli.cjs: a line reads and deserializes its own command's code only (one file for all four made `resolve`
 * read, and its code cache hold, the others' code: ~2.5 ms of CPU in paired runs). What a hot file must not carry is
 * replaced by stand-ins that give up (cli/hot-io.ts `decline`): then the line runs again in cli.cjs, which has everything.
 * - commander: the command modules import it for their definitions (`defineCommand`, `new Option` inside
 *   an options function), which the hot entry never calls;
 * - the AWS store (store/aws/aws-store.ts, imported on use by create-store.ts): a line that needs AWS, a
 *   cache miss of a pinned read, a local link to an ARN, all give up; so the SDK is not reached either;
 * - prompts (@inquirer/prompts): the hot entry reads no input.
 */
const HOT_DECLINE = join(process.cwd(), 'src', 'cli', 'hot-io.ts');
const AWS_STORE = join(process.cwd(), 'src', 'store', 'aws', 'aws-store.ts');

/**
 * The exported functions and classes of a module, which its stand-in declares (each giving up when called);
 * create-store.ts, its one importer, calls two of them.
 */
function exportedFunctions(path) {
  const file = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const exported = (st) => st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  return file.statements.filter((st) => (ts.isFunctionDeclaration(st) || ts.isClassDeclaration(st)) && st.name && exported(st)).map((st) => st.name.text);
}
const standIn = (what, names) =>
  `import { decline } from ${JSON.stringify(HOT_DECLINE)};\n${names.map((n) => `export function ${n}() { decline(${JSON.stringify(what)}); }`).join('\n')}`;
const hotStandIns = {
  name: 'hot-stand-ins',
  setup(b) {
    b.onResolve({ filter: /^@commander-js\/extra-typings$|^commander$/ }, () => ({ path: 'commander', namespace: 'hot-stand-in' }));
    b.onResolve({ filter: /^@inquirer\/prompts$/ }, () => ({ path: 'prompts', namespace: 'hot-stand-in' }));
    b.onResolve({ filter: /[\\/]aws[\\/]aws-store\.js$/ }, (args) =>
      join(args.resolveDir, args.path.replace(/\.js$/, '.ts')) === AWS_STORE ? { path: 'aws-store', namespace: 'hot-stand-in' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'hot-stand-in' }, (args) => ({
      contents:
        args.path === 'commander'
          ? standIn('commander', ['Command', 'Option', 'Argument'])
          : args.path === 'prompts'
            ? standIn('a prompt', ['password', 'confirm'])
            : standIn('AWS', exportedFunctions(AWS_STORE)),
      resolveDir: process.cwd(),
      loader: 'ts',
    }));
  },
};
/** Each hot file (dist/bundle/<name>.cjs) and its entry; bin/scoped.cjs names the same files. */
const HOT_FILES = { 'hot-resolve': 'src/cli/hot/resolve.ts', 'hot-get': 'src/cli/hot/get-secret.ts', 'hot-export': 'src/cli/hot/export.ts', 'hot-run': 'src/cli/hot/run.ts' };
for (const [name, entry] of Object.entries(HOT_FILES)) {
  const hot = await build({
    ...oneCjsFile,
    entryPoints: { [name]: entry },
    outExtension: { '.js': '.cjs' },
    plugins: [hotStandIns, lazyBuiltins, yamlFile, shims],
    metafile: true,
  });
  const [hotFile, hotOut] = Object.entries(hot.metafile.outputs)[0];
  checkHotFile(hotFile, hotOut, Object.keys(hot.metafile.inputs), [`./${YAML_FILE}`]);
  finishCjs(hotFile);
}
// Help, Tab and `completion <shell>` (src/fast-entry.ts): one file, no chunks, so those lines parse one
// file after bin/scoped.cjs. Its lazy imports (the store's names, the help renderer) are inlined, and
// evaluated only when reached.
// CommonJS: Node 20 loads its ES module loader (with fs/promises and streams, about 2 ms) for the first
// ES module a process imports; bin/scoped.cjs is CommonJS too, so help and Tab never do.
const fast = await build({
  ...oneCjsFile,
  entryPoints: { fast: 'src/fast-entry.ts' },
  outExtension: { '.js': '.cjs' },
  plugins: [yamlFile, shared],
  metafile: true,
});
const [fastFile, fastOut] = Object.entries(fast.metafile.outputs)[0];
checkFastFile(fastFile, fastOut, [`./${YAML_FILE}`, ...SHARED.map(([, name]) => `./${name}.js`)]);
// The command tree as data next to the bundle (help and Tab read it instead of loading commander); from
// tsc's output of src/completion/write-tree.ts, which `npm run build` has just written.
const { writeCommandTree } = await import('../dist/completion/write-tree.js');
await writeCommandTree(outdir);

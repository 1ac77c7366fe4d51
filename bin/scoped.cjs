#!/usr/bin/env node
// The entry: nothing but dispatch. `--version`, help, Tab and `completion <shell>` go to one
// self-contained CommonJS file (dist/bundle/fast.cjs); `resolve`, `get secret`, `export` and `run -- CMD` in a
// narrow grammar to one file per command (dist/bundle/hot-*.cjs: no commander, no SDK); the rest, and what those files decline, to
// the full CLI, one CommonJS file too (dist/bundle/cli.cjs). CommonJS because Node 20 loads its ES module loader
// (fs/promises, streams: about 2 ms) at the first ES module a process imports, and one file because each
// ES module costs a resolve, a read and a compile of its own.
//
// Compiled code is kept between runs in the user's cache folder ($XDG_CACHE_HOME or ~/.cache, then
// scoped/code, 0700): for cli.cjs V8's code cache through vm.Script on every Node (written after a run, so it
// holds the functions the run compiled: measured 20% less CPU on Node 22 than Node's own compile cache, which
// keeps only what was compiled up front), and Node's compile cache for fast.cjs on Node 22.1+.
// A code cache holds compiled code of the bundle only (bytecode and the source's constants), never what a
// run read or computed: no secret, argument or environment value reaches it. When the folder cannot be
// made or written, the CLI runs as it would without a cache.
'use strict';

const { join } = require('node:path');

const args = process.argv.slice(2);
// The words before `--` (after it they are `run`'s child's).
const end = args.indexOf('--');
const ours = end < 0 ? args : args.slice(0, end);
const BUNDLE = join(__dirname, '..', 'dist', 'bundle');

let cacheDir = null;
/**
 * The cache folder, made private; undefined when it cannot be. Found once per run (the hot file, the full CLI and
 * Node's compile cache ask for it), made only when missing.
 */
function codeCacheDir() {
  if (cacheDir !== null) return cacheDir;
  cacheDir = undefined;
  try {
    const { chmodSync, mkdirSync, statSync } = require('node:fs');
    const env = process.env;
    const dir = join(env.XDG_CACHE_HOME || join(env.HOME || require('node:os').homedir(), '.cache'), 'scoped', 'code');
    let st = statSync(dir, { throwIfNoEntry: false });
    if (st === undefined) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      st = statSync(dir);
    }
    if (!st.isDirectory()) return undefined;
    if ((st.mode & 0o077) !== 0) chmodSync(dir, 0o700);
    cacheDir = dir;
  } catch {
    // Runs without it.
  }
  return cacheDir;
}

// node:module only where it is used (Node 20 has no compile cache; a script that does not ask for the module
// never loads it): Node 22.1+ for its compile cache, and createRequire for a bundle file's own requires.
let moduleApi;
const nodeModule = () => (moduleApi ??= require('node:module'));
// Node 22.1+: its compile cache for fast.cjs (and yaml.cjs). NODE_DISABLE_COMPILE_CACHE turns off both caches.
if (Number(process.versions.node.split('.')[0]) >= 22 && !process.env.NODE_DISABLE_COMPILE_CACHE && nodeModule().enableCompileCache !== undefined) {
  const compileCache = codeCacheDir();
  try {
    if (compileCache !== undefined) nodeModule().enableCompileCache(compileCache);
  } catch {
    // Runs without it.
  }
}

const HOT = ['run', 'resolve', 'get', 'export', 'render'];
/** The hot file of each command word (scripts/bundle.mjs HOT_FILES builds them). */
const HOT_FILES = { __proto__: null, run: 'hot-run', resolve: 'hot-resolve', get: 'hot-get', export: 'hot-export' };

/** What to do after the run: write the code caches of the files loaded (cli.cjs, and sdk.cjs when AWS was used). */
const keeps = [];

/**
 * A CommonJS file of the bundle (cli.cjs, sdk.cjs) through vm.Script with V8's code cache: the cache file is
 * named by the file's name and hash (its first line, written by scripts/bundle.mjs), Node's version and the
 * architecture; V8 refuses a cache from another V8 or other flags, and then a new one is written. Returns the
 * module's exports; the cache is written after the run (keeps), with every function the run compiled.
 */
function loadWithCodeCache(file, name, outcomes = ['']) {
  const fs = require('node:fs');
  const vm = require('node:vm');
  let source;
  try {
    // ASCII (scripts/bundle.mjs makes it so): latin1 reads it without decoding.
    source = fs.readFileSync(file, 'latin1');
  } catch (err) {
    // Worded as require() words it.
    throw err?.code === 'ENOENT' ? new Error(`Cannot find module '${file}'`) : err;
  }
  const hash = /^\/\/ ([0-9a-f]{64})\n/.exec(source)?.[1];
  const dir = hash === undefined ? undefined : codeCacheDir();
  // One cache for each of the commands run most (each compiles functions of its own), one for the rest.
  const word = HOT.includes(args[0]) ? args[0] : 'any';
  // One cache file per outcome the caller tells apart (the hot file: answered, or declined), the first found read.
  const cacheFiles = dir === undefined ? [] : outcomes.map((o) => join(dir, `${name}-${hash.slice(0, 32)}-${word}${o}-${process.version}-${process.arch}.v8`));
  let cachedData;
  let readFrom;
  for (const f of cacheFiles) {
    try {
      cachedData = fs.readFileSync(f);
      readFrom = f;
      break;
    } catch {
      // None yet.
    }
  }
  // As require() wraps a CommonJS file (module.wrap), without loading node:module for it.
  const wrapped = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  const mod = { exports: {}, filename: file, id: file, loaded: false };
  // cli.cjs requires the SDK's file when a command first uses AWS: through the code cache too. Node's own
  // modules through this file's require; the bundle's other files (yaml.cjs) through one made for the file, when first needed.
  let plain;
  const require_ = (id) =>
    id === './sdk.cjs' ? (sdk ??= loadWithCodeCache(join(BUNDLE, 'sdk.cjs'), 'sdk')) : id.startsWith('node:') ? require(id) : (plain ??= nodeModule().createRequire(file))(id);
  script.runInThisContext().call(mod.exports, mod.exports, require_, mod, file, BUNDLE);
  // Written after the run for its outcome (the first by default) unless a cache was taken: for the first outcome,
  // its own; for a later one, any (one that answered holds more, and a declined run never writes over it).
  const keep = (outcome = 0) => {
    const cacheFile = cacheFiles[outcome];
    const taken = readFrom !== undefined && !script.cachedDataRejected;
    if (cacheFile === undefined || (taken && (outcome > 0 || readFrom === cacheFile))) return;
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
      fs.renameSync(tmp, cacheFile);
      // The caches of earlier builds on this Node: not read again. (`hot-<hash>-…`: the one hot file of builds before
      // there was one per command.)
      const mine = `-${process.version}-${process.arch}.v8`;
      const earlier = (f) => (f.startsWith(`${name}-`) && !f.startsWith(`${name}-${hash.slice(0, 32)}-`)) || /^hot-[0-9a-f]{32}-/.test(f);
      for (const f of fs.readdirSync(dir)) if (f.endsWith(mine) && earlier(f)) fs.unlinkSync(join(dir, f));
    } catch {
      try {
        fs.unlinkSync(tmp);
      } catch {
        // Nothing was written.
      }
    }
  };
  keeps.push(keep);
  return mod.exports;
}
let sdk;

async function cli() {
  const file = join(BUNDLE, 'cli.cjs');
  const viaVm = !process.env.NODE_DISABLE_COMPILE_CACHE;
  const exports = viaVm ? loadWithCodeCache(file, 'cli') : require(file);
  // stdout written with write(2) when it is a pipe, a file or /dev/null: no Node stream, nor its modules. Not for
  // `run`, whose masked child output is pumped through Node's stream (a reader that goes away then ends the child
  // by SIGPIPE): any line with the word before `--` keeps the stream.
  const direct = !ours.includes('run');
  const code = await exports.main(args, exports.systemIO({ directStdout: direct }));
  for (const keep of keeps) keep();
  return code;
}

async function dispatch() {
  // The same lines as wantsFast in src/cli/fast-lines.ts (test/e2e/completion/fast-entry.test.ts holds them equal).
  // One line: test/e2e/completion/fast-entry.test.ts reads it.
  // prettier-ignore
  const fast = args.length === 0 || args[0] === '__complete' || args[0] === 'completion' || args[0] === '--version' || args[0] === '-V' || args.includes('--help') || args.includes('-h');
  if (fast) return (await require('../dist/bundle/fast.cjs').answer(args)) ?? cli();
  // resolve, get secret, export and run in the hot files' narrow grammar (src/cli/hot-line.ts), declined (having
  // written nothing) on anything else; SCOPED_NO_HOT=1 sends every line to the full CLI. `run` is declined only
  // before its child starts, and then answered to the end there, with Node's stdout stream as here (hot-entry.ts).
  // The file of the first command word on the line: a word that is a flag's value (`--project run get secret K`)
  // may pick another command's file, which declines the line.
  const hotWord = process.env.SCOPED_NO_HOT ? undefined : ours.find((w) => HOT_FILES[w] !== undefined);
  if (hotWord !== undefined) {
    const name = HOT_FILES[hotWord];
    const file = join(BUNDLE, `${name}.cjs`);
    // Two caches: one written by a run it answered (what answering compiles), read first; one by a run it declined
    // (the way to the decline: an AWS line, a cold value cache), so a line it always declines does not compile the
    // file afresh each time before the full CLI runs it. A declined run never writes over the answered one.
    const at = keeps.length;
    const answered = await (process.env.NODE_DISABLE_COMPILE_CACHE ? require(file) : loadWithCodeCache(file, name, ['', '-declined'])).answer(args);
    const [hotKeep] = keeps.splice(at, 1);
    if (answered !== undefined) {
      hotKeep?.(0);
      return answered;
    }
    hotKeep?.(1);
  }
  return cli();
}

dispatch().then(
  (code) => {
    process.exitCode = code;
  },
  // main() turns every error into a line and a code; this is for a bug before it, or in the fast file.
  (err) => {
    process.stderr.write(`scoped: unexpected error: ${String(err?.message ?? err).split('\n')[0]}; report it\n`);
    process.exitCode = 1;
  },
);

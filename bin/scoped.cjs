#!/usr/bin/env node
// The entry: nothing but dispatch. `--version`, help, Tab and `completion <shell>` go to one
// self-contained CommonJS file (dist/bundle/fast.cjs); the rest, and what that file declines, to the full
// CLI (ES modules). CommonJS here and in fast.cjs because Node 20 loads its ES module loader (fs/promises,
// streams: about 2 ms) at the first ES module a process imports.
'use strict';

// Node 22.1+ keeps compiled code between runs (a no-op on Node 20, which lacks it).
require('node:module').enableCompileCache?.();

const args = process.argv.slice(2);

async function cli() {
  const { main, systemIO } = await import('../dist/bundle/scoped.js');
  return main(args, systemIO());
}

async function dispatch() {
  // The same lines as wantsFast in src/cli/fast-lines.ts (test/completion/fast-entry.test.ts holds them equal).
  const fast = args.length === 0 || args[0] === '__complete' || args[0] === 'completion' || args[0] === '--version' || args[0] === '-V' || args.includes('--help') || args.includes('-h');
  const answered = fast ? await require('../dist/bundle/fast.cjs').answer(args) : undefined;
  return answered ?? cli();
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

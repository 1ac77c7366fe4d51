#!/usr/bin/env node
// The entry: nothing but `main`. `scoped --version` alone is answered here, without loading the CLI.
import module from 'node:module';

// Node 22.1+ keeps compiled code between runs (a no-op on Node 20, which lacks it).
module.enableCompileCache?.();

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = await import('node:fs');
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  const { main, systemIO } = await import('../dist/bundle/scoped.js');
  process.exitCode = await main(args, systemIO());
}

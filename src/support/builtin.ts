import { createRequire } from 'node:module';

/** Node's own modules that scoped loads on first use rather than when a module is evaluated. */
interface Builtins {
  'node:child_process': typeof import('node:child_process');
  'node:crypto': typeof import('node:crypto');
  'node:tty': typeof import('node:tty');
  'node:util': typeof import('node:util');
}

let load: NodeJS.Require | undefined;

// In a CommonJS bundle (bin/scoped.cjs's files) the module's own require: making one from `import.meta.url`
// costs a file URL and its path (about 1 ms); ES modules (tsc's dist/, the tests) make one on first use.
declare const require: NodeJS.Require | undefined;

/**
 * Node's module `id`, required when first asked for. For modules that only some lines reach: node:crypto
 * loads Node's streams (about 4 ms), which help, Tab and `resolve` with nothing to check never need; one
 * bundled `import` would load it whenever the bundle starts. The require function itself is made on first
 * use too.
 */
export function builtin<K extends keyof Builtins>(id: K): Builtins[K] {
  load ??= typeof require === 'function' ? require : createRequire(import.meta.url);
  return load(id) as Builtins[K];
}

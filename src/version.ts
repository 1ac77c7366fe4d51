import { readFileSync } from 'node:fs';

/** Set by the bundler (scripts/bundle.mjs); unbundled runs (tests) read package.json. */
declare const SCOPED_VERSION: string | undefined;

export function version(): string {
  if (typeof SCOPED_VERSION === 'string') return SCOPED_VERSION;
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

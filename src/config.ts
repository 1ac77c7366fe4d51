/**
 * Configuration, one concern a module under src/config/:
 * - settings.ts: the settings table (file key, env variables, flag, whether a repository may set it), the
 *   loaded `Config`, the global flags' values, flags a backend cannot honour;
 * - value-rules.ts: the prefix and time-limit rules;
 * - discovery.ts: where the files are (`.scoped.yaml` upward, the user's config, the store's default home);
 * - file.ts: a config file's text (bounded, regular files only) and its YAML parse;
 * - document.ts: a file's mapping, parsed or from a cache of parses;
 * - layers.ts: `loadConfig`, each setting from flag > env > files > default;
 * - check-lists.ts: `required:` and `deployments:` for `check`.
 * This module is their one import for the rest of the program.
 */
export * from './config/settings.js';
export * from './config/value-rules.js';
export * from './config/discovery.js';
export * from './config/file.js';
export * from './config/document.js';
export * from './config/layers.js';
export * from './config/check-lists.js';

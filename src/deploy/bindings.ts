import { UsageError } from '../errors.js';
import { isStoredKey, isValidKey, KEY_RULE } from '../core/scope.js';

/** A secret KEY and the environment variable it is handed over as (`--only KEY=ENV`, `--file KEY=ENV`). */
export interface Binding {
  key: string;
  env: string;
}

/**
 * `KEY` or `KEY=OTHER` (OTHER is KEY when not given), both valid variable names: the words of `--only`,
 * `--file` and `--expand`. `other`: what OTHER is in a message, and in the hint's `KEY=<placeholder>`.
 * KEY may be any stored key, so `--only _=NAME` renames a `_` stored before the KEY rule refused it.
 */
export function parseKeyPair(spec: string, flag: string, other: { what: string; placeholder: string }): [key: string, other: string] {
  const eq = spec.indexOf('=');
  const key = eq < 0 ? spec : spec.slice(0, eq);
  const second = eq < 0 ? spec : spec.slice(eq + 1);
  for (const [what, name, valid] of [
    ['key', key, isStoredKey],
    [other.what, second, isValidKey],
  ] as const) {
    if (!valid(name)) {
      throw new UsageError(`${flag} ${JSON.stringify(spec)}: invalid ${what} ${JSON.stringify(name)}: use ${KEY_RULE}`, `write ${flag} KEY or ${flag} KEY=${other.placeholder}`);
    }
  }
  return [key, second];
}

/** `KEY` or `KEY=ENV`; both must be valid variable names. */
export function parseBinding(spec: string, flag: string): Binding {
  const [key, env] = parseKeyPair(spec, flag, { what: 'variable name', placeholder: 'NAME' });
  return { key, env };
}

/**
 * Variables a secret must not set by accident: they decide what runs, where it looks, what it loads, or
 * how a shell behaves. Matched exactly (environment names are case-sensitive on Linux and macOS).
 */
const RESERVED = new Set([
  // Every shell sets `_` itself (the last argument, the program run): a value given to it is lost.
  '_',
  'PATH',
  'HOME',
  'SHELL',
  'PWD',
  'OLDPWD',
  'USER',
  'LOGNAME',
  'TERM',
  'IFS',
  'ENV',
  'BASH_ENV',
  'PS1',
  'PS2',
  'PS4',
  'PROMPT_COMMAND',
  'SHELLOPTS',
  'BASHOPTS',
  'CDPATH',
  'GLOBIGNORE',
  'TMPDIR',
  'NODE_OPTIONS',
  'NODE_PATH',
  'PYTHONPATH',
  'PYTHONHOME',
  'PYTHONSTARTUP',
  'PERL5OPT',
  'PERL5LIB',
  'RUBYOPT',
  'RUBYLIB',
  'JAVA_TOOL_OPTIONS',
  '_JAVA_OPTIONS',
]);
/** Dynamic loader variables (LD_PRELOAD, DYLD_INSERT_LIBRARIES, ...) and exported bash functions. */
const RESERVED_PREFIXES = ['LD_', 'DYLD_', 'BASH_FUNC_'];

export function isReserved(name: string): boolean {
  return RESERVED.has(name) || RESERVED_PREFIXES.some((p) => name.startsWith(p));
}

/**
 * Refuses reserved names among `names`, with one error naming them all. `how` says how they were to be
 * set (`from secrets`, `with --format shell`), `hint` what to do instead.
 */
export function refuseReserved(names: Iterable<string>, how: string, hint: string): void {
  const reserved = [...names].filter(isReserved);
  if (reserved.length > 0) {
    throw new UsageError(`refusing to set reserved variable${reserved.length === 1 ? '' : 's'} ${reserved.join(', ')} ${how}`, hint);
  }
}

/**
 * Variables that unlock the store: never handed to a child of `run` nor written by `export`.
 * SCOPED_LOCAL_KEY decrypts every scope of the local store; a child that needs secrets gets them from
 * `run` itself, chosen by scope. (docs/deployments.md: "What the child inherits".)
 */
export const WITHHELD_VARIABLES: readonly string[] = ['SCOPED_LOCAL_KEY'];

/**
 * An environment with no prototype: a variable named `__proto__` is a variable like any other, and
 * `toString` is not there unless someone set it.
 */
export function emptyEnv(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/** The parent's environment minus what unlocks the store. */
export function inheritedEnv(parent: Record<string, string | undefined>): Record<string, string> {
  const env = emptyEnv();
  for (const [k, v] of Object.entries(parent)) if (v !== undefined && !WITHHELD_VARIABLES.includes(k)) env[k] = v;
  return env;
}

/** A secret may not be handed over under a withheld name either: it would replace the key a child's own `scoped` uses. */
export function refuseWithheld(names: Iterable<string>, where: string): void {
  const bad = [...names].filter((n) => WITHHELD_VARIABLES.includes(n));
  if (bad.length > 0) {
    throw new UsageError(
      `refusing to set ${bad.join(', ')} ${where}: it would replace the key that unlocks the store`,
      'rename it with --only KEY=NAME or leave it out with --only',
    );
  }
}

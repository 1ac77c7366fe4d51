import { UsageError } from '../errors.js';

/**
 * The settings table: what a setting is called in a file, the environment and on the command line, and
 * which of them a repository may choose; the shape of a loaded configuration.
 */

export type Backend = 'local' | 'aws';
export const BACKENDS: readonly Backend[] = ['local', 'aws'];
export const PROJECT_CONFIG = '.scoped.yaml';

/**
 * Settings a config file may hold, with their file key, env variable and flag. `shared`: a repository's
 * `.scoped.yaml` may set it. The others decide where values go and with whose credentials (an endpoint,
 * a role, a profile, the store folder), so a cloned repository must not choose them: only the user's
 * own config, the environment or a flag do.
 */
export const SETTINGS = {
  org: { file: 'org', env: ['SCOPED_ORG'], flag: '--org', shared: true },
  backend: { file: 'backend', env: ['SCOPED_BACKEND'], flag: '--backend', shared: true },
  prefix: { file: 'prefix', env: ['SCOPED_PREFIX'], flag: '--prefix', shared: true },
  project: { file: 'project', env: ['SCOPED_PROJECT'], flag: '--project', shared: true },
  domain: { file: 'domain', env: ['SCOPED_DOMAIN'], flag: '--domain', shared: true },
  home: { file: 'home', env: ['SCOPED_HOME'], flag: undefined, shared: false },
  profile: { file: 'profile', env: ['AWS_PROFILE'], flag: '--profile', shared: false },
  region: { file: 'region', env: ['AWS_REGION', 'AWS_DEFAULT_REGION'], flag: '--region', shared: true },
  // Replica regions to read from, in order (the first is the primary, where writes go).
  regions: { file: 'regions', env: ['SCOPED_REGIONS'], flag: '--regions', shared: true },
  endpointUrl: { file: 'endpoint-url', env: ['AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_ENDPOINT_URL'], flag: '--endpoint-url', shared: false },
  roleArn: { file: 'role-arn', env: ['SCOPED_ROLE_ARN'], flag: '--role-arn', shared: false },
  timeout: { file: 'timeout', env: ['SCOPED_TIMEOUT'], flag: '--timeout', shared: true },
  // Values kept on this machine (encrypted): the user's choice, never a repository's.
  cache: { file: 'cache', env: ['SCOPED_CACHE'], flag: '--cache', shared: false },
  cacheMaxSize: { file: 'cache-max-size', env: ['SCOPED_CACHE_MAX_SIZE'], flag: undefined, shared: false },
  fallback: { file: 'fallback', env: ['SCOPED_FALLBACK'], flag: '--fallback', shared: false },
  maxAge: { file: 'max-age', env: ['SCOPED_MAX_AGE'], flag: '--max-age', shared: false },
  offline: { file: 'offline', env: ['SCOPED_OFFLINE'], flag: '--offline', shared: false },
} as const;
export type SettingName = keyof typeof SETTINGS;

export interface Sourced<T> {
  value: T;
  /** `flag --org`, `env SCOPED_ORG`, `file /x/.scoped.yaml`, `default` */
  source: string;
}

export interface Config {
  org: Sourced<string>;
  backend: Sourced<Backend>;
  prefix: Sourced<string>;
  /** Deployment defaults; management commands ignore these and use their flags only. */
  project: Sourced<string | undefined>;
  domain: Sourced<string | undefined>;
  home: Sourced<string>;
  profile: Sourced<string | undefined>;
  region: Sourced<string | undefined>;
  /** `--regions a,b`: reads fail over from one to the next on 5xx/throttling/timeout; writes go to the first. */
  regions: Sourced<string[] | undefined>;
  endpointUrl: Sourced<string | undefined>;
  roleArn: Sourced<string | undefined>;
  /** Seconds a command may spend on the backend (AWS) in all, retries included. */
  timeout: Sourced<number>;
  /** Values read by version id kept encrypted under $XDG_CACHE_HOME/scoped (store/cache/). */
  cache: Sourced<boolean>;
  /** Bytes the value cache may hold before the least recently used values go. */
  cacheMaxSize: Sourced<number>;
  /** A deployment's last-known-good values are kept, and used when the backend is unavailable. */
  fallback: Sourced<boolean>;
  /** Milliseconds: a last-known-good snapshot older than this is never used (undefined: no bound). */
  maxAge: Sourced<number | undefined>;
  /** Read only the last-known-good snapshot: no request at all. */
  offline: Sourced<boolean>;
  /** Config files that were read, most specific first. */
  files: string[];
}

export type FlagValues = Partial<Record<SettingName, string | undefined>>;

/**
 * The settings every command takes as a global flag (`--org`, `--region`, ...): all those with a flag but
 * --project/--domain, which only the commands that use them define. Keyed by commander's attribute name.
 */
export const GLOBAL_SETTINGS = [
  'org',
  'backend',
  'prefix',
  'profile',
  'region',
  'regions',
  'endpointUrl',
  'roleArn',
  'timeout',
  'cache',
  'fallback',
  'maxAge',
  'offline',
] as const satisfies readonly SettingName[];
export type GlobalSettingName = (typeof GLOBAL_SETTINGS)[number];

/** The global settings' flag values out of parsed options (the command line's, or a completion line's). */
export function globalFlagValues(values: Readonly<Partial<Record<GlobalSettingName, unknown>>>): Partial<Record<GlobalSettingName, string>> {
  const flags: Partial<Record<GlobalSettingName, string>> = {};
  for (const name of GLOBAL_SETTINGS) {
    const v = values[name];
    if (typeof v === 'string') flags[name] = v;
    // A switch (`--cache`, `--fallback`, `--offline`): given is on.
    else if (v === true) flags[name] = 'true';
  }
  return flags;
}

/** The settings only the aws backend uses. */
export const AWS_ONLY_SETTINGS = ['profile', 'region', 'regions', 'endpointUrl', 'roleArn'] as const satisfies readonly SettingName[];

/**
 * A flag given on the command line asks for something in this run, so one the chosen backend cannot honour
 * (`--region` on the local store) is refused, naming the flag and the backend, before anything is read or
 * written. The same settings from the environment or a config file are ambient (a CI job's AWS_REGION)
 * and are not refused. `commandFlags`: a command's own aws-only flags that were given (`--kms-key-id`).
 */
export function refuseUnusableFlags(config: Config, commandFlags: readonly string[] = []): void {
  if (config.backend.value === 'aws') return;
  const given = AWS_ONLY_SETTINGS.filter((name) => config[name].source.startsWith('flag')).map((name) => SETTINGS[name].flag);
  const flags = [...given, ...commandFlags];
  if (flags.length === 0) return;
  const backend = `${config.backend.value}${config.backend.source === 'default' ? ' (the default)' : ` (from ${config.backend.source})`}`;
  throw new UsageError(
    `${flags.join(', ')} ${flags.length === 1 ? 'applies' : 'apply'} to the aws backend only, and the backend is ${backend}`,
    `drop ${flags.length === 1 ? 'it' : 'them'}, or add --backend aws`,
  );
}

/**
 * `--offline` (or SCOPED_OFFLINE, `offline:`) promises no request to Secrets Manager. run, export and render
 * keep it by reading a deployment's last-known-good values and never asking for the store; any other
 * command that asks for the AWS store would send requests (a write too), so it is refused before it does.
 */
export function refuseOffline(config: Config): void {
  if (!config.offline.value || config.backend.value !== 'aws') return;
  const source = config.offline.source;
  const given = source.startsWith('flag') ? '--offline' : `offline (from ${source})`;
  throw new UsageError(
    `${given} sends no request to Secrets Manager, and this command needs one`,
    'only run, export and render read offline (last-known-good values); leave offline out for this command',
  );
}

/** Runs a name check; a failure names where the value came from (env, file), unless it was a flag. */
export function validateWithSource(check: () => unknown, source: string): void {
  try {
    check();
  } catch (err) {
    if (err instanceof UsageError && source !== 'default' && !source.startsWith('flag')) {
      throw new UsageError(`${err.message} (from ${source})`, err.hint);
    }
    throw err;
  }
}

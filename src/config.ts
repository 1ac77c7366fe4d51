import { lstatSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.js';
import { parseConfig, readConfigText } from './config-file.js';
import { DEFAULT_PREFIX } from './core/naming.js';
import { validateKey, validateName } from './core/scope.js';
import { parseDeploymentAddress, type DeploymentAddress } from './core/address.js';

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
  endpointUrl: { file: 'endpoint-url', env: ['AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_ENDPOINT_URL'], flag: '--endpoint-url', shared: false },
  roleArn: { file: 'role-arn', env: ['SCOPED_ROLE_ARN'], flag: '--role-arn', shared: false },
  timeout: { file: 'timeout', env: ['SCOPED_TIMEOUT'], flag: '--timeout', shared: true },
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
  endpointUrl: Sourced<string | undefined>;
  roleArn: Sourced<string | undefined>;
  /** Seconds a command may spend on the backend (AWS) in all, retries included. */
  timeout: Sourced<number>;
  /** Config files that were read, most specific first. */
  files: string[];
}

export type FlagValues = Partial<Record<SettingName, string | undefined>>;

/**
 * The settings every command takes as a global flag (`--org`, `--region`, ...): all those with a flag but
 * --project/--domain, which only the commands that use them define. Keyed by commander's attribute name.
 */
export const GLOBAL_SETTINGS = ['org', 'backend', 'prefix', 'profile', 'region', 'endpointUrl', 'roleArn', 'timeout'] as const satisfies readonly SettingName[];
export type GlobalSettingName = (typeof GLOBAL_SETTINGS)[number];

/** The global settings' flag values out of parsed options (the command line's, or a completion line's). */
export function globalFlagValues(values: Readonly<Partial<Record<GlobalSettingName, unknown>>>): Partial<Record<GlobalSettingName, string>> {
  const flags: Partial<Record<GlobalSettingName, string>> = {};
  for (const name of GLOBAL_SETTINGS) {
    const v = values[name];
    if (typeof v === 'string') flags[name] = v;
  }
  return flags;
}

interface FileLayer {
  path: string;
  values: Partial<Record<SettingName, string>>;
}

/**
 * Whether a config file is there, a link included whatever it points to: a dangling `.scoped.yaml` link
 * is a fault to name, not a file to pass over silently (its settings would be lost without a word).
 */
function present(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false; // a folder on the way that cannot be read: nothing there for us
  }
}

/** `.scoped.yaml` in the working directory or the nearest folder above it. */
export function findProjectConfig(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    const candidate = join(dir, PROJECT_CONFIG);
    if (present(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function userConfigPath(env: Record<string, string | undefined>): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'scoped', 'config.yaml');
}

export function defaultHome(env: Record<string, string | undefined>): string {
  const base = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(base, 'scoped');
}

/**
 * Config files already parsed, by their exact text (the same text parses the same): a Tab keeps them
 * between runs (completion/config-cache.ts) so that it need not load the YAML library. Commands parse.
 */
export interface ParsedConfigs {
  /** The parsed document of exactly this text, or undefined. */
  get(text: string): unknown;
  set(text: string, doc: unknown): void;
}

/**
 * A config file's mapping (empty when the file is empty). `keep`: call it once the mapping has passed
 * its checks, to keep a fresh parse in `parsed` (nothing to do for one read back from there).
 */
async function readDoc(path: string, parsed: ParsedConfigs | undefined): Promise<{ doc: Record<string, unknown>; keep: () => void }> {
  const text = readConfigText(path);
  let doc = parsed?.get(text);
  let keep = (): void => undefined;
  if (doc === undefined) {
    const fresh = await parseConfig(path, text);
    doc = fresh;
    keep = () => parsed?.set(text, fresh);
  }
  if (doc === null || doc === undefined) return { doc: {}, keep };
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new UsageError(`config file ${path} must be a YAML mapping`);
  return { doc: doc as Record<string, unknown>, keep };
}

/** `shared`: a `.scoped.yaml` found in the working tree, which may set only shared settings. */
async function readLayer(path: string, shared: boolean, parsed: ParsedConfigs | undefined): Promise<FileLayer> {
  const { doc, keep } = await readDoc(path, parsed);
  const byFileKey = new Map(Object.entries(SETTINGS).map(([name, s]) => [s.file as string, name as SettingName]));
  const values: FileLayer['values'] = {};
  for (const [k, v] of Object.entries(doc)) {
    if (isListField(k)) {
      listField(path, k, v); // checked here too, so a bad list fails every command, not only `check`
      continue;
    }
    const name = byFileKey.get(k);
    if (!name) {
      throw new UsageError(`config file ${path}: unknown setting ${JSON.stringify(k)}`, `known settings: ${[...byFileKey.keys(), ...LIST_FIELDS].join(', ')}`);
    }
    if (shared && !SETTINGS[name].shared) {
      throw new UsageError(
        `${path} sets ${k}, which a repository's ${PROJECT_CONFIG} may not choose`,
        name === 'home' ? 'set SCOPED_HOME, or home: in your user config (~/.config/scoped/config.yaml)' : 'set it in your user config (~/.config/scoped/config.yaml), the environment or a flag',
      );
    }
    if ((typeof v !== 'string' && typeof v !== 'number') || v === '') throw new UsageError(`config file ${path}: ${k} must be a non-empty string`);
    // A relative folder is relative to the file that names it, not to wherever scoped runs.
    values[name] = name === 'home' ? resolve(dirname(path), String(v)) : String(v);
  }
  // Only a file that passed its checks is kept for the next Tab.
  keep();
  return { path, values };
}

function pick(
  name: SettingName,
  flags: FlagValues,
  env: Record<string, string | undefined>,
  layers: FileLayer[],
): Sourced<string> | undefined {
  const spec = SETTINGS[name];
  const flag = flags[name];
  if (flag !== undefined && spec.flag) return { value: flag, source: `flag ${spec.flag}` };
  for (const variable of spec.env) {
    const v = env[variable];
    if (v !== undefined && v !== '') return { value: v, source: `env ${variable}` };
  }
  for (const layer of layers) {
    const v = layer.values[name];
    if (v !== undefined) return { value: v, source: `file ${layer.path}` };
  }
  return undefined;
}

/**
 * Every effective setting and where it came from:
 * flag > environment > `.scoped.yaml` found upward (or SCOPED_CONFIG) > user config > defaults.
 */
export async function loadConfig(flags: FlagValues, env: Record<string, string | undefined>, cwd: string, options: { parsed?: ParsedConfigs } = {}): Promise<Config> {
  // [path, shared]: a file named by SCOPED_CONFIG is the user's own choice; one found upward is the repository's.
  const sources: [string, boolean][] = [];
  const explicit = env.SCOPED_CONFIG;
  if (explicit) {
    const path = resolve(cwd, explicit);
    if (!present(path)) throw new UsageError(`SCOPED_CONFIG names ${path}, which does not exist`);
    sources.push([path, false]);
  } else {
    const found = findProjectConfig(cwd);
    if (found) sources.push([found, true]);
  }
  const user = userConfigPath(env);
  if (present(user)) sources.push([user, false]);
  const paths = sources.map(([path]) => path);
  const layers = await Promise.all(sources.map(([path, shared]) => readLayer(path, shared, options.parsed)));

  const get = (name: SettingName) => pick(name, flags, env, layers);
  const optional = (name: SettingName): Sourced<string | undefined> => get(name) ?? { value: undefined, source: 'default' };

  const org = get('org') ?? { value: 'default', source: 'default' };
  validateWithSource(() => validateName('org', org.value), org.source);

  const backend = get('backend') ?? { value: 'local', source: 'default' };
  if (!BACKENDS.includes(backend.value as Backend)) {
    throw new UsageError(`unknown backend ${JSON.stringify(backend.value)} (from ${backend.source})`, `use one of: ${BACKENDS.join(', ')}`);
  }

  const prefix = get('prefix') ?? { value: DEFAULT_PREFIX, source: 'default' };
  prefix.value = normalisePrefix(prefix.value, prefix.source);

  // Checked by the deployment commands that use them (`deploymentScope`): management commands ignore them.
  const project = optional('project');
  const domain = optional('domain');

  const home = get('home') ?? { value: defaultHome(env), source: 'default' };
  home.value = resolve(cwd, home.value);

  return {
    org,
    backend: backend as Sourced<Backend>,
    prefix,
    project,
    domain,
    home,
    profile: optional('profile'),
    region: optional('region'),
    endpointUrl: optional('endpointUrl'),
    roleArn: optional('roleArn'),
    timeout: parseTimeout(get('timeout')),
    files: paths,
  };
}

/** The documented default of `--timeout` / `SCOPED_TIMEOUT`. */
export const DEFAULT_TIMEOUT_SECONDS = 60;

/** Seconds, more than 0 and at most a day (decimals allowed). */
function parseTimeout(raw: Sourced<string> | undefined): Sourced<number> {
  if (raw === undefined) return { value: DEFAULT_TIMEOUT_SECONDS, source: 'default' };
  const n = /^\d+(\.\d+)?$/.test(raw.value.trim()) ? Number(raw.value) : Number.NaN;
  if (!(n > 0 && n <= 86_400)) {
    throw new UsageError(`invalid timeout ${JSON.stringify(raw.value)} (from ${raw.source})`, 'use a number of seconds from 0.1 to 86400, such as 60');
  }
  return { value: n, source: raw.source };
}

/** The settings only the aws backend uses. */
export const AWS_ONLY_SETTINGS = ['profile', 'region', 'endpointUrl', 'roleArn'] as const satisfies readonly SettingName[];

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

/** The characters Secrets Manager allows in a name. */
const PREFIX_RE = /^[A-Za-z0-9/_+=.@-]*$/;

/** What follows the prefix at most: `org/project/domain/` (63 characters each) and a KEY of 128. */
const LONGEST_SUFFIX = 3 * (63 + 1) + 128;
/** Secrets Manager's limit on a name (CreateSecret `Name`: 1 to 512 characters). */
export const MAX_NAME_CHARS = 512;
/** So that every name under it fits: a longer prefix would fail on some scopes and keys only. */
export const MAX_PREFIX_CHARS = MAX_NAME_CHARS - LONGEST_SUFFIX;

/**
 * Prefixes end with `/` so that one org never matches another by prefix. Each of its segments is a
 * name: not empty (`/x`, `a//b/`), not `.` or `..` (`./`, `x/../`, which paths, policies and people read
 * as something else), and short enough that every secret name under it stays within Secrets Manager's
 * 512 characters. Nor is it empty: names would start at the org, and on AWS every secret of the region
 * with four segments would look like one of scoped's (the environment's SCOPED_PREFIX='' is unset).
 */
export function normalisePrefix(prefix: string, source: string): string {
  const bad = (why: string, hint = 'e.g. --prefix scoped/ or --prefix team/secrets/'): UsageError =>
    new UsageError(`invalid prefix ${JSON.stringify(prefix.length > 64 ? `${prefix.slice(0, 64)}…` : prefix)} (from ${source}): ${why}`, hint);
  if (!PREFIX_RE.test(prefix)) throw bad('use letters, digits and / _ + = . @ -');
  if (prefix === '') throw bad('a prefix cannot be empty: it tells the secrets scoped owns apart from every other secret in the account', 'keep the default scoped/, or choose one such as team/secrets/');
  const full = prefix.endsWith('/') ? prefix : `${prefix}/`;
  const segments = full.slice(0, -1).split('/');
  if (segments.some((s) => s === '')) throw bad('a segment between slashes is empty (no leading slash, no //)');
  if (segments.some((s) => s === '.' || s === '..')) throw bad('a segment is . or .., which are not names');
  if (full.length > MAX_PREFIX_CHARS) {
    throw bad(`it is ${full.length} characters; at most ${MAX_PREFIX_CHARS}, so that every secret name (prefix, org, project and domain up to 63 characters each, KEY up to 128) stays within Secrets Manager's ${MAX_NAME_CHARS}`, 'choose a shorter prefix');
  }
  return full;
}

/** Lists a config file may hold for `check` (no env variable or global flag sets them). */
export const LIST_FIELDS = ['required', 'deployments'] as const;
export type ListField = (typeof LIST_FIELDS)[number];

function isListField(k: string): k is ListField {
  return (LIST_FIELDS as readonly string[]).includes(k);
}

export interface CheckLists {
  /** `required:` keys every deployment must resolve. */
  required?: Sourced<string[]>;
  /** `deployments:` the `P/D` deployments `check` looks at. */
  deployments?: Sourced<DeploymentAddress[]>;
}

/** A list field's items, validated: KEYs for `required`, `P/D` for `deployments`. */
function listField(path: string, field: ListField, v: unknown): string[] | DeploymentAddress[] {
  const example = field === 'required' ? '[DB_URL, API_TOKEN]' : '[billing/staging, billing/production]';
  if (!Array.isArray(v) || v.length === 0 || v.some((item) => typeof item !== 'string')) {
    throw new UsageError(`config file ${path}: ${field} must be a non-empty list of ${field === 'required' ? 'keys' : 'PROJECT/DOMAIN deployments'}`, `e.g. ${field}: ${example}`);
  }
  const items = v as string[];
  const check = field === 'required' ? validateKey : parseDeploymentAddress;
  return items.map((item, i) => {
    try {
      return check(item);
    } catch (err) {
      if (err instanceof UsageError) throw new UsageError(`config file ${path}: ${field}[${i}]: ${err.message}`, err.hint);
      throw err;
    }
  }) as string[] | DeploymentAddress[];
}

/** `required:` and `deployments:` from the config files read (most specific first; the first that sets one wins). */
export async function loadCheckLists(files: readonly string[]): Promise<CheckLists> {
  const lists: CheckLists = {};
  for (const path of files) {
    const { doc } = await readDoc(path, undefined);
    if (doc.required !== undefined && !lists.required) lists.required = { value: listField(path, 'required', doc.required) as string[], source: `file ${path}` };
    if (doc.deployments !== undefined && !lists.deployments) {
      lists.deployments = { value: listField(path, 'deployments', doc.deployments) as DeploymentAddress[], source: `file ${path}` };
    }
  }
  return lists;
}

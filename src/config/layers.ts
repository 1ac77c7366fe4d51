import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { DEFAULT_PREFIX } from '../core/naming.js';
import { validateName } from '../core/scope.js';
import { BACKENDS, PROJECT_CONFIG, SETTINGS, validateWithSource, type Backend, type Config, type FlagValues, type SettingName, type Sourced } from './settings.js';
import { normalisePrefix, parseCacheMaxSize, parseMaxAge, parseSwitch, parseTimeout } from './value-rules.js';
import { checkRegion, parseRegionList } from '../core/aws-partitions.js';
import { defaultHome, findProjectConfig, present, shownPath, userConfigPath } from './discovery.js';
import { readDoc, type ParseConfig, type ParsedConfigs } from './document.js';
import { isListField, LIST_FIELDS, listField } from './check-lists.js';

/** The layers of a configuration: each setting from a flag, the environment, a config file or its default. */

export interface FileLayer {
  path: string;
  values: Partial<Record<SettingName, string>>;
}

/**
 * `shared`: a `.scoped.yaml` found in the working tree, which may set only shared settings; its refusals
 * name `userConfig`, the user config file as shown (the one `userConfigPath` reads, `~` only under $HOME).
 */
async function readLayer(path: string, shared: boolean, userConfig: string, parsed: ParsedConfigs | undefined, parse: ParseConfig | undefined): Promise<FileLayer> {
  const { doc, keep } = await readDoc(path, parsed, parse);
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
        name === 'home' ? `set SCOPED_HOME, or home: in your user config (${userConfig})` : `set it in your user config (${userConfig}), the environment or a flag`,
      );
    }
    if (name === 'regions' && Array.isArray(v)) {
      values[name] = regionsFromList(path, v);
      continue;
    }
    if ((typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') || v === '') throw new UsageError(`config file ${path}: ${k} must be a non-empty string`);
    // A relative folder is relative to the file that names it, not to wherever scoped runs.
    values[name] = name === 'home' ? resolve(dirname(path), String(v)) : String(v);
  }
  // Only a file that passed its checks is kept for the next Tab.
  keep();
  return { path, values };
}

/**
 * `regions: [us-east-1, us-west-2]` (or a block list): each entry checked by the one region rule, as in the
 * comma form, then kept as that form. A checked region holds no comma, so the join loses nothing.
 */
function regionsFromList(path: string, list: unknown[]): string {
  const source = `file ${path}`;
  if (list.length === 0) {
    throw new UsageError(`config file ${path}: regions is an empty list`, 'name at least one region, the primary first (e.g. regions: [us-east-1, us-west-2]), or remove the line');
  }
  for (const entry of list) {
    if (typeof entry !== 'string') {
      const what = entry === null ? 'an empty entry' : Array.isArray(entry) ? 'a list' : typeof entry === 'object' ? 'a mapping' : `a ${typeof entry}`;
      throw new UsageError(`config file ${path}: regions lists ${what}, not a region code`, 'use region codes such as eu-west-1, e.g. regions: [us-east-1, us-west-2]');
    }
    checkRegion(entry, source);
  }
  return list.join(',');
}

function pick(name: SettingName, flags: FlagValues, env: Record<string, string | undefined>, layers: FileLayer[]): Sourced<string> | undefined {
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

export interface LoadOptions {
  /** Parses kept between runs (a Tab's cache, completion/config-cache.ts). */
  parsed?: ParsedConfigs;
  /** How a file's text is parsed (default `parseConfig`); tests count the parses. */
  parse?: ParseConfig;
}

/** The config files a command reads, found and parsed: read once per command (cli/context.ts shares them). */
export interface ConfigFiles {
  paths: string[];
  layers: FileLayer[];
}

/** The `.scoped.yaml` found upward (or SCOPED_CONFIG's file) and the user config, parsed and checked. */
export async function readConfigFiles(env: Record<string, string | undefined>, cwd: string, options: LoadOptions = {}): Promise<ConfigFiles> {
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
  const shownUser = shownPath(user, env);
  return { paths: sources.map(([path]) => path), layers: await Promise.all(sources.map(([path, shared]) => readLayer(path, shared, shownUser, options.parsed, options.parse))) };
}

/**
 * Every effective setting and where it came from:
 * flag > environment > `.scoped.yaml` found upward (or SCOPED_CONFIG) > user config > defaults.
 * `files`: the config files already read for this command (readConfigFiles), else read now.
 */
export async function loadConfig(
  flags: FlagValues,
  env: Record<string, string | undefined>,
  cwd: string,
  options: LoadOptions = {},
  files?: Promise<ConfigFiles>,
): Promise<Config> {
  const { paths, layers } = await (files ?? readConfigFiles(env, cwd, options));
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
    regions: parseRegionList(get('regions')),
    endpointUrl: optional('endpointUrl'),
    roleArn: optional('roleArn'),
    timeout: parseTimeout(get('timeout')),
    cache: parseSwitch('cache', get('cache')),
    cacheMaxSize: parseCacheMaxSize(get('cacheMaxSize')),
    fallback: parseSwitch('fallback', get('fallback')),
    maxAge: parseMaxAge(get('maxAge')),
    offline: parseSwitch('offline', get('offline')),
    files: paths,
  };
}

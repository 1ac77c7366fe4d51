import {
  globalFlagValues,
  loadConfig,
  readConfigFiles,
  refuseOffline,
  refuseUnusableFlags,
  SETTINGS,
  type Config,
  type ConfigFiles,
  type FlagValues,
  type GlobalSettingName,
  type SettingName,
} from '../config.js';
import { colorEnabled, type IO } from '../io.js';
import { UnavailableError } from '../errors.js';
import { withGivenFlags, type GivenFlags } from './given-flags.js';
import { printable } from './printable.js';
import { createStore } from '../store/create-store.js';
import type { SecretStore } from '../store/types.js';

export type OutputFormat = 'table' | 'json' | 'yaml' | 'markdown';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'yaml', 'markdown'];
/** The commands that print a markdown table with `-o markdown` (job summaries, pull-request comments). */
export const MARKDOWN_COMMANDS: readonly string[] = ['resolve', 'diff'];

/** The few styles we use. chalk is loaded only when colour is on, so piped runs never pay for it. */
export interface Style {
  bold(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
}

const PLAIN: Style = { bold: (t) => t, green: (t) => t, yellow: (t) => t, dim: (t) => t };

export async function loadStyle(enabled: boolean): Promise<Style> {
  if (!enabled) return PLAIN;
  const { Chalk } = await import('chalk');
  return new Chalk({ level: 1 });
}

/** The global options, as parsed from the command line: the global settings' flags and the rest. */
export interface GlobalOptions extends Partial<Record<GlobalSettingName, string | undefined>> {
  /** `-o`; commander's .choices() has refused anything else. */
  output?: OutputFormat | undefined;
  color: boolean;
  debug: boolean;
  quiet: boolean;
  yes: boolean;
  /** The where-flags given on the command line, for the commands hints suggest (`given-flags.ts`). */
  given?: GivenFlags | undefined;
}

/**
 * What a command's run function gets: the streams, the parsed global options, and lazily built
 * configuration and store. Nothing is loaded until a command asks for it.
 */
export class Context {
  private configPromise: Promise<Config> | undefined;
  private storePromise: Promise<SecretStore> | undefined;
  /** Lines already shown, shared with derived contexts: a warning, or a config debug line, appears once. */
  private shown = new Set<string>();
  /** The config files, read once for the command and shared with derived contexts (which layer other flags over them). */
  private files: { read?: Promise<ConfigFiles> } = {};
  private stdoutChecked = false;

  constructor(
    readonly io: IO,
    readonly global: GlobalOptions,
    /** Colour for stdout (tables), decided by the io object and the flags (see `Context.create`). */
    readonly chalk: Style = PLAIN,
    /** Colour for messages on stderr, decided by stderr's own terminal. */
    private readonly errStyle: Style = PLAIN,
    /** Deployment flags (`--project`/`--domain`) of the command, for config precedence. */
    private readonly deploymentFlags: FlagValues = {},
  ) {}

  /** Colour on a terminal only, never with NO_COLOR or --no-color. */
  static async create(io: IO, global: GlobalOptions): Promise<Context> {
    const [out, err] = await Promise.all([loadStyle(colorEnabled(io, !global.color, 'stdout')), loadStyle(colorEnabled(io, !global.color, 'stderr'))]);
    return new Context(io, global, out, err);
  }

  withDeploymentFlags(flags: FlagValues): Context {
    const derived = new Context(this.io, this.global, this.chalk, this.errStyle, flags);
    derived.shown = this.shown;
    derived.files = this.files;
    return derived;
  }

  config(): Promise<Config> {
    this.files.read ??= readConfigFiles(this.io.env, this.io.cwd);
    this.configPromise ??= loadConfig({ ...globalFlagValues(this.global), ...this.deploymentFlags }, this.io.env, this.io.cwd, {}, this.files.read).then((config) => {
      for (const [name, s] of Object.entries(config)) {
        const { value, source } = s as { value: string | number | boolean | readonly string[] | undefined; source: string };
        if (name === 'files' || value === undefined) continue;
        const line = `config ${SETTINGS[name as SettingName].file} = ${String(value)} (${source})`;
        if (!this.shown.has(line)) {
          this.shown.add(line);
          this.debug(line);
        }
      }
      return config;
    });
    return this.configPromise;
  }

  store(): Promise<SecretStore> {
    this.storePromise ??= this.config().then((config) => {
      // A command-line flag the backend cannot honour fails here, before the store reads or writes anything.
      refuseUnusableFlags(config);
      refuseOffline(config);
      return createStore(config, this.io.env, this);
    });
    return this.storePromise;
  }

  /** `-o` if given; else a table on a terminal and plain tab-separated text otherwise. */
  outputFormat(): OutputFormat | 'plain' {
    return this.global.output ?? (this.io.stdout.isTTY ? 'table' : 'plain');
  }

  /** A line that suggests a command, with the where-flags the user gave (`--org other`) in each one. */
  suggest(text: string): string {
    return withGivenFlags(text, this.global.given);
  }

  /** Data for scripts and people: stdout. */
  out(text: string | Uint8Array): void {
    // `>&-`: the data would vanish into Node's stand-in /dev/null and the command "succeed" having
    // delivered nothing. Checked once, at the first data, so commands that print none are not refused.
    if (!this.stdoutChecked) {
      this.stdoutChecked = true;
      if (this.io.stdoutClosed?.() === true) throw new UnavailableError('cannot write to stdout: it is closed', 'give the command somewhere to print (a file or a pipe)');
    }
    this.io.stdout.write(text);
  }

  /**
   * A message for people (stderr), silenced by --quiet. Every message line is made printable, as errors
   * are in `main`: a file name or key with a control character in it cannot reach the terminal or split the line.
   */
  info(line: string): void {
    if (!this.global.quiet) this.io.stderr.write(`${printable(line)}\n`);
  }

  /** A done-message with a check mark (stderr), silenced by --quiet. */
  success(line: string): void {
    if (!this.global.quiet) this.io.stderr.write(`${this.errStyle.green('✓')} ${printable(line)}\n`);
  }

  /** A warning (stderr), shown once per process; --quiet silences information, not warnings. */
  warn(line: string): void {
    if (this.shown.has(line)) return;
    this.shown.add(line);
    this.io.stderr.write(`${this.errStyle.yellow('warning:')} ${printable(line)}\n`);
  }

  /** --debug lines: names, sources, counts and timings. Never a value. */
  debug(line: string): void {
    if (this.global.debug) this.io.stderr.write(`${this.errStyle.dim(`debug: ${printable(line)}`)}\n`);
  }
}

import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { UsageError } from '../errors.js';
import { describeFsError } from '../support/fs-errors.js';
import type { Context } from '../cli/context.js';
import { defineCommand } from '../cli/define-command.js';
import { DEPLOYMENT_OPTIONS } from './options.js';
import { emptyEnv, parseBinding, inheritedEnv, type Binding } from '../deploy/bindings.js';
import { isTerminal, SignalledError, type SignalSource } from '../io.js';
import { buildShaping, refuseUnsafeExpansions, shapedValues, type Expand } from '../deploy/expand.js';
import { Masker, MIN_MASK_CHARS, maskNeedles, tooShortToMask } from '../run/mask.js';
import { refuseOutputFormat } from '../cli/output-flag.js';
import { planInjection, type InjectionPlan } from '../run/plan.js';
import type { SecretFiles } from '../run/secret-files.js';
import type { ChildOutcome } from '../run/child.js';
import type { WatchContext } from '../run/watch-loop.js';
import type { ChildProcess } from 'node:child_process';
import { scopeFlagsOf } from './scope-flags.js';
import { type ScopeFlags } from '../core/scope.js';
import { isBinary } from '../deploy/deployment-values.js';
import { deploymentSource } from '../cli/deployment-source.js';
import { fewNames } from '../support/few-names.js';
import type { SecretValue } from '../store/types.js';
import { PINNED_FLAG } from '../pin/pin-file.js';
import { buildWatchOptions, type WatchOptions } from '../run/watch-options.js';

export const runCommand = defineCommand({
  name: 'run',
  summary: "run CMD with the deployment's secrets as environment variables (exit code and signals pass through)",
  usage: '[options] -- CMD [ARGS...]',
  arguments: [['<CMD...>', 'the command and its arguments, after --']],
  examples: ['scoped run -p billing -d production -- node server.js', 'scoped run --only DB_PASSWORD=PGPASSWORD -- psql -h db.internal', 'scoped run --file TLS_KEY -- ./serve.sh'],
  options: [
    ...DEPLOYMENT_OPTIONS,
    ['--only <KEY[=ENV]>', 'only this key, optionally under another variable name (repeatable)', { repeatable: true }],
    ['--file <KEY[=ENV]>', 'this key as a file (mode 0600, private temp dir); the variable holds its path (repeatable)', { repeatable: true }],
    ['--mask', "replace secret values in the child's output with *** (default when the output is not a terminal)"],
    ['--no-mask', "do not mask the child's output (default on a terminal)"],
    ['--preserve-env', 'a variable already set in the environment keeps its value'],
    ['--expand <KEY[=PREFIX]>', 'a JSON-object value as one variable per top-level field, PREFIX_FIELD (repeatable)', { repeatable: true }],
    ['--exclude <KEY>', 'leave this key out (repeatable)', { repeatable: true }],
    PINNED_FLAG,
    ['--watch', 're-check the deployment every --interval and restart the child (or send it --signal) when a value changes'],
    ['--interval <DURATION>', '--watch: time between re-checks (default 60s; e.g. 30s, 5m)'],
    ['--jitter <DURATION>', '--watch: a random extra wait up to this, so a fleet does not restart at once (default a tenth of --interval)'],
    ['--signal <SIG>', '--watch: on a change send SIG (e.g. HUP) to the child instead of restarting it'],
    ['--grace <DURATION>', '--watch: on a restart, how long the child has after SIGTERM before SIGKILL (default 10s)'],
  ],
  // The global -o has nothing to choose for `run`.
  build: (args, flags, global): RunOptions => {
    refuseOutputFormat(global.output, 'run', "its output is the command's own");
    const [command, ...rest] = args;
    if (command === undefined || command === '') throw new UsageError('no command to run', 'e.g. scoped run -- ./deploy.sh');
    const only = bindings(flags.only, '--only');
    const files = bindings(flags.file, '--file');
    const { expand, exclude } = buildShaping(flags.expand, flags.exclude, only, files);
    const watch = buildWatchOptions(flags, flags.pinned);
    return { ...scopeFlagsOf(flags), command, args: rest, only, files, mask: flags.mask, preserveEnv: flags.preserveEnv === true, expand, exclude, pinned: flags.pinned, watch };
  },
  run: runRun,
  configure: (cmd) => exclusiveFlags(cmd, '--mask', '--no-mask'),
});

export interface RunOptions extends ScopeFlags {
  command: string;
  args: string[];
  only: Binding[];
  files: Binding[];
  /** --mask / --no-mask; undefined: mask each stream that is not a terminal. */
  mask: boolean | undefined;
  preserveEnv: boolean;
  expand: Expand[];
  exclude: string[];
  /** --pinned FILE */
  pinned?: string | undefined;
  /** --watch and its settings. */
  watch?: WatchOptions | undefined;
}

function bindings(value: string[] | undefined, flag: string): Binding[] {
  const specs = [...new Set(value ?? [])];
  return specs.map((s) => parseBinding(s, flag));
}

const spec = (flag: string, b: Binding): string => `${flag} ${b.key}${b.env === b.key ? '' : `=${b.env}`}`;

/**
 * `--only K --file K=F` with K binary: the environment cannot carry it, and the file the user already
 * asked for does; say so, rather than suggest the --file that was given.
 */
function refuseBinaryGivenAsFile(values: Map<string, SecretValue>, only: Binding[], files: Binding[]): void {
  const asFile = new Map(files.map((b) => [b.key, b]));
  const both = only.filter((b) => asFile.has(b.key) && isBinary(values.get(b.key) ?? ''));
  const first = both[0];
  if (first === undefined) return;
  const keys = both.map((b) => b.key);
  const rest = only.length === both.length ? ' (with no --only, every other visible key is set too)' : '';
  throw new UsageError(
    `${fewNames(keys)} ${keys.length === 1 ? 'holds' : 'hold'} binary data, which an environment variable cannot carry`,
    `${spec('--file', asFile.get(first.key) as Binding)} hands ${first.key} over as a file already: leave out ${spec('--only', first)}${rest}`,
  );
}

/** Names only: which parent variables the secrets replace, or which the parent keeps. */
function reportOverrides(ctx: Context, plan: InjectionPlan): void {
  if (plan.overridden.length > 0) {
    ctx.info(`secrets override ${fewNames(plan.overridden)} from the environment (--preserve-env keeps the environment's)`);
  }
  if (plan.kept.length > 0) ctx.info(`keeping ${fewNames(plan.kept)} from the environment (--preserve-env)`);
}

function childEnv(parent: Record<string, string>, plan: InjectionPlan, files: SecretFiles | undefined): Record<string, string> {
  const env = Object.assign(emptyEnv(), parent);
  for (const [k, v] of plan.env) env[k] = v;
  for (const [k, path] of files?.paths ?? []) env[k] = path;
  return env;
}

function maskers(ctx: Context, o: RunOptions, plan: InjectionPlan, storeKey: string[]): { stdout?: Masker; stderr?: Masker } {
  // Output to /dev/null reaches no one: the child writes there itself, unmasked.
  const mask = (name: 'stdout' | 'stderr'): boolean => ctx.io.discards?.(name) !== true && (o.mask ?? !isTerminal(ctx.io, name));
  const on = { stdout: mask('stdout'), stderr: mask('stderr') };
  const secrets = [...plan.env.values(), ...plan.files.map((f) => f.value), ...storeKey];
  const needles = maskNeedles(secrets);
  ctx.debug(`masking stdout ${on.stdout ? 'on' : 'off'}, stderr ${on.stderr ? 'on' : 'off'}; ${needles.length} pattern(s)`);
  if (on.stdout || on.stderr) {
    const short = [...plan.env].filter(([, v]) => v !== '' && tooShortToMask(v)).map(([k]) => k);
    if (short.length > 0) ctx.warn(`not masked, shorter than ${MIN_MASK_CHARS} characters: ${fewNames(short)}`);
  }
  if (needles.length === 0) return {};
  return { ...(on.stdout && { stdout: new Masker(needles) }), ...(on.stderr && { stderr: new Masker(needles) }) };
}

/** Where no signal comes from (an IO without `signals`: a test's). */
const NO_SIGNALS: SignalSource = { on: () => undefined, off: () => undefined };

/**
 * Runs CMD with the deployment's secrets and returns its exit code (128 + N if signal N killed it). The
 * signals it passes on come from the IO (`process` for real).
 */
export async function runRun(ctx: Context, o: RunOptions): Promise<number> {
  const io = ctx.io;
  // Loaded here, not at start-up: child_process is only for the path that spawns.
  const [{ runChild, SignalRelay }, { SecretFiles }, { storeKeyTexts }] = await Promise.all([
    import('../run/child.js'),
    import('../run/secret-files.js'),
    import('../run/store-key.js'),
  ]);
  const config = await ctx.config();
  // Each re-check asks Secrets Manager (DescribeSecret, or the pin's targets): what --offline rules out.
  if (o.watch && config.offline.value && config.backend.value === 'aws') {
    throw new UsageError(
      `--watch re-checks the deployment on Secrets Manager, and ${config.offline.source.startsWith('flag') ? '--offline' : `offline (from ${config.offline.source})`} sends no request`,
      'leave out --watch, or offline, for this line',
    );
  }
  const storeKey = storeKeyTexts(io.env, config.home.value);
  /** The deployment's values, read now, as the child's environment, files and output maskers. */
  const prepare = async () => {
    const { values, only, fields } = await shapedValues(
      deploymentSource(ctx, o),
      o.only,
      o,
      o.files.map((b) => b.key),
      o.pinned,
    );
    refuseUnsafeExpansions(o, fields, 'from secrets');
    refuseBinaryGivenAsFile(values, only, o.files);
    const plan = planInjection(values, { ...o, only }, io.env);
    return { plan, masks: maskers(ctx, o, plan, storeKey) };
  };
  const first = await prepare();
  reportOverrides(ctx, first.plan);
  const relay = new SignalRelay(io.signals ?? NO_SIGNALS, !(io.stdinIsTTY || isTerminal(io, 'stdout') || isTerminal(io, 'stderr')));
  const running: SecretFiles[] = [];
  /**
   * A signal the relay caught before any child existed (`--watch` re-checks the deployment first): scoped was
   * told to stop before CMD started. It ends as that signal would have ended it without the relay: 128 + N, one
   * line, no child started, and it wins over a failure on the way (a file that cannot be written, CMD not found).
   */
  const signalledBeforeStart = (): SignalledError | undefined => {
    const sig = relay.caughtBeforeChild();
    return sig && new SignalledError(sig, `starting ${JSON.stringify(o.command)}`, 'the command was not run');
  };
  /** Starts the child with these values; `started` gets the process once it runs. */
  const start = (p: Prepared, started?: (child: ChildProcess) => void): Promise<ChildOutcome> => {
    const signalled = signalledBeforeStart();
    if (signalled) throw signalled;
    const files = SecretFiles.create(p.plan.files);
    if (files) running.push(files);
    ctx.debug(`${p.plan.env.size} variable(s), ${p.plan.files.length} file(s); running ${JSON.stringify(o.command)} with ${o.args.length} argument(s)`);
    const spec = { command: o.command, args: o.args, env: childEnv(inheritedEnv(io.env), p.plan, files), cwd: io.cwd };
    return runChild(spec, io, p.masks, relay, started).finally(() => {
      if (!files) return;
      files.dispose();
      running.splice(running.indexOf(files), 1);
    });
  };
  try {
    const outcome = o.watch ? await (await import('../run/watch-loop.js')).watchChild(watchContext(ctx, o), o, o.watch, { first, prepare, start }) : await start(first);
    if (!outcome.started) {
      const signalled = signalledBeforeStart();
      if (signalled) throw signalled;
      const notFound = outcome.error.code === 'ENOENT';
      io.stderr.write(`scoped: cannot run ${JSON.stringify(o.command)}: ${notFound ? 'command not found' : `not executable (${describeFsError(outcome.error)})`}\n`);
      return notFound ? 127 : 126;
    }
    ctx.debug(`child exited with code ${outcome.exitCode}`);
    return outcome.exitCode;
  } catch (err) {
    throw signalledBeforeStart() ?? err;
  } finally {
    relay.dispose();
    for (const files of running) files.dispose();
  }
}

/** The loop's view of the Context: where it says things and what it re-checks. */
function watchContext(ctx: Context, o: RunOptions): WatchContext {
  return { io: ctx.io, debug: (l) => ctx.debug(l), info: (l) => ctx.info(l), source: () => deploymentSource(ctx, o) };
}

/** What one start of the child needs: its injection plan and the maskers built from its values. */
export interface Prepared {
  plan: InjectionPlan;
  masks: { stdout?: Masker; stderr?: Masker };
}

/**
 * commander stores `--x` and `--no-x` in one value, so the last of the two would win silently; they are
 * told apart by the event each one fires as it is parsed.
 */
export function exclusiveFlags(cmd: CommandUnknownOpts, a: string, b: string): void {
  const seen = new Set<string>();
  for (const flag of [a, b]) {
    cmd.on(`option:${flag.replace(/^--/, '')}`, () => {
      seen.add(flag);
      if (seen.size > 1) cmd.error(`error: option '${a}' cannot be used with option '${b}'; give one`, { code: 'commander.conflictingOption' });
    });
  }
}

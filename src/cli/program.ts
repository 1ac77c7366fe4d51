import { Command, Option, type CommandUnknownOpts } from '@commander-js/extra-typings';
import type { IO } from '../io.js';
import { Context, MARKDOWN_COMMANDS, OUTPUT_FORMATS, type GlobalOptions, type OutputFormat } from './context.js';
import { BACKENDS, globalFlagValues } from '../config.js';
import { UsageError } from '../errors.js';
import type { Program } from './program-types.js';
import { withExamples } from './help.js';
import { helpWidth, renderHelp } from './help-text.js';
import { closest, didYouMean, suggestOption } from './suggest.js';
import { commandSpec } from '../completion/tree.js';
import { givenWords, withGivenFlags, type CommandWords, type GivenFlags } from './given-flags.js';
import { guardValueFlags } from '../commands/options.js';
import type { DefinedCommand } from './define-command.js';

/**
 * A command as the list knows it before its module is loaded: the words that name it on a command line
 * (its verb, name and aliases) and how to load its definition. Loading a command module evaluates it and
 * what only it imports, so a line loads only its own (loadProgram).
 */
export interface CommandEntry {
  /** The verb this command is the resource of (`get` of `get secret`). */
  readonly verb?: string;
  /** Its name under the verb or the root; none for a verb's own action (`rollback --pinned`). */
  readonly name?: string;
  readonly aliases?: readonly string[];
  readonly load: () => Promise<DefinedCommand>;
}

/**
 * Every command, in the order help lists them (a verb such as `create` appears where its first resource
 * does). A command file exports its definition (cli/define-command.ts); adding its entry here is all it
 * takes (test/cli/lean-hot-path.test.ts holds each entry's words equal to its definition's).
 */
export const COMMANDS: readonly CommandEntry[] = [
  { verb: 'create', name: 'secret', load: async () => (await import('../commands/create-secret.js')).createSecretCommand },
  { verb: 'update', name: 'secret', load: async () => (await import('../commands/update-secret.js')).updateSecretCommand },
  { verb: 'get', name: 'secret', aliases: ['secrets'], load: async () => (await import('../commands/get-secret.js')).getSecretCommand },
  { verb: 'delete', name: 'secret', load: async () => (await import('../commands/delete-secret.js')).deleteSecretCommand },
  { verb: 'restore', name: 'secret', load: async () => (await import('../commands/restore-secret.js')).restoreSecretCommand },
  { name: 'resolve', load: async () => (await import('../commands/resolve.js')).resolveCommand },
  { verb: 'config', name: 'show', load: async () => (await import('../commands/config-show.js')).configShowCommand },
  { name: 'policy', load: async () => (await import('../commands/policy.js')).policyCommand },
  { name: 'run', load: async () => (await import('../commands/run.js')).runCommand },
  { name: 'export', load: async () => (await import('../commands/export.js')).exportCommand },
  { name: 'render', load: async () => (await import('../commands/render.js')).renderCommand },
  { verb: 'set', name: 'secret', load: async () => (await import('../commands/set-secret.js')).setSecretCommand },
  { name: 'import', load: async () => (await import('../commands/import.js')).importCommand },
  { verb: 'copy', name: 'secret', load: async () => (await import('../commands/copy-secret.js')).copySecretCommand },
  { verb: 'link', name: 'secret', load: async () => (await import('../commands/link-secret.js')).linkSecretCommand },
  { name: 'pin', load: async () => (await import('../commands/pin.js')).pinCommand },
  { verb: 'history', name: 'secret', load: async () => (await import('../commands/history.js')).historySecretCommand },
  { verb: 'rollback', name: 'secret', load: async () => (await import('../commands/rollback.js')).rollbackSecretCommand },
  { verb: 'rollback', load: async () => (await import('../commands/rollback.js')).rollbackPinnedCommand },
  { name: 'completion', load: async () => (await import('../commands/completion.js')).completionCommand },
  { name: '__complete', load: async () => (await import('../commands/completion.js')).completeCommand },
  { name: 'diff', load: async () => (await import('../commands/diff.js')).diffCommand },
  { name: 'check', load: async () => (await import('../commands/check.js')).checkCommand },
  { name: 'refs', load: async () => (await import('../commands/refs.js')).refsCommand },
  { name: 'cache', load: async () => (await import('../commands/cache.js')).cacheCommand },
];

/**
 * The entries a command line needs: its command's (every resource of a verb: a wrong resource is then
 * told apart from the verb's own), found as commander finds it, after the global options `root` defines.
 * Undefined when that is not plain (no command, an unknown word, a flag this cannot read): then every
 * command is loaded, as help, suggestions and commander's errors need them all.
 */
export function entriesFor(argv: readonly string[], root: CommandUnknownOpts, entries: readonly CommandEntry[] = COMMANDS): CommandEntry[] | undefined {
  const flags = new Map<string, boolean | undefined>();
  // true: takes a value; false: a switch; undefined: an optional value (read as commander reads it: not here).
  for (const o of root.options) for (const f of [o.long, o.short]) if (f !== undefined) flags.set(f, o.optional ? undefined : o.required);
  let i = 0;
  while (i < argv.length) {
    const word = argv[i] as string;
    if (!word.startsWith('-')) break;
    const [flag = word, value] = word.startsWith('--') ? word.split('=', 2) : [word];
    const takes = flags.get(flag);
    if (takes === undefined || (takes === false && value !== undefined)) return undefined;
    i += takes && value === undefined ? 2 : 1;
  }
  const first = argv[i];
  if (first === undefined) return undefined;
  const mine = entries.filter((e) => (e.verb === undefined ? e.name === first || e.aliases?.includes(first) === true : e.verb === first));
  return mine.length > 0 ? mine : undefined;
}

/** The verbs (`create`, `get`, ...): the commands whose resources are commands of their own. */
const VERB_NAMES: ReadonlySet<string> = new Set(COMMANDS.flatMap((e) => (e.verb === undefined ? [] : [e.verb])));

/** Loads the definitions of these entries (all by default), in the list's order. */
export function loadCommands(entries: readonly CommandEntry[] = COMMANDS): Promise<DefinedCommand[]> {
  return Promise.all(entries.map((e) => e.load()));
}

/** The tree for this command line: its own command only when the line names one plainly (entriesFor). */
export async function loadProgram(io: IO, version: string, argv: readonly string[]): Promise<Program> {
  const program = newProgram(io, version);
  return withCommands(program, await loadCommands(entriesFor(argv, program.root)));
}

/** The whole tree: help, completion and the tree's data. */
export async function fullProgram(io: IO, version: string): Promise<Program> {
  return buildProgram(io, version, await loadCommands());
}

/** Every command word of the list (names and aliases), as commandWords(root) reads them from the whole tree. */
export function listWords(entries: readonly CommandEntry[] = COMMANDS): CommandWords {
  const words: Record<string, Record<string, CommandWords>> = Object.create(null) as Record<string, Record<string, CommandWords>>;
  for (const e of entries) {
    const below = e.verb === undefined ? words : (words[e.verb] ??= Object.create(null) as Record<string, CommandWords>);
    if (e.name === undefined) continue;
    for (const name of [e.name, ...(e.aliases ?? [])]) below[name] = Object.create(null) as Record<string, CommandWords>;
  }
  return words;
}

/** A tree's command words (names and aliases); the whole tree's equal listWords() (test/cli/lean-hot-path.test.ts). */
export function commandWords(cmd: CommandUnknownOpts): CommandWords {
  const words: Record<string, CommandWords> = Object.create(null) as Record<string, CommandWords>;
  for (const sub of cmd.commands) {
    const below = commandWords(sub);
    for (const name of [sub.name(), ...sub.aliases()]) words[name] = below;
  }
  return words;
}

/**
 * The where-flags given on this command line (`--org other`), for the commands hints suggest; the command
 * words from the list, since the tree holds only the line's own command (loadProgram).
 */
export function givenFlags(root: CommandUnknownOpts): GivenFlags {
  return { words: givenWords(globalFlagValues(root.opts())), commands: listWords() };
}

/** An error's hint with the where-flags of this command line in each command it suggests (for `main`). */
export function hintWithFlags(hint: string, root: CommandUnknownOpts): string {
  return withGivenFlags(hint, givenFlags(root));
}

function globalOptions(cmd: CommandUnknownOpts): GlobalOptions {
  const o = cmd.optsWithGlobals() as Record<string, unknown>;
  let root = cmd;
  while (root.parent) root = root.parent;
  return {
    ...globalFlagValues(o),
    given: givenFlags(root),
    // One of OUTPUT_FORMATS: `-o` has .choices().
    output: o.output as OutputFormat | undefined,
    color: o.color !== false,
    debug: o.debug === true,
    quiet: o.quiet === true,
    yes: o.yes === true,
  };
}

/** The specs from the root down to `cmd`, which the help renderer reads. */
function specPath(cmd: CommandUnknownOpts): ReturnType<typeof commandSpec>[] {
  const path: ReturnType<typeof commandSpec>[] = [];
  for (let c: CommandUnknownOpts | null = cmd; c; c = c.parent) path.unshift(commandSpec(c));
  return path;
}

/** A command's long and short option words (`--to`, `-p`). */
function optionWords(cmd: CommandUnknownOpts): string[] {
  return cmd.options.flatMap((o) => [o.long, o.short].filter((f): f is string => f !== undefined));
}

/**
 * `scoped copy --too x`: an option given to the verb, which has none of its own. One of a resource's own
 * options (`copy --to`) or close to one: name the resource command that takes it.
 */
function optionForVerb(verb: CommandUnknownOpts, word: string, resources: readonly CommandUnknownOpts[]): UsageError {
  const flag = word.split('=')[0] as string;
  const name = verb.name();
  const owners = resources.filter((r) => optionWords(r).includes(flag));
  if (owners.length > 0) return new UsageError(`${name} needs a resource before ${flag}${didYouMean(owners.map((r) => `${name} ${r.name()} ${flag}`))}`);
  const guesses = resources.flatMap((r) => suggestOption(flag, optionWords(r), true).map((o) => `${name} ${r.name()} ${o}`));
  if (guesses.length > 0) return new UsageError(`unknown option '${flag}' for ${name}${didYouMean(guesses)}`);
  // A global option mistyped (`--orgg`): taken anywhere on the line, so named as it is.
  const globals = verb.parent ? suggestOption(flag, optionWords(verb.parent), true) : [];
  if (globals.length > 0) return new UsageError(`unknown option '${flag}'${didYouMean(globals)}`);
  return new UsageError(`unknown option '${flag}' for ${name}`, `see: scoped ${name} --help`);
}

/** `scoped get secrte`, `scoped copy secrets A`: one line naming the resources, and the closest one. */
function unknownResource(verb: CommandUnknownOpts, words: readonly string[]): UsageError {
  const name = verb.name();
  const visible = verb.createHelp().visibleCommands(verb);
  const nouns = visible.map((c) => c.name());
  const resource = words[0];
  if (resource === undefined) return new UsageError(`${name} needs a resource: ${nouns.join(', ')}`, `see: scoped ${name} --help`);
  if (resource.startsWith('-')) return optionForVerb(verb, resource, visible);
  const guess = closest(
    resource,
    visible.flatMap((c) => [c.name(), ...c.aliases()]),
  );
  if (guess.length > 0) return new UsageError(`unknown resource '${resource}' for ${name}${didYouMean(guess)}`);
  return new UsageError(`unknown resource '${resource}' for ${name}: ${nouns.join(', ')}`, `see: scoped ${name} --help`);
}

/**
 * The command tree of these commands (loadCommands: all of them, or a line's own). The command modules
 * import no SDK, prompt or table code at top level.
 */
export function buildProgram(io: IO, version: string, commands: readonly DefinedCommand[]): Program {
  return withCommands(newProgram(io, version), commands);
}

/** The root with the global options, and the verbs made on first use; no command yet. */
function newProgram(io: IO, version: string): Program {
  const root = new Command('scoped')
    .description('Secrets at org, domain, project and project+domain scope, on AWS Secrets Manager or a local encrypted store')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addHelpCommand(false)
    .showSuggestionAfterError(true)
    .usage('<command> [options]')
    // One renderer for every help (help-text.ts), also used without commander; inherited by subcommands.
    .configureHelp({ formatHelp: (cmd) => renderHelp(specPath(cmd), helpWidth(io.stdout)) })
    .option('--org <org>', 'organisation (env SCOPED_ORG; default "default")')
    .addOption(new Option('--backend <backend>', 'where secrets live (env SCOPED_BACKEND)').choices(BACKENDS))
    .option('--prefix <prefix>', 'name prefix in the backend (env SCOPED_PREFIX; default "scoped/")')
    .option('--profile <profile>', 'AWS profile (env AWS_PROFILE)')
    .option('--region <region>', 'AWS region (env AWS_REGION)')
    .option('--regions <list>', 'AWS regions to read from in order, e.g. us-east-1,us-west-2: the next on 5xx, throttling or timeout; writes go to the first (env SCOPED_REGIONS)')
    .option('--endpoint-url <url>', 'Secrets Manager endpoint (env AWS_ENDPOINT_URL_SECRETS_MANAGER)')
    .option('--role-arn <arn>', 'IAM role to assume for AWS calls')
    .option('--timeout <seconds>', 'time limit for the backend, retries included (env SCOPED_TIMEOUT; default 60)')
    .option('--cache', 'keep values read by version id, encrypted, on this machine (env SCOPED_CACHE)')
    .option('--fallback', "use a deployment's last-known-good values when the backend is unavailable (env SCOPED_FALLBACK)")
    .option('--max-age <duration>', 'oldest last-known-good values --fallback/--offline may use, e.g. 12h or 7d (env SCOPED_MAX_AGE)')
    .option('--offline', "read a deployment's last-known-good values only: no request (env SCOPED_OFFLINE)")
    .addOption(new Option('-o, --output <format>', 'output format (default: table on a terminal, plain text otherwise; markdown: resolve and diff)').choices(OUTPUT_FORMATS))
    .option('--no-color', 'no colour (also NO_COLOR)')
    .option('--debug', 'debug lines on stderr (never values) and stack traces')
    .option('-q, --quiet', 'no informational messages')
    .option('-y, --yes', 'do not ask for confirmation');
  // Options but no command (`scoped -q`, `scoped --org acme`, `scoped --`): commander's answer is the whole
  // help on stderr; one line instead, as for any usage error. (Plain `scoped` prints help on stdout: main.)
  root.on('beforeHelp', (context: { error: boolean }) => {
    if (context.error) throw new UsageError('no command given', 'see: scoped --help');
  });
  withExamples(root, [
    'scoped create secret DB_PASSWORD -p billing -d production',
    'scoped resolve -p billing -d production --explain',
    'scoped run -p billing -d production -- node server.js',
  ]);

  const verbs = new Map<string, Command>();
  const program: Program = {
    root,
    exitCode: undefined,
    action: (cmd, handler) => {
      // The arguments commander passes are ignored: positional values are read from processedArgs
      // (variadic ones flattened), options from cmd.opts(), typed as the handler expects.
      cmd.action(async () => {
        const positional = cmd.processedArgs.flatMap((a: unknown) => (a === undefined ? [] : Array.isArray(a) ? a : [a])) as string[];
        const ctx = await Context.create(io, globalOptions(cmd));
        if (ctx.global.output === 'markdown' && !MARKDOWN_COMMANDS.includes(cmd.name()))
          throw new UsageError(`-o markdown applies to ${MARKDOWN_COMMANDS.join(' and ')} only`, 'use -o json or -o yaml');
        const code = await handler(ctx, positional, cmd.opts() as Parameters<typeof handler>[2]);
        if (typeof code === 'number') program.exitCode = code;
      });
    },
    verb: (name, description) => {
      let cmd = verbs.get(name);
      if (!cmd) {
        const verb = root.command(name).description(description).helpOption('-h, --help', 'show help').addHelpCommand(false);
        verb.usage('<resource>').commandsGroup('Resources:');
        // `scoped create` alone, or with a resource we do not have: one line, not the whole help.
        // Every word after the verb reaches the action (`copy secrets A --to x`, `copy --too x`), so the
        // line names what is wrong with the first of them rather than the arguments or options after it.
        // (Set once every resource is defined, below: a subcommand copies its parent's settings when created.)
        verb.argument('[resource...]').action((words: string[]) => {
          throw unknownResource(verb, words);
        });
        cmd = verb;
        verbs.set(name, cmd);
      }
      return cmd;
    },
  };

  return program;
}

/** Adds the commands, then what applies to the whole tree. */
function withCommands(program: Program, commands: readonly DefinedCommand[]): Program {
  const root = program.root;
  for (const command of commands) command.register(program);
  // The verbs take any words (see verb()); set after their resources exist, which keep commander's checks.
  for (const verb of root.commands) if (VERB_NAMES.has(verb.name())) verb.allowUnknownOption().allowExcessArguments();
  // After every command: each value flag of the tree, the globals included, is given once and not empty.
  guardValueFlags(root);
  return program;
}

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
import { createSecretCommand } from '../commands/create-secret.js';
import { linkSecretCommand } from '../commands/link-secret.js';
import { updateSecretCommand } from '../commands/update-secret.js';
import { getSecretCommand } from '../commands/get-secret.js';
import { deleteSecretCommand } from '../commands/delete-secret.js';
import { restoreSecretCommand } from '../commands/restore-secret.js';
import { resolveCommand } from '../commands/resolve.js';
import { configShowCommand } from '../commands/config-show.js';
import { policyCommand } from '../commands/policy.js';
import { runCommand } from '../commands/run.js';
import { exportCommand } from '../commands/export.js';
import { renderCommand } from '../commands/render.js';
import { pinCommand } from '../commands/pin.js';
import { historySecretCommand } from '../commands/history.js';
import { rollbackPinnedCommand, rollbackSecretCommand } from '../commands/rollback.js';
import { completeCommand, completionCommand } from '../commands/completion.js';
import { diffCommand } from '../commands/diff.js';
import { checkCommand } from '../commands/check.js';
import { setSecretCommand } from '../commands/set-secret.js';
import { importCommand } from '../commands/import.js';
import { copySecretCommand } from '../commands/copy-secret.js';
import { refsCommand } from '../commands/refs.js';
import { guardValueFlags } from '../commands/options.js';
import type { DefinedCommand } from './define-command.js';

/**
 * Every command, in the order help lists them (a verb such as `create` appears where its first resource
 * does). A command file exports its definition (cli/define-command.ts); adding one here is all it takes.
 */
export const COMMANDS: readonly DefinedCommand[] = [
  createSecretCommand,
  updateSecretCommand,
  getSecretCommand,
  deleteSecretCommand,
  restoreSecretCommand,
  resolveCommand,
  configShowCommand,
  policyCommand,
  runCommand,
  exportCommand,
  renderCommand,
  setSecretCommand,
  importCommand,
  copySecretCommand,
  linkSecretCommand,
  pinCommand,
  historySecretCommand,
  rollbackSecretCommand,
  rollbackPinnedCommand,
  completionCommand,
  completeCommand,
  diffCommand,
  checkCommand,
  refsCommand,
];

/** The tree's command words (names and aliases), for hints that suggest a command. */
function commandWords(cmd: CommandUnknownOpts): CommandWords {
  const words: Record<string, CommandWords> = Object.create(null) as Record<string, CommandWords>;
  for (const sub of cmd.commands) {
    const below = commandWords(sub);
    for (const name of [sub.name(), ...sub.aliases()]) words[name] = below;
  }
  return words;
}

/** The where-flags given on this command line (`--org other`), for the commands hints suggest. */
export function givenFlags(root: CommandUnknownOpts): GivenFlags {
  return { words: givenWords(globalFlagValues(root.opts() as Record<string, unknown>)), commands: commandWords(root) };
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
  const guesses = resources.flatMap((r) => suggestOption(flag, optionWords(r)).map((o) => `${name} ${r.name()} ${o}`));
  if (guesses.length > 0) return new UsageError(`unknown option '${flag}' for ${name}${didYouMean(guesses)}`);
  // A global option mistyped (`--orgg`): taken anywhere on the line, so named as it is.
  const globals = verb.parent ? suggestOption(flag, optionWords(verb.parent)) : [];
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
  const guess = closest(resource, visible.flatMap((c) => [c.name(), ...c.aliases()]));
  if (guess.length > 0) return new UsageError(`unknown resource '${resource}' for ${name}${didYouMean(guess)}`);
  return new UsageError(`unknown resource '${resource}' for ${name}: ${nouns.join(', ')}`, `see: scoped ${name} --help`);
}

/**
 * The whole command tree. Building it imports only commander and the command modules (which import no
 * SDK, prompt or table code at top level), so `--help` and completion stay fast.
 */
export function buildProgram(io: IO, version: string): Program {
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
    .option('--endpoint-url <url>', 'Secrets Manager endpoint (env AWS_ENDPOINT_URL_SECRETS_MANAGER)')
    .option('--role-arn <arn>', 'IAM role to assume for AWS calls')
    .option('--timeout <seconds>', 'time limit for the backend, retries included (env SCOPED_TIMEOUT; default 60)')
    .addOption(new Option('-o, --output <format>', 'output format (default: table on a terminal, plain text otherwise; markdown: resolve and diff)').choices(OUTPUT_FORMATS))
    .option('--no-color', 'no colour (also NO_COLOR)')
    .option('--debug', 'debug lines on stderr (never values) and stack traces')
    .option('-q, --quiet', 'no informational messages')
    .option('-y, --yes', 'do not ask for confirmation');
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
        if (ctx.global.output === 'markdown' && !MARKDOWN_COMMANDS.includes(cmd.name())) throw new UsageError(`-o markdown applies to ${MARKDOWN_COMMANDS.join(' and ')} only`, 'use -o json or -o yaml');
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

  for (const command of COMMANDS) command.register(program);
  // The verbs take any words (see verb()); set after their resources exist, which keep commander's checks.
  for (const verb of verbs.values()) verb.allowUnknownOption().allowExcessArguments();
  // After every command: each value flag of the tree, the globals included, is given once and not empty.
  guardValueFlags(root);
  return program;
}

#!/usr/bin/env node
// Writes docs/commands.md, the command reference, from the command tree the build writes next to the
// bundle (dist/bundle/command-tree.json, from src/completion/write-tree.ts): the same data `--help` and
// Tab read, so the reference says what the commands say. `npm run docs` builds, then runs this;
// `node scripts/docs.mjs --check` exits 1 when docs/commands.md differs from what the tree gives
// (`--tree FILE` and `--out FILE` read and write elsewhere).
// test/docs/docs-fresh.test.ts renders the tree of the current sources the same way and fails when the
// committed file is stale. The output holds no date and no path, so the same tree gives the same bytes.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TREE_PATH = join(ROOT, 'dist', 'bundle', 'command-tree.json');
export const OUT_PATH = join(ROOT, 'docs', 'commands.md');

/**
 * Where the longer explanation of each command lives (the topic pages under docs/). A command missing
 * here gets no "More" line; add it when its page exists.
 */
const TOPICS = {
  'create secret': [
    ['Managing secrets: create secret', 'managing-secrets.md#create-secret'],
    ['Generated values', 'secrets-you-do-not-own.md#generated-values'],
  ],
  'update secret': [['Managing secrets: update secret', 'managing-secrets.md#update-secret']],
  'get secret': [
    ['Managing secrets: get secret', 'managing-secrets.md#get-secret'],
    ['Stored values on a terminal', 'managing-secrets.md#stored-values-on-a-terminal---raw'],
  ],
  'delete secret': [['Managing secrets: delete secret / restore secret', 'managing-secrets.md#delete-secret--restore-secret']],
  'restore secret': [['Managing secrets: delete secret / restore secret', 'managing-secrets.md#delete-secret--restore-secret']],
  resolve: [['Using a deployment: resolve', 'deployments.md#resolve']],
  'config show': [['Configuration', 'configuration.md']],
  policy: [
    ['AWS: IAM, scoped policy', 'aws.md#iam-scoped-policy'],
    ['CI: the runtime role', 'ci.md#the-runtime-role-scoped-policy---runtime'],
  ],
  run: [
    ['Using a deployment: run', 'deployments.md#run'],
    ['JSON-object values', 'deployments.md#json-object-values---expand-template-fields-masking'],
  ],
  export: [
    ['Using a deployment: export', 'deployments.md#export'],
    ['Export formats and their readers', 'deployments.md#export-formats-and-their-readers'],
  ],
  render: [['Using a deployment: render', 'deployments.md#render']],
  'set secret': [
    ['Importing and copying: set secret', 'import-and-copy.md#set-secret'],
    ['Generated values', 'secrets-you-do-not-own.md#generated-values'],
  ],
  import: [['Importing and copying: import', 'import-and-copy.md#import']],
  'copy secret': [['Importing and copying: copy secret', 'import-and-copy.md#copy-secret']],
  'link secret': [['Secrets you do not own: links', 'secrets-you-do-not-own.md#links']],
  pin: [
    ['Pinned releases', 'pin.md'],
    ['Pinned releases in CI', 'ci.md#pinned-releases-in-ci'],
    ['pin --protect', 'history-and-rollback.md#pin---protect'],
  ],
  'history secret': [['History and rollback: history secret', 'history-and-rollback.md#history-secret']],
  'rollback secret': [['History and rollback: rollback secret', 'history-and-rollback.md#rollback-secret']],
  rollback: [['History and rollback: rollback --pinned', 'history-and-rollback.md#rollback---pinned']],
  completion: [['Shell completion', 'completion.md']],
  diff: [['Diff and check: diff', 'diff-and-check.md#diff']],
  check: [
    ['Diff and check: check', 'diff-and-check.md#check'],
    ['check in CI', 'diff-and-check.md#check-in-ci'],
  ],
  refs: [['Deploying to ECS, Kubernetes, Flyte and GitHub Actions', 'ci.md#deploying-to-ecs-kubernetes-flyte-and-github-actions']],
};

/** Text for a markdown table cell or paragraph: markup characters and HTML brackets shown as typed. */
function text(s) {
  return s.replace(/[\\*<>|[\]`]/g, (c) => `\\${c}`).replace(/\n/g, ' ');
}

/** A flag or usage inside backticks (a `|` still ends a table cell there, so it is escaped). */
function code(s) {
  return `\`${s.replace(/\|/g, '\\|')}\``;
}

/** The heading's anchor as GitHub makes it (lower case, punctuation dropped, spaces as hyphens). */
export function slug(heading) {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function optionRow(o) {
  let what = text(o.description);
  if (o.choices?.length) what += ` (one of: ${o.choices.map((c) => code(c)).join(', ')})`;
  if (o.defaultValue !== undefined) what += ` (default: ${code(o.defaultValue)})`;
  if (o.repeatable && !/repeatable/.test(o.description) && !o.choices) what += ' (repeatable)';
  return `| ${code(o.flags)} | ${what} |`;
}

function argRow(a) {
  const name = a.variadic ? `${a.name}...` : a.name;
  const how = a.required ? 'required' : 'optional';
  const choices = a.choices?.length ? `; one of: ${a.choices.map((c) => code(c)).join(', ')}` : '';
  return `| ${code(name)} | ${how}${choices}${a.description ? `; ${text(a.description)}` : ''} |`;
}

const isHelp = (o) => o.long === '--help';

/**
 * The commands a user runs, named by their path (`create secret`, `resolve`): the leaves of the tree, and
 * a verb that takes options of its own (`rollback --pinned FILE`) before its resources.
 */
function leaves(cmd, path = []) {
  if (cmd.subcommands.length === 0) return [{ path, cmd }];
  const own = path.length > 0 && cmd.options.some((o) => !isHelp(o)) ? [{ path, cmd }] : [];
  return [...own, ...cmd.subcommands.flatMap((c) => leaves(c, [...path, c.name]))];
}

function commandSection(root, { path, cmd }) {
  const name = path.join(' ');
  const lines = [`## ${name}`, '', text(cmd.description), '', '```', `${root.name} ${name} ${cmd.usage}`.trimEnd(), '```', ''];
  if (cmd.aliases.length > 0) lines.push(`Also: ${cmd.aliases.map((a) => code(a)).join(', ')}.`, '');
  if (cmd.subcommands.length > 0) {
    const resources = cmd.subcommands.map((c) => `[${c.name}](#${slug([...path, c.name].join(' '))})`);
    lines.push(`Resources: ${resources.join(', ')}.`, '');
  } else if (cmd.args.length > 0) lines.push('| argument | what |', '|---|---|', ...cmd.args.map(argRow), '');
  const options = cmd.options.filter((o) => !isHelp(o));
  if (options.length > 0) lines.push('| option | what |', '|---|---|', ...options.map(optionRow), '');
  if (cmd.examples.length > 0) lines.push('Examples:', '', '```sh', ...cmd.examples, '```', '');
  const topics = TOPICS[name];
  if (topics) lines.push(`More: ${topics.map(([title, href]) => `[${title}](${href})`).join(' · ')}.`, '');
  return lines;
}

/** docs/commands.md for a command tree (the JSON the build writes, parsed). */
export function renderCommands(root) {
  const commands = leaves(root);
  const globals = root.options;
  const out = [
    '# Command reference',
    '',
    '<!-- Generated by `npm run docs` (scripts/docs.mjs) from the command tree; edit the command definitions, not this file. -->',
    '',
    `${text(root.description)}. This page lists every command, its arguments, options and examples, as`,
    '`scoped COMMAND --help` shows them; the longer explanations are in the topic pages linked under each',
    'command. Back to the [README](../README.md).',
    '',
    '```',
    `${root.name} ${root.usage}`,
    '```',
    '',
    ...commands.map(({ path }) => `- [${path.join(' ')}](#${slug(path.join(' '))})`),
    '- [Global options](#global-options)',
    '',
    'Examples:',
    '',
    '```sh',
    ...root.examples,
    '```',
    '',
  ];
  for (const c of commands) out.push(...commandSection(root, c));
  out.push(
    '## Global options',
    '',
    'Every command takes these, before or after its name (see [Configuration](configuration.md) for the',
    'environment variables and config file keys that set them too). Every command also takes `-h, --help`.',
    '',
    '| option | what |',
    '|---|---|',
    ...globals.map(optionRow),
    '',
  );
  return out.join('\n');
}

/** `--name VALUE` from argv, else the default (the tests point --tree and --out at a temp folder). */
function arg(name, fallback) {
  const at = process.argv.indexOf(name);
  return at > 0 && process.argv[at + 1] ? process.argv[at + 1] : fallback;
}

function readTree(path) {
  if (!existsSync(path)) {
    process.stderr.write(`docs: ${path} is missing; run npm run build first (npm run docs does)\n`);
    process.exit(2);
  }
  return JSON.parse(readFileSync(path, 'utf8'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const out = arg('--out', OUT_PATH);
  const doc = renderCommands(readTree(arg('--tree', TREE_PATH)));
  if (process.argv.includes('--check')) {
    const now = existsSync(out) ? readFileSync(out, 'utf8') : '';
    if (now !== doc) {
      process.stderr.write('docs: docs/commands.md is stale; run npm run docs and commit it\n');
      process.exit(1);
    }
  } else {
    writeFileSync(out, doc);
    process.stderr.write('docs: wrote docs/commands.md\n');
  }
}

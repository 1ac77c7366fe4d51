#!/usr/bin/env node
// The GitHub Action's one step (action.yml): `scoped check` of the required keys, `scoped export --format
// github` (every line of every value masked once it is appended to $GITHUB_ENV: before any later step), the exported names as
// the `keys` output, and the deployment's view (`resolve --explain`, or the pin's entries; never a value)
// as the job summary. Runs the bundled CLI next to it on the runner's Node: nothing is downloaded, and
// every input reaches scoped as one argv word (no shell).
'use strict';

const { spawnSync } = require('node:child_process');
const { appendFileSync, existsSync, readFileSync, statSync } = require('node:fs');
const { join, resolve } = require('node:path');

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'scoped.cjs');

const input = (name) => (process.env[`INPUT_${name.toUpperCase().replace(/-/g, '_')}`] ?? '').trim();
/** A list input: words separated by spaces, commas or line breaks. */
const list = (name) =>
  input(name)
    .split(/[\s,]+/)
    .filter((w) => w !== '');

function fail(message) {
  process.stdout.write(`::error title=scoped::${message.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')}\n`);
  process.exit(1);
}

/** The global settings as flags, only those given. */
function globalFlags() {
  const flags = [];
  for (const [name, flag] of [
    ['org', '--org'],
    ['backend', '--backend'],
    ['region', '--region'],
    ['prefix', '--prefix'],
    ['role-arn', '--role-arn'],
    ['endpoint-url', '--endpoint-url'],
    ['timeout', '--timeout'],
  ]) {
    if (input(name) !== '') flags.push(flag, input(name));
  }
  return flags;
}

function scopeFlags() {
  return [...(input('project') ? ['-p', input('project')] : []), ...(input('domain') ? ['-d', input('domain')] : [])];
}

/** Runs scoped; stdout inherited (the masks reach the runner) unless captured; stderr always the log's. */
function scoped(args, capture = false) {
  const r = spawnSync(process.execPath, [BIN, ...args], { stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) fail(`could not run scoped: ${r.error.message}`);
  if (r.status !== 0) process.exit(r.status ?? 1);
  return r.stdout;
}

/** The names `export --format github` appended: `NAME<<DELIMITER` ... `DELIMITER` blocks after byte `from`. */
function appendedNames(file, from) {
  const lines = readFileSync(file).subarray(from).toString('utf8').split('\n');
  const names = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)<<(ghadelimiter_[0-9a-f]+)$/.exec(lines[i]);
    if (!m) continue;
    names.push(m[1]);
    while (i + 1 < lines.length && lines[i + 1] !== m[2]) i++;
    i++;
  }
  return names;
}

const cell = (s) => String(s).replace(/\|/g, '\\|');
const where = (from) => [from.project && `project ${from.project}`, from.domain && `domain ${from.domain}`].filter(Boolean).join(', ') || `org ${from.org}`;
const kind = (from) => (from.project ? (from.domain ? 'project-domain' : 'project') : from.domain ? 'domain' : 'org');

/** The summary's table: one row per key, where it comes from and what it shadows. */
function summaryTable(title, rows) {
  const out = [`### ${title}`, ''];
  if (rows.length === 0) return [...out, 'No secrets visible.', ''].join('\n');
  out.push('| KEY | SCOPE | FROM | SHADOWS |', '|---|---|---|---|');
  for (const r of rows) out.push(`| \`${cell(r.key)}\` | ${r.scope} | ${cell(r.from)} | ${cell(r.shadows || '-')} |`);
  return `${out.join('\n')}\n\n`;
}

function summary(selected, excluded) {
  const keep = (key) => (selected.length === 0 || selected.includes(key)) && !excluded.includes(key);
  const pinned = input('pinned');
  if (pinned !== '') {
    const pin = JSON.parse(readFileSync(resolve(pinned), 'utf8'));
    const rows = pin.secrets
      .filter((e) => keep(e.key))
      .map((e) => ({ key: e.key, scope: kind(e.scope), from: `${where({ org: pin.org, ...e.scope })}, version ${e.versionId}`, shadows: '' }));
    return summaryTable(`scoped: ${pin.deployment.project ?? '_'}/${pin.deployment.domain ?? '_'} pinned in ${pinned} (${pin.created})`, rows);
  }
  const view = JSON.parse(scoped(['resolve', '--explain', '-o', 'json', ...scopeFlags(), ...globalFlags()], true));
  const rows = view
    .filter((r) => keep(r.key))
    .map((r) => ({ key: r.key, scope: r.scope, from: where(r.from), shadows: r.shadows.map((s) => `${s.scope} (${where(s.from)})`).join('; ') }));
  const deployment = [input('project') || '_', input('domain') || '_'].join('/');
  return summaryTable(`scoped: ${deployment}`, rows);
}

function main() {
  if (!existsSync(join(ROOT, 'dist', 'bundle', 'scoped.js'))) {
    fail('this copy of the action has no built CLI (dist/bundle/): use a release tag of the action, whose bundle is committed, or run npm run build in a checkout first');
  }
  const envFile = process.env.GITHUB_ENV;
  if (!envFile) fail('GITHUB_ENV is not set: this runs as a step of a GitHub Actions job');
  const required = list('require');
  if (required.length > 0) {
    const deployment = input('project') && input('domain') ? ['-p', input('project'), '-d', input('domain')] : [];
    scoped(['check', ...deployment, ...required.flatMap((k) => ['--require', k]), ...globalFlags()]);
  }
  const shaping = [
    ...list('only').flatMap((k) => ['--only', k]),
    ...list('expand').flatMap((k) => ['--expand', k]),
    ...list('exclude').flatMap((k) => ['--exclude', k]),
    ...(input('pinned') ? ['--pinned', input('pinned')] : []),
  ];
  const before = existsSync(envFile) ? statSync(envFile).size : 0;
  scoped(['export', '--format', 'github', ...(input('pinned') ? [] : scopeFlags()), ...shaping, ...globalFlags()]);
  const names = appendedNames(envFile, before);
  if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, `keys=${names.join(',')}\n`);
  if (input('summary') !== 'false' && process.env.GITHUB_STEP_SUMMARY) {
    const selected = [...list('only'), ...list('expand')].map((s) => s.split('=')[0]);
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, summary(list('only').length > 0 ? selected : [], list('exclude')));
  }
}

main();

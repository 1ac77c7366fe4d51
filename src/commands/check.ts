import { NotFoundError, UsageError } from '../errors.js';
import { formatDeploymentAddress, parseDeploymentAddress, type DeploymentAddress } from '../core/address.js';
import { makeScope, scopeFlags, validateKey, type ScopeFlags } from '../core/scope.js';
import { loadCheckLists, PROJECT_CONFIG } from '../config.js';
import type { Context } from '../cli/context.js';
import { printData, printRows } from '../cli/output.js';
import { defineCommand } from '../cli/define-command.js';
import { readCandidates, resolveMany } from '../service/deployment.js';
import { checkJson, checkKeys, PROBLEM_TEXT, requiredWinners, type CheckedKey } from '../diff/check.js';
import type { Candidate } from '../core/resolve.js';

export const checkCommand = defineCommand({
  name: 'check',
  summary: `every deployment resolves every required key (a CI gate): lists from ${PROJECT_CONFIG} (required:, deployments:) or flags; exit 3 if any is missing, binary or blank`,
  examples: [
    'scoped check   # required: and deployments: from .scoped.yaml',
    'scoped check --deployment billing/production --require DB_URL --require STRIPE_KEY',
    'scoped check -p billing -d production --require DB_URL',
    'scoped check -o json',
  ],
  options: [
    ['-p, --project <project>', 'with -d: the deployment to check, as --deployment PROJECT/DOMAIN'],
    ['-d, --domain <domain>', 'with -p: the deployment to check'],
    ['--deployment <PROJECT/DOMAIN>', "a deployment to check (repeatable; replaces the config file's deployments:)", { repeatable: true }],
    ['--require <KEY>', "a required key (repeatable; replaces the config file's required:)", { repeatable: true }],
  ],
  build: (_args, flags): CheckOptions => {
    flags.require?.forEach(validateKey);
    return { deployments: [...flagDeployment(flags), ...(flags.deployment ?? []).map(parseDeploymentAddress)], require: flags.require ?? [] };
  },
  run: runCheck,
});

export interface CheckOptions {
  /** From --deployment; empty: the config's `deployments:`. */
  deployments: DeploymentAddress[];
  /** From --require; empty: the config's `required:`. */
  require: string[];
}

/**
 * `-p P -d D` is one more deployment, as on every deployment command (`--deployment P/D` the same); a
 * deployment needs both, and neither comes from the environment here: check's default is its config list.
 */
function flagDeployment(opts: ScopeFlags): DeploymentAddress[] {
  if (opts.project === undefined && opts.domain === undefined) return [];
  if (opts.project === undefined || opts.domain === undefined) {
    const given = opts.project === undefined ? `-d ${opts.domain as string}` : `-p ${opts.project}`;
    throw new UsageError(`check needs a whole deployment: ${given} alone names a scope`, 'give both -p PROJECT -d DOMAIN, or --deployment PROJECT/DOMAIN');
  }
  return [parseDeploymentAddress(`${opts.project}/${opts.domain}`)];
}

/** What to check: flags override the config file's lists; neither is a usage error saying where to put them. */
async function checkLists(ctx: Context, o: CheckOptions): Promise<{ required: string[]; deployments: DeploymentAddress[] }> {
  const config = await ctx.config();
  const lists = await loadCheckLists(config.files);
  const file = config.files[0] ?? `${PROJECT_CONFIG} at the root of your repository`;
  const required = o.require.length > 0 ? o.require : lists.required?.value;
  if (!required) throw new UsageError('check has no required keys', `list them under required: in ${file} (or give --require KEY)`);
  const deployments = o.deployments.length > 0 ? o.deployments : lists.deployments?.value;
  if (!deployments) throw new UsageError('check has no deployments to check', `list them under deployments: in ${file} (or give --deployment PROJECT/DOMAIN)`);
  ctx.debug(
    `check: required from ${o.require.length > 0 ? 'flag --require' : lists.required?.source}, deployments from ${o.deployments.length > 0 ? 'flag --deployment' : lists.deployments?.source}`,
  );
  // A name listed twice is checked (and reported) once.
  const unique = new Map(deployments.map((d) => [formatDeploymentAddress(d), d]));
  return { required: [...new Set(required)], deployments: [...unique.values()] };
}

export async function runCheck(ctx: Context, o: CheckOptions): Promise<void> {
  const { required, deployments } = await checkLists(ctx, o);
  const config = await ctx.config();
  const store = await ctx.store();
  const scopes = deployments.map((d) => makeScope(config.org.value, d.project, d.domain));
  const winners = requiredWinners(required, await resolveMany(store, config.prefix.value, scopes));
  // Read to tell binary and blank values; each secret once, however many deployments share it.
  const present = winners.flat().filter((w): w is Candidate => w !== undefined);
  const values = present.length > 0 ? await readCandidates(store, present) : new Map();
  const found = checkKeys(required, winners, values);
  const addresses = deployments.map(formatDeploymentAddress);
  await report(ctx, config.org.value, required, addresses, found);
  const problems = found.flatMap((keys, i) => keys.filter((k) => k.problem).map((k) => ({ ...k, deployment: addresses[i] as string })));
  if (problems.length === 0) {
    ctx.success(
      `${addresses.length} ${addresses.length === 1 ? 'deployment resolves' : 'deployments resolve'} all ${required.length} required ${required.length === 1 ? 'key' : 'keys'}`,
    );
    return;
  }
  throw failure(problems, found);
}

async function report(ctx: Context, org: string, required: string[], addresses: string[], found: CheckedKey[][]): Promise<void> {
  const format = ctx.outputFormat();
  if (format === 'json' || format === 'yaml') return printData(ctx, checkJson(org, required, addresses, found));
  const rows = found.flatMap((keys, i) =>
    keys.filter((k) => k.problem).map((k) => ({ deployment: addresses[i] as string, key: k.key, problem: k.problem as keyof typeof PROBLEM_TEXT })),
  );
  await printRows(
    ctx,
    [
      { header: 'DEPLOYMENT', get: (r) => r.deployment },
      { header: 'KEY', get: (r) => r.key },
      // Piped: the one word, for scripts; on a terminal: what it means.
      { header: 'PROBLEM', get: (r) => (format === 'table' ? PROBLEM_TEXT[r.problem] : r.problem) },
    ],
    rows,
    () => undefined,
  );
}

/** One line for main to print (exit 3): how many problems of which kind where, and the first fix. */
function failure(problems: (CheckedKey & { deployment: string })[], found: CheckedKey[][]): NotFoundError {
  const failing = found.filter((keys) => keys.some((k) => k.problem)).length;
  const kinds = (['missing', 'binary', 'empty'] as const).map((p) => [p, problems.filter((x) => x.problem === p).length] as const).filter(([, n]) => n > 0);
  const message = `check failed: ${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} in ${failing} of ${found.length} deployments (${kinds.map(([p, n]) => `${n} ${p}`).join(', ')})`;
  const first = problems[0] as CheckedKey & { deployment: string };
  const [project, domain] = first.deployment.split('/');
  const hint =
    first.problem === 'missing'
      ? `create it, e.g.: scoped create secret ${first.key} -p ${project} -d ${domain} (or at a wider scope)`
      : first.problem === 'binary'
        ? `store ${first.key} as text, or give it to the program as a file: scoped run --file ${first.key} -- ...`
        : `give ${first.key} a value: scoped update secret ${first.key}${first.winner && scopeFlags(first.winner.scope) ? ` ${scopeFlags(first.winner.scope)}` : ''}`;
  return new NotFoundError(message, hint);
}

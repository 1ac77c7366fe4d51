import { ExitCode, UsageError } from '../errors.js';
import { formatDeploymentAddress, parseDeploymentAddress, type DeploymentAddress } from '../core/address.js';
import { makeScope, type Scope } from '../core/scope.js';
import type { Context } from '../cli/context.js';
import { markdownTable, printable, printData } from '../cli/output.js';
import { defineCommand } from '../cli/define-command.js';
import { deploymentsPrefixes, readCandidates, resolveMany } from '../service/deployment.js';
import { alignKeys, compareRows, isDifference, selectRows, winnersToRead, type DiffRow } from '../diff/compare.js';
import { layoutColumns, type LayoutColumn } from '../diff/layout.js';
import { diffJson, matrixCell, MATRIX_LEGEND, oddCells, pairValues, sideCell } from '../diff/present.js';

export const diffCommand = defineCommand({
  name: 'diff',
  summary: 'compare deployments: for each key the winning scope on each side and whether the values are equal (never the values)',
  arguments: [['[DEPLOYMENT...]', 'deployments as PROJECT/DOMAIN (the org is --org): two side by side, three or more as a matrix']],
  examples: [
    'scoped diff billing/staging billing/production',
    'scoped diff billing/staging billing/production --scopes --exit-code',
    'scoped diff billing/production search/production web/production',
    'scoped diff billing/staging billing/production -o json',
  ],
  options: [
    ['--scopes', 'also show (and count) keys whose equal values come from different scopes'],
    ['--all', 'show every key, also those that do not differ'],
    ['--exit-code', 'exit 1 when the deployments differ, 0 when not (as git diff --exit-code)'],
  ],
  build: (args, flags): DiffOptions => {
    if (args.length < 2)
      throw new UsageError(`diff compares two deployments or more; ${args.length === 0 ? 'none' : 'one'} given`, 'e.g. scoped diff billing/staging billing/production');
    const deployments = args.map(parseDeploymentAddress);
    const seen = new Set<string>();
    for (const d of deployments) {
      const address = formatDeploymentAddress(d);
      if (seen.has(address)) throw new UsageError(`deployment ${address} is given twice`, 'name each deployment once');
      seen.add(address);
    }
    return { deployments, scopes: flags.scopes === true, all: flags.all === true, exitCode: flags.exitCode === true };
  },
  run: runDiff,
});

export interface DiffOptions {
  deployments: DeploymentAddress[];
  /** Also count equal values from different kinds of scope as differences. */
  scopes: boolean;
  /** Show every key, not only the differences. */
  all: boolean;
  /** Exit 1 when there are differences (as `git diff --exit-code`). */
  exitCode: boolean;
}

/** Every deployment's view from one listing, and the grouping of values (read once per secret). */
export async function diffDeployments(ctx: Context, deployments: readonly Scope[]): Promise<DiffRow[]> {
  const config = await ctx.config();
  const store = await ctx.store();
  ctx.debug(`diff: one listing of ${deploymentsPrefixes(config.prefix.value, deployments).length} scope prefixes for ${deployments.length} deployments`);
  const aligned = alignKeys(await resolveMany(store, config.prefix.value, deployments));
  const toRead = winnersToRead(aligned);
  ctx.debug(`diff: ${aligned.length} keys; reading ${toRead.length} values to compare (never shown)`);
  const values = toRead.length > 0 ? await readCandidates(store, toRead) : new Map();
  return compareRows(aligned, values);
}

export async function runDiff(ctx: Context, o: DiffOptions): Promise<number> {
  const config = await ctx.config();
  const scopes = o.deployments.map((d) => makeScope(config.org.value, d.project, d.domain));
  const addresses = o.deployments.map(formatDeploymentAddress);
  const all = await diffDeployments(ctx, scopes);
  const rows = selectRows(all, o);
  const differs = all.some((r) => isDifference(r.status, o.scopes));
  const format = ctx.outputFormat();
  if (format === 'json' || format === 'yaml') {
    await printData(ctx, diffJson(config.org.value, addresses, rows));
  } else if (format === 'markdown') {
    const columns = columnsFor(addresses, rows, (t) => t);
    ctx.out(
      markdownTable(
        ['KEY', ...columns.map((c) => c.header)],
        rows.map((r, i) => [r.key, ...columns.map((c) => c.cells[i] as string)]),
      ),
    );
    summarise(ctx, addresses, all, rows, o);
  } else {
    printRowsText(ctx, addresses, rows, format === 'table');
    summarise(ctx, addresses, all, rows, o);
  }
  return o.exitCode && differs ? ExitCode.differences : ExitCode.ok;
}

function columnsFor(addresses: readonly string[], rows: readonly DiffRow[], highlight: (t: string) => string): LayoutColumn[] {
  const odd = rows.map(oddCells);
  const styles = (i: number) => odd.map((row) => (row[i] ? highlight : undefined));
  const cell = addresses.length === 2 ? sideCell : matrixCell;
  const columns = addresses.map((header, i) => ({ header, cells: rows.map((r) => cell(r.cells[i])), styles: styles(i) }));
  if (addresses.length > 2) return columns;
  return [...columns, { header: 'VALUES', cells: rows.map(pairValues), styles: rows.map((r) => (r.status === 'differ' ? highlight : undefined)) }];
}

/** Aligned columns on a terminal; tab-separated lines without a header when piped. */
function printRowsText(ctx: Context, addresses: readonly string[], rows: readonly DiffRow[], terminal: boolean): void {
  if (rows.length === 0) return;
  const columns = columnsFor(addresses, rows, ctx.chalk.yellow);
  const keys = rows.map((r) => printable(r.key));
  if (!terminal) {
    ctx.out(keys.map((k, i) => `${[k, ...columns.map((c) => c.cells[i])].join('\t')}\n`).join(''));
    return;
  }
  const width = ctx.io.stdout.columns && ctx.io.stdout.columns > 0 ? ctx.io.stdout.columns : 80;
  ctx.out(`${layoutColumns({ keyHeader: 'KEY', keys, columns, width, bold: ctx.chalk.bold }).join('\n')}\n`);
}

function summarise(ctx: Context, addresses: readonly string[], all: readonly DiffRow[], shown: readonly DiffRow[], o: DiffOptions): void {
  if (addresses.length > 2 && shown.length > 0) ctx.info(MATRIX_LEGEND);
  const differing = all.filter((r) => isDifference(r.status, o.scopes)).length;
  const names = addresses.length === 2 ? `${addresses[0]} and ${addresses[1]}` : `${addresses.length} deployments`;
  if (differing === 0) ctx.info(`No differences between ${names} (${all.length} ${all.length === 1 ? 'key' : 'keys'} compared).`);
  const scopeOnly = all.filter((r) => r.status === 'scope').length;
  if (!o.scopes && !o.all && scopeOnly > 0) {
    ctx.info(`${scopeOnly} ${scopeOnly === 1 ? 'key has' : 'keys have'} equal values from different scopes: show ${scopeOnly === 1 ? 'it' : 'them'} with --scopes`);
  }
}

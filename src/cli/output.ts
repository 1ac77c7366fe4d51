import type { Context } from './context.js';
import { fitTable, recordLines } from './table-fit.js';

export { printable } from './printable.js';
import { printable } from './printable.js';

export interface Column<R> {
  header: string;
  get(row: R): string;
}

/**
 * Rows as a table on a terminal (cli-table3, loaded only here) fitted to its width (table-fit.ts: the
 * first column whole, others cut with an ellipsis, or one block per row when too narrow), tab-separated
 * lines without a header when piped, or the given machine shape for `-o json|yaml`.
 */
export async function printRows<R>(ctx: Context, columns: Column<R>[], rows: R[], machine: () => unknown): Promise<void> {
  const format = ctx.outputFormat();
  if (format === 'json' || format === 'yaml') return printData(ctx, machine());
  if (format === 'markdown')
    return ctx.out(
      markdownTable(
        columns.map((c) => c.header),
        rows.map((row) => columns.map((c) => c.get(row))),
      ),
    );
  if (format === 'plain') {
    // One write: thousands of small ones cost more than building the text.
    ctx.out(rows.map((row) => `${columns.map((c) => printable(c.get(row))).join('\t')}\n`).join(''));
    return;
  }
  if (rows.length === 0) return;
  const headers = columns.map((c) => c.header);
  const cells = rows.map((row) => columns.map((c) => printable(c.get(row))));
  // The terminal's width; `-o table` into a pipe has none, and is drawn whole.
  const width = ctx.io.stdout.isTTY === true ? ctx.io.stdout.columns : undefined;
  const layout = fitTable(headers, cells, width);
  if (layout.kind === 'records') return ctx.out(recordLines(headers, cells, width ?? 80, (s) => ctx.chalk.bold(s)));
  // cli-table3 is CommonJS (`export =`): Node hands it over as the default export.
  const Table = ((await import('cli-table3')) as unknown as { default: typeof import('cli-table3') }).default;
  const table = new Table({
    head: headers.map((h) => ctx.chalk.bold(h)),
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    // colWidths count the padding; cli-table3 cuts longer cells with '…'.
    ...(layout.widths ? { colWidths: layout.widths.map((w) => w + 2), truncate: '…' } : {}),
  });
  for (const row of cells) table.push(row);
  ctx.out(`${table.toString()}\n`);
}

/** `-o markdown`: a GitHub-flavoured table, cells made safe for a terminal and `|` escaped (nothing for no rows). */
export function markdownTable(headers: readonly string[], cells: readonly (readonly string[])[]): string {
  if (cells.length === 0) return '';
  const line = (row: readonly string[]) => `| ${row.map((c) => printable(c.replaceAll('\\', '\\\\').replaceAll('|', '\\|'))).join(' | ')} |\n`;
  return line(headers) + line(headers.map(() => '---')) + cells.map(line).join('');
}

/** `-o json` / `-o yaml` shapes (also used for single objects). */
export async function printData(ctx: Context, data: unknown): Promise<void> {
  if (ctx.outputFormat() === 'yaml') {
    const { yamlDocument } = await import('../support/yaml-text.js');
    ctx.out(await yamlDocument(data));
    return;
  }
  ctx.out(`${JSON.stringify(data, null, 2)}\n`);
}

/**
 * The result of a change (create, update, delete, restore): with `-o json|yaml` its machine shape on
 * stdout; otherwise nothing, as the success line on stderr has said it.
 */
export async function printResult(ctx: Context, data: unknown): Promise<void> {
  if (ctx.global.output === 'json' || ctx.global.output === 'yaml') await printData(ctx, data);
}

/** Key/value pairs for one object: aligned lines on a terminal and when piped. */
export function printFields(ctx: Context, fields: [string, string | undefined][]): void {
  const shown = fields.filter((f): f is [string, string] => f[1] !== undefined && f[1] !== '');
  const width = Math.max(...shown.map(([k]) => k.length));
  ctx.out(shown.map(([k, v]) => `${ctx.chalk.bold(`${k}:`.padEnd(width + 1))} ${printable(v)}\n`).join(''));
}

export function isoDate(d: Date | undefined): string {
  return d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '';
}

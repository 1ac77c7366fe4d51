import type { TransferReport } from '../import/transfer.js';
import type { Context } from './context.js';
import { printRows } from './output.js';

/** `import` / `copy secret`: the done-line on stderr, then a row per key (KEY, PLAN or ACTION) or -o json|yaml on stdout. */
export async function printTransfer(ctx: Context, r: TransferReport): Promise<void> {
  if (r.dryRun) ctx.info(r.line);
  else ctx.success(r.line);
  await printRows(
    ctx,
    [
      { header: 'KEY', get: (row) => row.key },
      { header: r.dryRun ? 'PLAN' : 'ACTION', get: (row) => row.action },
    ],
    r.rows,
    r.data,
  );
}

import type { Context } from '../cli/context.js';
import { isoDate, printRows } from '../cli/output.js';
import { secretHistory, type HistoryRow } from '../history/history.js';
import { explained } from './hints.js';
import { defineSecretCommand, keyAtScope, secretAt, secretJson, type KeyAtScope } from './secret-command.js';

export const historySecretCommand = defineSecretCommand({
  verb: 'history',
  summary: 'every kept version, newest first: version id, stages, created, and who wrote it where known (never a value)',
  examples: [
    'scoped history secret DB_PASSWORD -p billing -d production',
    'scoped history secret DB_PASSWORD -p billing --who   # aws: who wrote each version, from CloudTrail (90 days)',
    'scoped history secret DB_PASSWORD -p billing -o json',
  ],
  options: [['--who', 'aws: who wrote each version, from CloudTrail (needs cloudtrail:LookupEvents; 90 days back). The local store records user@host with every write']],
  build: (args, flags): HistoryOptions => ({ ...keyAtScope(args, flags), who: flags.who === true }),
  run: runHistory,
});

export interface HistoryOptions extends KeyAtScope {
  who: boolean;
}

const COLUMNS = [
  { header: 'VERSION', get: (r: HistoryRow) => r.versionId },
  { header: 'STAGES', get: (r: HistoryRow) => r.stages.join(',') },
  { header: 'CREATED', get: (r: HistoryRow) => isoDate(r.createdAt) },
  { header: 'WHO', get: (r: HistoryRow) => (r.currentBy !== undefined ? `${r.createdBy ?? '?'} (made current by ${r.currentBy})` : (r.createdBy ?? '')) },
];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runHistory(ctx: Context, o: HistoryOptions): Promise<void> {
  const { t, store } = await secretAt(ctx, o);
  const config = await ctx.config();
  // CloudTrail's SDK is loaded for --who on AWS only.
  const who =
    o.who && config.backend.value === 'aws' ? { lookup: await (await import('../store/trail.js')).createTrailLookup(config, ctx.io.env, ctx), now: new Date(), sleep } : undefined;
  const history = await explained(t, () => secretHistory(store, t.name, { who }));
  for (const note of history.notes) ctx.warn(note);
  await printRows(ctx, COLUMNS, history.rows, () => ({
    ...secretJson(t),
    versions: history.rows.map((r) => ({
      versionId: r.versionId,
      stages: r.stages,
      createdAt: r.createdAt?.toISOString() ?? null,
      createdBy: r.createdBy ?? null,
      ...(r.currentBy !== undefined ? { currentBy: r.currentBy } : {}),
    })),
  }));
}

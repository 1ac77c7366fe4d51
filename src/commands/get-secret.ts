import { NotFoundError, UsageError } from '../errors.js';
import { describeShown } from '../store/links.js';
import { describeTarget } from '../core/link.js';
import { describeScope, scopeKind, type Scope, scopeJson, type ScopeFlags } from '../core/scope.js';
import type { Context } from '../cli/context.js';
import { isoDate, printable, printData, printFields, printRows, type Column } from '../cli/output.js';
import { defineSecretCommand } from './secret-command.js';
import { RAW_FLAG, writeRevealed } from '../cli/reveal.js';
import { listOrg, listScope, type Entry } from '../service/deployment.js';
import type { ReadResult, SecretDetails, SecretStore } from '../store/types.js';
import { checkReveal } from './options.js';
import { managementScope, scopeFlagsOf, target, type Target } from './scope-flags.js';
import { commandFor, explained } from './hints.js';
import { isVersionId, VERSION_ID_RULE } from '../pin/pin-file.js';

export const getSecretCommand = defineSecretCommand({
  verb: 'get',
  aliases: ['secrets'],
  summary: 'list the secrets at a scope, or show one secret (its value only with --reveal)',
  arguments: [['[KEY]', 'secret key; omit to list the scope']],
  examples: [
    'scoped get secret -p billing -d production',
    'scoped get secrets --all --include-deleted',
    'scoped get secret DB_PASSWORD -p billing --reveal',
    'scoped get secret DB_PASSWORD -p billing --versions',
  ],
  options: [
    ['-a, --all', 'list every scope of the org'],
    ['--include-deleted', 'also list secrets scheduled for deletion'],
    ['--versions', "list the secret's versions and their stages"],
    ['--reveal', 'print the value alone'],
    RAW_FLAG,
    ['--version-id <id>', 'with --reveal: this version'],
    ['--version-stage <stage>', 'with --reveal: the version with this stage (e.g. AWSPREVIOUS)'],
  ],
  // The global -o has no shape for a value printed alone.
  build: (args, flags, global): GetSecretOptions => {
    const o: GetSecretOptions = {
      ...scopeFlagsOf(flags),
      key: args[0],
      all: flags.all === true,
      includeDeleted: flags.includeDeleted === true,
      versions: flags.versions === true,
      reveal: flags.reveal === true,
      raw: flags.raw === true,
      versionId: flags.versionId,
      versionStage: flags.versionStage,
    };
    if (o.key === undefined && (o.reveal || o.versions)) {
      const flag = o.reveal ? '--reveal' : '--versions';
      throw new UsageError(`${flag} needs a KEY`, `e.g. scoped get secret DB_PASSWORD ${flag}`);
    }
    if (o.key !== undefined && o.all) throw new UsageError('--all lists every scope; it takes no KEY');
    // One secret is shown whether or not it is scheduled for deletion: the flag would change nothing.
    if (o.key !== undefined && o.includeDeleted) throw new UsageError('--include-deleted is for listing; it takes no KEY', 'a KEY is shown even when scheduled for deletion');
    if (o.all && (o.project !== undefined || o.domain !== undefined)) {
      throw new UsageError('--all lists every scope of the org; drop --project/--domain');
    }
    if ((o.versionId !== undefined || o.versionStage !== undefined) && !o.reveal) {
      throw new UsageError('--version-id and --version-stage choose the value to --reveal; add --reveal');
    }
    if (o.versionId !== undefined && !isVersionId(o.versionId)) {
      throw new UsageError(
        `--version-id ${JSON.stringify(o.versionId)} is not a version id (${VERSION_ID_RULE})`,
        `see the versions with: scoped get secret ${o.key ?? 'KEY'} --versions`,
      );
    }
    if (o.reveal && o.versions) throw new UsageError('use either --reveal or --versions');
    checkReveal('get secret', o, global.output);
    return o;
  },
  run: runGetSecret,
});

export interface GetSecretOptions extends ScopeFlags {
  key?: string | undefined;
  all: boolean;
  includeDeleted: boolean;
  versions: boolean;
  reveal: boolean;
  raw: boolean;
  versionId?: string | undefined;
  versionStage?: string | undefined;
}

function scopeCell(scope: Scope): string {
  return scopeKind(scope);
}

const LIST_COLUMNS: Column<Entry>[] = [
  { header: 'KEY', get: (e) => e.key },
  { header: 'SCOPE', get: (e) => scopeCell(e.scope) },
  { header: 'PROJECT', get: (e) => e.scope.project ?? '-' },
  { header: 'DOMAIN', get: (e) => e.scope.domain ?? '-' },
  { header: 'UPDATED', get: (e) => isoDate(e.summary.lastChangedAt) },
  { header: 'DESCRIPTION', get: (e) => (e.summary.deletedAt ? `(scheduled for deletion) ${e.summary.description ?? ''}`.trim() : (e.summary.description ?? '')) },
];

export function entryJson(e: Entry): Record<string, unknown> {
  return {
    key: e.key,
    scope: scopeJson(e.scope),
    name: e.name,
    description: e.summary.description ?? null,
    createdAt: e.summary.createdAt?.toISOString() ?? null,
    lastChangedAt: e.summary.lastChangedAt?.toISOString() ?? null,
    deletedAt: e.summary.deletedAt?.toISOString() ?? null,
    tags: e.summary.tags,
  };
}

async function list(ctx: Context, o: GetSecretOptions): Promise<void> {
  const store = await ctx.store();
  const config = await ctx.config();
  const entries = o.all
    ? await listOrg(store, config.prefix.value, config.org.value, o.includeDeleted)
    : await listScope(store, config.prefix.value, await managementScope(ctx, o), o.includeDeleted);
  const scope = o.all ? { org: config.org.value } : await managementScope(ctx, o);
  if (entries.length === 0 && ctx.outputFormat() === 'table') {
    ctx.info(`No secrets at ${o.all ? `any scope of org ${scope.org}` : describeScope(scope)}.`);
  }
  await printRows(ctx, LIST_COLUMNS, entries, () => entries.map(entryJson));
}

/**
 * The value --reveal asks for. --version-id with --version-stage means "this version, which must carry this
 * stage" (as GetSecretValue does with both): read by id, then checked here, the same on every backend.
 */
async function readVersion(store: SecretStore, o: GetSecretOptions, t: Target): Promise<ReadResult> {
  const both = o.versionId !== undefined && o.versionStage !== undefined;
  const selector = both ? { versionId: o.versionId } : { versionId: o.versionId, versionStage: o.versionStage };
  const versionsHint = `see its versions with: ${commandFor('get', t)} --versions`;
  const read = await explained(t, () => store.getValue(t.name, selector)).catch((err: unknown) => {
    if (!(err instanceof NotFoundError && err.subject === 'version')) throw err;
    // The id or stage as typed (printable: it is echoed to a terminal).
    const what = printable(o.versionId !== undefined ? `version ${o.versionId}` : `stage ${o.versionStage ?? 'AWSCURRENT'}`);
    throw err.withMessage(`${t.key} at ${describeScope(t.scope)} has no ${what}`, versionsHint);
  });
  if (both && !read.stages.includes(o.versionStage as string)) {
    const has = read.stages.length > 0 ? `its stages: ${read.stages.join(', ')}` : 'it has no stage';
    const asked = printable(`version ${o.versionId} of ${t.key} at ${describeScope(t.scope)} is not ${o.versionStage}`);
    throw new NotFoundError(`${asked} (${has})`, versionsHint, { subject: 'version' });
  }
  return read;
}

/** `eu-west-1 (InSync), ap-south-1 (Failed)`; undefined without replicas, so the field is left out. */
function replicaCell(d: SecretDetails): string | undefined {
  const replicas = d.replicas ?? [];
  return replicas.length > 0 ? replicas.map((r) => `${r.region} (${r.status})`).join(', ') : undefined;
}

async function one(ctx: Context, o: GetSecretOptions, key: string): Promise<void> {
  const t = await target(ctx, key, o);
  const store = await ctx.store();
  if (o.reveal) return writeRevealed(ctx, (await readVersion(store, o, t)).value, { raw: o.raw, endLine: true });
  const d = await explained(t, () => describeShown(store, t.name));
  if (d.targetError !== undefined) ctx.warn(`${t.key} links to a secret it cannot read: ${d.targetError.message}`);
  const versions = o.versions ? await explained(t, () => store.listVersions(t.name)) : undefined;
  const format = ctx.outputFormat();
  if (format === 'json' || format === 'yaml') {
    return printData(ctx, {
      ...entryJson({ ...t, summary: d }),
      kmsKeyId: d.kmsKeyId ?? null,
      replicas: (d.replicas ?? []).map((r) => ({ region: r.region, status: r.status })),
      replicaOf: d.replicaOf ?? null,
      link: d.link === undefined ? null : { arn: d.link.arn, field: d.link.field ?? null },
      versions: versions
        ? versions.map((v) => ({ versionId: v.versionId, stages: v.stages, createdAt: v.createdAt?.toISOString() ?? null }))
        : Object.entries(d.versions).map(([versionId, stages]) => ({ versionId, stages })),
    });
  }
  if (versions) {
    return printRows(
      ctx,
      [
        { header: 'VERSION', get: (v) => v.versionId },
        { header: 'STAGES', get: (v) => v.stages.join(',') },
        { header: 'CREATED', get: (v) => isoDate(v.createdAt) },
      ],
      versions,
      () => versions,
    );
  }
  const current = Object.entries(d.versions).find(([, stages]) => stages.includes('AWSCURRENT'))?.[0];
  printFields(ctx, [
    ['key', t.key],
    ['scope', `${scopeKind(t.scope)} (${describeScope(t.scope)})`],
    ['name', t.name],
    // A link's value is its target's: named here, never read (its versions below are the target's).
    ['links to', d.link !== undefined ? describeTarget(d.link) : undefined],
    ['description', d.description],
    ['created', isoDate(d.createdAt)],
    ['updated', isoDate(d.lastChangedAt)],
    ['current version', current],
    ['status', d.deletedAt ? `scheduled for deletion (requested ${isoDate(d.deletedAt)})` : 'active'],
    ['replicas', replicaCell(d)],
    ['replica', d.replicaOf !== undefined ? `replica of ${d.replicaOf}, read-only` : undefined],
    [
      'tags',
      Object.entries(d.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
    ],
  ]);
}

export async function runGetSecret(ctx: Context, o: GetSecretOptions): Promise<void> {
  return o.key === undefined ? list(ctx, o) : one(ctx, o, o.key);
}

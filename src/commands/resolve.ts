import { UsageError } from '../errors.js';
import { validateStoredKey, describeScope, scopeKind, type Scope, scopeJson, type ScopeFlags } from '../core/scope.js';
import type { Candidate, Resolution } from '../core/resolve.js';
import type { SecretStore, SecretSummary } from '../store/types.js';
import { describeTarget, TAG_LINK, type LinkTarget } from '../core/link.js';
import { linkOf } from '../store/links.js';
import type { Context } from '../cli/context.js';
import { printRows, type Column } from '../cli/output.js';
import { defineCommand } from '../cli/define-command.js';
import { checkReveal, DEPLOYMENT_OPTIONS } from './options.js';
import { readWinners, resolveEntries, resolveKeys, selectKeys } from '../service/deployment.js';
import { RAW_FLAG, writeRevealed } from '../cli/reveal.js';
import { deploymentScope, scopeFlagsOf } from './scope-flags.js';

export const resolveCommand = defineCommand({
  name: 'resolve',
  summary: "the deployment's view: each visible key and the scope it comes from (project-domain > project > domain > org)",
  arguments: [['[KEY...]', 'only these keys']],
  examples: [
    'scoped resolve -p billing -d production',
    'scoped resolve -p billing -d production --explain',
    'scoped resolve DB_PASSWORD -p billing -d production --reveal',
    'scoped resolve -p billing -o json',
  ],
  options: [...DEPLOYMENT_OPTIONS, ['--explain', 'also show what each winner shadows'], ['--reveal', 'print the winning value of one KEY alone'], RAW_FLAG],
  // The global -o has no shape for a value printed alone.
  build: (args, flags, global): ResolveOptions => {
    const o = { ...scopeFlagsOf(flags), keys: args, explain: flags.explain === true, reveal: flags.reveal === true, raw: flags.raw === true };
    o.keys.forEach(validateStoredKey);
    if (o.reveal && o.keys.length !== 1) throw new UsageError('--reveal prints one value: give exactly one KEY', 'e.g. scoped resolve DB_PASSWORD --reveal');
    if (o.reveal && o.explain) throw new UsageError('use either --reveal or --explain');
    checkReveal('resolve', o, global.output);
    return o;
  },
  run: runResolve,
});

export interface ResolveOptions extends ScopeFlags {
  keys: string[];
  explain: boolean;
  reveal: boolean;
  raw: boolean;
}

function where(scope: Scope): string {
  return [scope.project && `project ${scope.project}`, scope.domain && `domain ${scope.domain}`].filter(Boolean).join(', ') || `org ${scope.org}`;
}

/**
 * `arn`: the winner's, where the backend has one (AWS), else null (the local store has none). `link`: a
 * link's target (`{arn, field}`), else null.
 */
export function resolutionJson(r: Resolution<Candidate & { summary?: SecretSummary }>): Record<string, unknown> {
  return linkedResolutionJson(r, undefined);
}

export function linkedResolutionJson(r: Resolution<Candidate & { summary?: SecretSummary }>, link: LinkTarget | undefined): Record<string, unknown> {
  return {
    key: r.key,
    scope: scopeKind(r.winner.scope),
    from: scopeJson(r.winner.scope),
    name: r.winner.name,
    arn: r.winner.summary?.arn ?? null,
    link: link === undefined ? null : { arn: link.arn, field: link.field ?? null },
    shadows: r.shadowed.map((s) => ({ scope: scopeKind(s.scope), from: scopeJson(s.scope), name: s.name })),
  };
}

/** The targets of the winners that are links (their listing's tags say so): each link's record, never the target's value. */
async function winnerLinks(store: SecretStore, resolved: readonly Resolution<Candidate & { summary?: SecretSummary }>[]): Promise<Map<string, LinkTarget>> {
  const links = new Map<string, LinkTarget>();
  for (const r of resolved) {
    if (r.winner.summary?.tags[TAG_LINK] === undefined) continue;
    const target = await linkOf(store, r.winner.name);
    if (target !== undefined) links.set(r.key, target);
  }
  return links;
}

export async function runResolve(ctx: Context, o: ResolveOptions): Promise<void> {
  const deployment = await deploymentScope(ctx, o);
  const config = await ctx.config();
  const store = await ctx.store();
  ctx.debug(`resolving for ${describeScope(deployment)}`);
  // The json/yaml shapes carry each winner's ARN, which only the listing with metadata has; they and
  // --explain name links' targets, which that listing's tags mark.
  const format = ctx.outputFormat();
  const machine = !o.reveal && (format === 'json' || format === 'yaml');
  const withMetadata = machine || o.explain;
  const all = withMetadata ? await resolveEntries(store, config.prefix.value, deployment) : await resolveKeys(store, config.prefix.value, deployment);
  const resolved = selectKeys<Resolution<Candidate & { summary?: SecretSummary }>>(all, o.keys, deployment);
  if (o.reveal) {
    const values = await readWinners(store, resolved);
    return writeRevealed(ctx, values.get(o.keys[0] as string) as string | Uint8Array, { raw: o.raw, endLine: true });
  }
  const columns: Column<Resolution>[] = [
    { header: 'KEY', get: (r) => r.key },
    { header: 'SCOPE', get: (r) => scopeKind(r.winner.scope) },
    { header: 'FROM', get: (r) => where(r.winner.scope) },
  ];
  const links = withMetadata ? await winnerLinks(store, resolved) : new Map<string, LinkTarget>();
  if (o.explain) {
    columns.push({
      header: 'SHADOWS',
      get: (r) => r.shadowed.map((s) => `${scopeKind(s.scope)} (${where(s.scope)})`).join('; ') || '-',
    });
    if (links.size > 0) columns.push({ header: 'LINKS TO', get: (r) => (links.has(r.key) ? describeTarget(links.get(r.key) as LinkTarget) : '-') });
  }
  if (resolved.length === 0 && ctx.outputFormat() === 'table') ctx.info(`No secrets visible to ${describeScope(deployment)}.`);
  if (o.explain && ctx.outputFormat() === 'table') {
    ctx.info(`Deployment ${describeScope(deployment)}; precedence: project-domain > project > domain > org`);
  }
  await printRows(ctx, columns, resolved, () => resolved.map((r) => linkedResolutionJson(r, links.get(r.key))));
}

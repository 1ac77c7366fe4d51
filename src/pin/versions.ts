import { NotFoundError, ScopedError } from '../errors.js';
import { describeScope } from '../core/scope.js';
import type { Resolution } from '../core/resolve.js';
import { mapLimit } from '../support/map-limit.js';
import { STAGE_CURRENT, type SecretStore } from '../store/types.js';
import { failure, type Failures } from '../service/deployment.js';
import type { LinkTarget } from '../core/link.js';
import type { PinEntry } from './pin-file.js';
import { PINNED_CONCURRENCY } from './pinned-read.js';

/**
 * Each winner's current version id, from its metadata (DescribeSecret on AWS): the values never enter the
 * process. A link's is its target's (the linking store describes the target), recorded with the target's
 * ARN and field, so a pinned read goes to that target even after the link is retargeted. Every failure is
 * named by key and scope in one error.
 */
export async function currentVersions(store: SecretStore, resolved: readonly Resolution[]): Promise<PinEntry[]> {
  const got = await mapLimit(resolved, PINNED_CONCURRENCY, (r) =>
    store.describe(r.winner.name).then(
      (d) => {
        const versionId = Object.entries(d.versions).find(([, stages]) => stages.includes(STAGE_CURRENT))?.[0];
        if (versionId === undefined) return new NotFoundError('it has no current version', 'give it one with `scoped update secret`', { subject: 'version' });
        return { versionId, target: d.link };
      },
      (err: unknown) => err as Error,
    ),
  );
  const entries: PinEntry[] = [];
  const failures: Failures = [];
  resolved.forEach((r, i) => {
    const v = got[i] as { versionId: string; target: LinkTarget | undefined } | Error;
    if (!(v instanceof Error))
      entries.push({ key: r.key, scope: r.winner.scope, name: r.winner.name, versionId: v.versionId, ...(v.target === undefined ? {} : { target: v.target }) });
    else failures.push({ what: `${r.key} at ${describeScope(r.winner.scope)} (${v instanceof ScopedError ? v.message : v.name})`, error: v });
  });
  if (failures.length > 0) throw failure(failures);
  return entries;
}

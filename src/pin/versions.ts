import { NotFoundError, ScopedError } from '../errors.js';
import { describeScope } from '../core/scope.js';
import type { Resolution } from '../core/resolve.js';
import { mapLimit } from '../support/map-limit.js';
import { STAGE_CURRENT, type SecretStore } from '../store/types.js';
import { failure, type Failures } from '../service/deployment.js';
import type { PinEntry } from './pin-file.js';
import { PINNED_CONCURRENCY } from './pinned-read.js';

/**
 * Each winner's current version id, from its metadata (DescribeSecret on AWS): the values never enter the
 * process. Every failure is named by key and scope in one error.
 */
export async function currentVersions(store: SecretStore, resolved: readonly Resolution[]): Promise<PinEntry[]> {
  const got = await mapLimit(resolved, PINNED_CONCURRENCY, (r) =>
    store.describe(r.winner.name).then(
      (d) =>
        Object.entries(d.versions).find(([, stages]) => stages.includes(STAGE_CURRENT))?.[0] ??
        new NotFoundError('it has no current version', 'give it one with `scoped update secret`', { subject: 'version' }),
      (err: unknown) => err as Error,
    ),
  );
  const entries: PinEntry[] = [];
  const failures: Failures = [];
  resolved.forEach((r, i) => {
    const v = got[i] as string | Error;
    if (typeof v === 'string') entries.push({ key: r.key, scope: r.winner.scope, name: r.winner.name, versionId: v });
    else failures.push({ what: `${r.key} at ${describeScope(r.winner.scope)} (${v instanceof ScopedError ? v.message : v.name})`, error: v });
  });
  if (failures.length > 0) throw failure(failures);
  return entries;
}

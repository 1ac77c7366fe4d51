import { NotFoundError, ScopedError } from '../errors.js';
import { describeScope, type Scope } from '../core/scope.js';
import type { LinkTarget } from '../core/link.js';
import { mapLimit } from '../support/map-limit.js';
import type { SecretStore } from '../store/types.js';
import { NAMED_FAILURES } from '../service/deployment.js';

/**
 * `refs --pinned`: every pinned version still exists. A reference to a version Secrets Manager has deleted
 * (a deprecated one aged out past its 100 versions, or a pin from elsewhere) fails every task and pod at
 * start-up, far from the cause; `run --pinned` says so at once (exit 3), and so does `refs`, without
 * reading a value: metadata only.
 *
 * One DescribeSecret per key (the high quota GetSecretValue shares): a version carrying a label is there.
 * Only a pinned version without a label now (deprecated, still readable until it ages out) costs one
 * ListSecretVersionIds chain more. A link's pinned version is its target's: DescribeSecret on the target's
 * ARN (the one the pin recorded; a pin written before targets were recorded: the link's current one) finds
 * a target that is gone (exit 3 naming the ARN); the store lists a target's deprecated versions by no ARN,
 * so a pinned target version that carries no label is taken as there (never a value read to know).
 */

export interface PinnedRef {
  key: string;
  scope: Scope;
  /** The secret's name in the store (a link's own name). */
  name: string;
  versionId: string;
}

/** How many secrets are checked at once. */
export const VERSION_CHECK_CONCURRENCY = 8;

type Verdict = 'there' | 'gone' | 'unknown';

async function ownVersion(store: SecretStore, p: PinnedRef): Promise<Verdict> {
  const d = await store.describe(p.name);
  if (d.versions[p.versionId] !== undefined) return 'there';
  const all = await store.listVersions(p.name);
  return all.some((v) => v.versionId === p.versionId) ? 'there' : 'gone';
}

async function targetVersion(store: SecretStore, p: PinnedRef, link: LinkTarget): Promise<Verdict> {
  const d = await store.describeArn(link.arn);
  return d.versions[p.versionId] !== undefined ? 'there' : 'unknown';
}

/** Exit 3 naming each key and version that is gone (the first few, then a count); other failures named by key. */
export async function checkPinnedVersions(store: SecretStore, pinned: readonly PinnedRef[], links: ReadonlyMap<string, LinkTarget>, file: string): Promise<void> {
  const verdicts = await mapLimit(pinned, VERSION_CHECK_CONCURRENCY, async (p) => {
    const link = links.get(p.key);
    try {
      return await (link === undefined ? ownVersion(store, p) : targetVersion(store, p, link));
    } catch (err) {
      const at = `${p.key} at ${describeScope(p.scope)}`;
      if (err instanceof NotFoundError && err.subject === 'secret' && link === undefined) {
        throw err.withMessage(`${at}: the pinned secret no longer exists, or is scheduled for deletion (pin file ${file})`, 'pin the deployment again with: scoped pin');
      }
      if (err instanceof ScopedError) throw err.withMessage(`${at}: ${err.message} (pin file ${file})`);
      throw err;
    }
  });
  const gone = pinned.filter((_, i) => verdicts[i] === 'gone');
  if (gone.length === 0) return;
  const named = gone.slice(0, NAMED_FAILURES).map((p) => `${p.key} at ${describeScope(p.scope)} (version ${p.versionId})`);
  const more = gone.length > named.length ? `, and ${gone.length - named.length} more` : '';
  const what = gone.length === 1 ? `pinned version of ${named[0] as string} no longer exists` : `${gone.length} pinned versions no longer exist: ${named.join(', ')}${more}`;
  throw new NotFoundError(`${what} (deleted, or aged out of the secret's versions; pin file ${file})`, 'pin the deployment again with: scoped pin, or deploy another pin', {
    subject: 'version',
  });
}

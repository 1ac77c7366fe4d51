import { ScopedError } from '../errors.js';
import type { TrailLookup } from '../store/trail.js';
import type { VersionInfo } from '../store/types.js';

/**
 * Who wrote each version, from CloudTrail's events on the secret (AWS `history --who`). LookupEvents
 * answers 2 requests a second per account, shared with every other caller: pages are spaced by
 * TRAIL_PAGE_GAP_MS and bounded by TRAIL_MAX_PAGES, and the look-up stops as soon as every version it can
 * know about is named. What it cannot say is one line each, never a failed history.
 */

/** CloudTrail's event history reaches this many days back. */
export const TRAIL_DAYS = 90;
/** Between two pages: twice a second is the account's whole LookupEvents quota. */
export const TRAIL_PAGE_GAP_MS = 500;
/** 20 pages of 50 events: a secret written 1,000 times in 90 days is far past what --who is for. */
export const TRAIL_MAX_PAGES = 20;

const DAY_MS = 86_400_000;
/** Events that write a version (their version id is the new one's). */
const WRITES = new Set(['CreateSecret', 'PutSecretValue', 'UpdateSecret', 'RotateSecret']);
const STAGE_MOVE = 'UpdateSecretVersionStage';

export interface WhoOptions {
  lookup: TrailLookup;
  /** The secret's ARN (DescribeSecret's). */
  arn: string;
  now: Date;
  sleep: (ms: number) => Promise<void>;
  maxPages?: number | undefined;
}

export interface WhoResult {
  /** Version id -> who wrote it. */
  writers: Map<string, string>;
  /** Version id -> who last moved AWSCURRENT onto it (a rollback). */
  movers: Map<string, string>;
  /** What could not be said, one line each (no permission, older than 90 days, pages bounded). */
  notes: string[];
}

interface Detail {
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  userIdentity?: { arn?: unknown; userName?: unknown; principalId?: unknown } | null;
}

function parseDetail(text: string | undefined): Detail {
  if (text === undefined) return {};
  try {
    const d = JSON.parse(text) as unknown;
    return typeof d === 'object' && d !== null ? d : {};
  } catch {
    return {};
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** One event's version and user: the version written (or that AWSCURRENT moved to), the user by name or ARN. */
export function readEvent(name: string, user: string | undefined, detail: string | undefined): { kind: 'write' | 'move'; versionId: string; user: string } | undefined {
  const d = parseDetail(detail);
  const who = str(user) ?? str(d.userIdentity?.userName) ?? str(d.userIdentity?.arn) ?? str(d.userIdentity?.principalId);
  if (who === undefined) return undefined;
  const req = d.requestParameters ?? {};
  const res = d.responseElements ?? {};
  if (WRITES.has(name)) {
    const versionId = str(res.versionId) ?? str(req.clientRequestToken);
    return versionId === undefined ? undefined : { kind: 'write', versionId, user: who };
  }
  if (name === STAGE_MOVE && req.versionStage === 'AWSCURRENT') {
    const versionId = str(req.moveToVersionId);
    return versionId === undefined ? undefined : { kind: 'move', versionId, user: who };
  }
  return undefined;
}

export async function whoWrote(versions: readonly VersionInfo[], o: WhoOptions): Promise<WhoResult> {
  const result: WhoResult = { writers: new Map(), movers: new Map(), notes: [] };
  const start = new Date(o.now.getTime() - TRAIL_DAYS * DAY_MS);
  // Versions CloudTrail can know about: made in its 90 days (or of unknown age).
  const reachable = versions.filter((v) => v.createdAt === undefined || v.createdAt.getTime() >= start.getTime());
  const maxPages = o.maxPages ?? TRAIL_MAX_PAGES;
  let next: string | undefined;
  let pages = 0;
  let more = reachable.length > 0;
  while (more && pages < maxPages) {
    if (pages > 0) await o.sleep(TRAIL_PAGE_GAP_MS);
    let page;
    try {
      page = await o.lookup(o.arn, start, next);
    } catch (err) {
      result.notes.push(`who is not known: ${err instanceof ScopedError ? err.line() : (err as Error).name}`);
      return result;
    }
    pages++;
    // Newest first: the first event seen for a version is its latest.
    for (const e of page.events) {
      const found = readEvent(e.name, e.user, e.detail);
      if (found === undefined) continue;
      const into = found.kind === 'write' ? result.writers : result.movers;
      if (!into.has(found.versionId)) into.set(found.versionId, found.user);
    }
    next = page.next;
    more = next !== undefined && !reachable.every((v) => result.writers.has(v.versionId));
  }
  if (more) {
    result.notes.push(`stopped after ${pages} pages of CloudTrail events (LookupEvents allows 2 requests a second): who wrote older versions is not known`);
  }
  const old = versions.length - reachable.length;
  if (old > 0)
    result.notes.push(`${old} ${old === 1 ? 'version is' : 'versions are'} older than CloudTrail's ${TRAIL_DAYS} days: who wrote ${old === 1 ? 'it' : 'them'} is not known`);
  return result;
}

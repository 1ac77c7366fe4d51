import { describe, expect, it } from 'vitest';
import { AccessDeniedError } from '../../src/errors.js';
import { readEvent, TRAIL_DAYS, TRAIL_MAX_PAGES, TRAIL_PAGE_GAP_MS, whoWrote } from '../../src/history/who.js';
import type { TrailEvent, TrailPage } from '../../src/store/trail.js';
import type { VersionInfo } from '../../src/store/types.js';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:scoped/acme/_/_/KEY-AbCdEf';
const NOW = new Date('2026-12-01T00:00:00Z');
const DAY = 86_400_000;
const v = (id: string, daysAgo: number, stages: string[] = []): VersionInfo => ({ versionId: id, stages, createdAt: new Date(NOW.getTime() - daysAgo * DAY) });

/** CloudTrail's record of a write, as LookupEvents gives it (CloudTrailEvent is JSON text). */
function put(versionId: string, user: string, name = 'PutSecretValue'): TrailEvent {
  return {
    name,
    user,
    detail: JSON.stringify({
      eventName: name,
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::123456789012:user/${user}`, userName: user },
      requestParameters: { secretId: ARN, clientRequestToken: versionId },
      responseElements: { arn: ARN, versionId },
    }),
  };
}

/** A lookup serving `pages` in order, recording each call and each wait between them. */
function fake(pages: TrailPage[]) {
  const calls: { arn: string; start: Date; next: string | undefined }[] = [];
  const waits: number[] = [];
  const lookup = async (arn: string, start: Date, next?: string): Promise<TrailPage> => {
    calls.push({ arn, start, next });
    return pages[calls.length - 1] ?? { events: [] };
  };
  return { calls, waits, options: { lookup, arn: ARN, now: NOW, sleep: async (ms: number) => void waits.push(ms) } };
}

describe('history --who: CloudTrail events to writers', () => {
  it('reads versions and users from writes, a stage move as who made a version current, and skips the rest', () => {
    expect(readEvent('PutSecretValue', 'ana', put('v1', 'ana').detail)).toEqual({ kind: 'write', versionId: 'v1', user: 'ana' });
    // No top-level Username: the identity's name, then its ARN.
    expect(
      readEvent('CreateSecret', undefined, JSON.stringify({ userIdentity: { arn: 'arn:aws:sts::1:assumed-role/deploy/ci' }, requestParameters: { clientRequestToken: 'v0' } })),
    ).toEqual({
      kind: 'write',
      versionId: 'v0',
      user: 'arn:aws:sts::1:assumed-role/deploy/ci',
    });
    expect(
      readEvent('UpdateSecretVersionStage', 'bob', JSON.stringify({ requestParameters: { versionStage: 'AWSCURRENT', moveToVersionId: 'v1', removeFromVersionId: 'v2' } })),
    ).toEqual({ kind: 'move', versionId: 'v1', user: 'bob' });
    expect(readEvent('UpdateSecretVersionStage', 'bob', JSON.stringify({ requestParameters: { versionStage: 'scoped-pin-1', moveToVersionId: 'v1' } }))).toBeUndefined();
    expect(readEvent('GetSecretValue', 'ana', JSON.stringify({ requestParameters: { secretId: ARN } }))).toBeUndefined();
    expect(readEvent('PutSecretValue', 'ana', 'not json')).toBeUndefined();
  });

  it('pages are spaced by 500 ms and it stops as soon as every version is named', async () => {
    const f = fake([
      { events: [put('v3', 'cy'), put('v2', 'bob')], next: 't1' },
      { events: [put('v1', 'ana')], next: 't2' },
      { events: [put('v0', 'zed')], next: 't3' },
    ]);
    const r = await whoWrote([v('v3', 1), v('v2', 2), v('v1', 3)], f.options);
    expect(Object.fromEntries(r.writers)).toEqual({ v3: 'cy', v2: 'bob', v1: 'ana' });
    expect(f.calls.map((c) => c.next)).toEqual([undefined, 't1']);
    expect(f.waits).toEqual([TRAIL_PAGE_GAP_MS]);
    expect(f.calls[0]?.arn).toBe(ARN);
    expect(f.calls[0]?.start.getTime()).toBe(NOW.getTime() - TRAIL_DAYS * DAY);
    expect(r.notes).toEqual([]);
  });

  it(`bounded: after ${TRAIL_MAX_PAGES} pages it stops and says so, every page after the first spaced`, async () => {
    const endless = Array.from({ length: TRAIL_MAX_PAGES + 5 }, (_, i) => ({ events: [put(`other-${i}`, 'x')], next: `t${i}` }));
    const f = fake(endless);
    const r = await whoWrote([v('v1', 1)], f.options);
    expect(f.calls).toHaveLength(TRAIL_MAX_PAGES);
    expect(f.waits).toEqual(Array.from({ length: TRAIL_MAX_PAGES - 1 }, () => TRAIL_PAGE_GAP_MS));
    expect(r.notes).toEqual([expect.stringContaining(`stopped after ${TRAIL_MAX_PAGES} pages`)]);
  });

  it('versions older than 90 days: one line, and no look-up at all when every version is that old', async () => {
    const f = fake([{ events: [put('new', 'ana')] }]);
    const r = await whoWrote([v('new', 1), v('old', TRAIL_DAYS + 1), v('older', TRAIL_DAYS + 30)], f.options);
    expect(r.writers.get('new')).toBe('ana');
    expect(r.notes).toEqual(["2 versions are older than CloudTrail's 90 days: who wrote them is not known"]);
    const none = fake([]);
    const all = await whoWrote([v('old', TRAIL_DAYS + 1)], none.options);
    expect(none.calls).toHaveLength(0);
    expect(all.notes).toEqual(["1 version is older than CloudTrail's 90 days: who wrote it is not known"]);
  });

  it('no permission: one line naming cloudtrail:LookupEvents, the history still given', async () => {
    const f = fake([]);
    const denied = new AccessDeniedError('CloudTrail refused LookupEvents (AccessDeniedException)', 'who wrote each version needs cloudtrail:LookupEvents');
    const r = await whoWrote([v('v1', 1)], { ...f.options, lookup: async () => Promise.reject(denied) });
    expect(r.writers.size).toBe(0);
    expect(r.notes).toEqual(['who is not known: CloudTrail refused LookupEvents (AccessDeniedException); who wrote each version needs cloudtrail:LookupEvents']);
  });
});

/**
 * `--regions`: a region that failed a read goes after the others for a bounded time (REGION_HOLD_MS from
 * its latest failure), then has its configured place back, so `run --watch`, which lives for days, returns
 * to the preferred region once it is healthy. Injected clocks: no real waits. First `RegionOrder` alone,
 * then the AWS store's reads through clients that answer or fail per region.
 */
import { DescribeSecretCommand, SecretsManagerClient, SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { describe, expect, it } from 'vitest';
import { AccessDeniedError, UnavailableError } from '../../../src/errors.js';
import { AwsStore } from '../../../src/store/aws/aws-store.js';
import { REGION_HOLD_MS, RegionOrder } from '../../../src/store/aws/region-order.js';

const EAST = 'us-east-1';
const WEST = 'us-west-2';
const CENTRAL = 'eu-central-1';

/** A clock a test moves by hand. */
function clock(start = 1_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

describe('RegionOrder (injected clock)', () => {
  it('the configured order while nothing failed', () => {
    const c = clock();
    const o = new RegionOrder([EAST, WEST, CENTRAL], c.now);
    expect(o.next()).toEqual({ order: [EAST, WEST, CENTRAL], restored: [] });
    c.advance(10 * REGION_HOLD_MS);
    expect(o.next().order).toEqual([EAST, WEST, CENTRAL]);
  });

  it('a failed region goes last until REGION_HOLD_MS after its failure, then has its place back (said once)', () => {
    const c = clock();
    const o = new RegionOrder([EAST, WEST], c.now);
    o.failed(EAST);
    expect(o.next()).toEqual({ order: [WEST, EAST], restored: [] });
    c.advance(REGION_HOLD_MS - 1);
    expect(o.next()).toEqual({ order: [WEST, EAST], restored: [] });
    c.advance(1);
    expect(o.next()).toEqual({ order: [EAST, WEST], restored: [EAST] });
    expect(o.next()).toEqual({ order: [EAST, WEST], restored: [] });
  });

  it('the hold counts from the latest failure: a region failing again stays last longer', () => {
    const c = clock();
    const o = new RegionOrder([EAST, WEST], c.now, 1_000);
    o.failed(EAST);
    c.advance(900);
    o.failed(EAST);
    c.advance(900);
    expect(o.next().order).toEqual([WEST, EAST]);
    c.advance(100);
    expect(o.next().order).toEqual([EAST, WEST]);
  });

  it('a region that answers has its place back at once', () => {
    const c = clock();
    const o = new RegionOrder([EAST, WEST], c.now);
    o.failed(EAST);
    o.answered(EAST);
    expect(o.next().order).toEqual([EAST, WEST]);
  });

  it('several held regions keep their configured order among themselves, after the ones not held', () => {
    const c = clock();
    const o = new RegionOrder([EAST, WEST, CENTRAL], c.now, 1_000);
    o.failed(WEST);
    c.advance(10);
    o.failed(EAST);
    expect(o.next().order).toEqual([CENTRAL, EAST, WEST]);
    c.advance(990); // WEST's hold ends, EAST's not yet
    expect(o.next()).toEqual({ order: [WEST, CENTRAL, EAST], restored: [WEST] });
  });

  it('the default clock is monotonic (performance.now), not the wall clock', () => {
    const o = new RegionOrder([EAST, WEST]);
    o.failed(EAST);
    expect(o.next().order).toEqual([WEST, EAST]);
  });
});

/** A 500 as the SDK reports it: UnavailableError once translated. */
const serverError = (): SecretsManagerServiceException =>
  new SecretsManagerServiceException({ name: 'InternalServiceError', message: 'injected', $fault: 'server', $metadata: { httpStatusCode: 500, attempts: 1 } });
const accessDenied = (): SecretsManagerServiceException =>
  new SecretsManagerServiceException({ name: 'AccessDeniedException', message: 'injected', $fault: 'client', $metadata: { httpStatusCode: 400, attempts: 1 } });

/**
 * A store with `--regions` over clients that never reach the network: each region answers DescribeSecret
 * or fails as `state` says, and records the order it was asked in.
 */
function regionsStore(regions: string[], now: () => number) {
  const state = new Map<string, 'up' | 'down' | 'denied'>(regions.map((r) => [r, 'up']));
  const asked: string[] = [];
  const lines: string[] = [];
  const clients = new Map(
    regions.map((region) => {
      const send = (command: unknown): Promise<unknown> => {
        if (!(command instanceof DescribeSecretCommand)) throw new Error('only DescribeSecret in this test');
        asked.push(region);
        const s = state.get(region);
        if (s === 'down') return Promise.reject(serverError());
        if (s === 'denied') return Promise.reject(accessDenied());
        const name = command.input.SecretId ?? '';
        return Promise.resolve({ $metadata: {}, ARN: `arn:aws:secretsmanager:${region}:123456789012:secret:${name}-AbCdEf`, Name: name, Description: region });
      };
      return [region, { send } as unknown as SecretsManagerClient];
    }),
  );
  const store = new AwsStore(
    clients.get(regions[0]!)!,
    { debug: (l) => lines.push(l) },
    { target: 'test', region: regions[0], regionClient: (r) => clients.get(r)!, readRegions: regions, now },
  );
  /** One read (a watch re-check's DescribeSecret): which regions it asked, in order. */
  const read = async () => {
    const from = asked.length;
    const details = await store.describe('scoped/acme/_/_/TOKEN');
    return { from: details.description, asked: asked.slice(from) };
  };
  return { store, state, asked, lines, read };
}

describe('AwsStore reads with --regions (injected clock, no network)', () => {
  it('after a primary failure: the replica first while the primary is held, the primary first again after the hold', async () => {
    const c = clock();
    const { state, read, lines } = regionsStore([EAST, WEST], c.now);
    expect(await read()).toEqual({ from: EAST, asked: [EAST] });

    state.set(EAST, 'down');
    expect(await read()).toEqual({ from: WEST, asked: [EAST, WEST] });
    expect(lines.join('\n')).toContain(`region ${EAST} unavailable; reading from ${WEST} instead (${EAST} goes last for 5m)`);

    // The primary is healthy again, but within the hold the replica is asked first and answers.
    state.set(EAST, 'up');
    c.advance(60_000);
    expect(await read()).toEqual({ from: WEST, asked: [WEST] });
    c.advance(REGION_HOLD_MS - 60_000 - 1);
    expect(await read()).toEqual({ from: WEST, asked: [WEST] });

    // The hold is over: the preferred region first again, and the replica is not asked.
    c.advance(1);
    expect(await read()).toEqual({ from: EAST, asked: [EAST] });
    expect(await read()).toEqual({ from: EAST, asked: [EAST] });
    expect(lines.filter((l) => l.includes('configured place again'))).toEqual([
      `aws reads: region ${EAST} tried in its configured place again (its last failure was 5m or more ago)`,
    ]);
  });

  it('a primary still down after the hold: asked first once more, then held again from that failure', async () => {
    const c = clock();
    const { state, read } = regionsStore([EAST, WEST], c.now);
    state.set(EAST, 'down');
    expect((await read()).asked).toEqual([EAST, WEST]);
    c.advance(REGION_HOLD_MS);
    expect((await read()).asked).toEqual([EAST, WEST]);
    c.advance(REGION_HOLD_MS - 1);
    expect((await read()).asked).toEqual([WEST]);
    c.advance(1);
    expect((await read()).asked).toEqual([EAST, WEST]);
  });

  it('a held region that answers has its place back at once, before the regions held since', async () => {
    const c = clock();
    const { state, read } = regionsStore([EAST, WEST, CENTRAL], c.now);
    state.set(EAST, 'down');
    state.set(WEST, 'down');
    expect(await read()).toEqual({ from: CENTRAL, asked: [EAST, WEST, CENTRAL] });
    // EAST and WEST held; now CENTRAL and EAST fail and WEST, asked last, answers.
    c.advance(1_000);
    state.set(WEST, 'up');
    state.set(CENTRAL, 'down');
    expect(await read()).toEqual({ from: WEST, asked: [CENTRAL, EAST, WEST] });
    state.set(EAST, 'up');
    state.set(CENTRAL, 'up');
    // WEST is no longer held; EAST and CENTRAL are (from their failures a second ago).
    expect(await read()).toEqual({ from: WEST, asked: [WEST] });
    c.advance(REGION_HOLD_MS);
    expect(await read()).toEqual({ from: EAST, asked: [EAST] });
  });

  it('every region down: exit 6 naming them all; the configured order again on the next read', async () => {
    const c = clock();
    const { state, read } = regionsStore([EAST, WEST], c.now);
    state.set(EAST, 'down');
    state.set(WEST, 'down');
    const err = await read().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnavailableError);
    expect((err as UnavailableError).message).toContain(`in every region tried: ${EAST}, ${WEST}`);
    state.set(EAST, 'up');
    expect(await read()).toEqual({ from: EAST, asked: [EAST] });
  });

  it('a 4xx from a held region is its answer: no failover, and its place back', async () => {
    const c = clock();
    const { state, read } = regionsStore([EAST, WEST], c.now);
    state.set(EAST, 'down');
    await read();
    state.set(WEST, 'down');
    state.set(EAST, 'denied');
    expect(await read().catch((e: unknown) => e)).toBeInstanceOf(AccessDeniedError);
    state.set(EAST, 'up');
    state.set(WEST, 'up');
    expect(await read()).toEqual({ from: EAST, asked: [EAST] });
  });
});

/**
 * `run --watch --regions us-east-1,us-west-2` on moto, in process: the watch loop (`watchChild`) re-checks
 * the deployment through an AWS store whose region order runs on an injected clock. After a 500 in the
 * primary, re-checks read from the replica while the primary is held (REGION_HOLD_MS), and from the primary
 * again once the hold is over, though the command never ended. Each region's requests are counted by its
 * fault proxy (region-router.ts); the clock is moved between re-checks, never waited for.
 */
import { EventEmitter } from 'node:events';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { DeploymentSource } from '../../../src/deploy/deployment-values.js';
import type { ChildOutcome } from '../../../src/run/child.js';
import { watchChild, type WatchContext } from '../../../src/run/watch-loop.js';
import { AwsStore } from '../../../src/store/aws/aws-store.js';
import { awsSettings, buildClient, regionClient, retryPolicy } from '../../../src/store/aws/client.js';
import { REGION_HOLD_MS } from '../../../src/store/aws/region-order.js';
import { awsConfig, awsTestEnv, describeWithMoto } from '../../helpers/moto.js';
import { startRegionRouter, type RegionRouter } from '../../helpers/region-router.js';

const EAST = 'us-east-1';
const WEST = 'us-west-2';
const NAME = 'scoped/acme/_/_/TOKEN';

describeWithMoto('--regions under run --watch: the primary region first again after its hold (moto, injected clock)', (moto) => {
  let router: RegionRouter;
  beforeAll(async () => {
    router = await startRegionRouter(moto().endpoint, [EAST, WEST]);
  });
  afterAll(() => router.close());
  beforeEach(async () => {
    await moto().reset();
    for (const region of [EAST, WEST]) {
      const c = new SecretsManagerClient({ region, endpoint: moto().endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      await c.send(new CreateSecretCommand({ Name: NAME, SecretString: `value-from-${region}`, Tags: [{ Key: 'scoped:key', Value: 'TOKEN' }] }));
      c.destroy();
    }
    for (const p of Object.values(router.proxies)) p.reset();
  });

  /** The store `createAwsStore` makes for `--regions us-east-1,us-west-2`, with the region order's clock injected. */
  async function regionsStore(now: () => number, lines: string[]): Promise<AwsStore> {
    const config = awsConfig(router.endpoint, { regions: { value: [EAST, WEST], source: 'flag --regions' } });
    // One attempt per request: a 500 moves to the next region at once, with no back-off to wait out.
    const settings = awsSettings(config, awsTestEnv(router.endpoint, { AWS_MAX_ATTEMPTS: '1' }));
    const log = { debug: (l: string) => lines.push(l) };
    const policy = retryPolicy(settings);
    const client = await buildClient(settings, log, policy);
    const others = new Map<string, SecretsManagerClient>();
    const clientFor = (r: string): SecretsManagerClient => {
      if (r === EAST) return client;
      let c = others.get(r);
      if (c === undefined) others.set(r, (c = regionClient(settings, r, log, policy, client, 'a replica region of --regions')));
      return c;
    };
    return new AwsStore(client, log, { target: router.endpoint, region: EAST, policy, regionClient: clientFor, readRegions: settings.regions, now });
  }

  it('a 500 in the primary: the replica while it is held, the primary again after the hold, without ending the watch', async () => {
    let t = 0;
    const lines: string[] = [];
    const store = await regionsStore(() => t, lines);
    const source = {
      io: { cwd: process.cwd() },
      flags: {},
      debug: () => undefined,
      deployment: () => Promise.resolve({ org: 'acme' }),
      settings: () => Promise.resolve({ org: 'acme', prefix: 'scoped/', backend: 'aws' }),
      store: () => Promise.resolve(store),
      warn: () => undefined,
    } as unknown as DeploymentSource;

    // Per re-check (0: the first look, before the child starts): the requests each region answered.
    const rounds: { east: number; west: number }[] = [];
    const seen = { east: 0, west: 0 };
    let stderr = '';
    let finish!: (o: ChildOutcome) => void;
    const child = new Promise<ChildOutcome>((resolve) => (finish = resolve));
    /** What happens between re-check `n` and the next: faults and the clock, never a wait. */
    const between = (n: number): void => {
      if (n === 0) router.proxies[EAST]!.inject({ kind: 'server-error' });
      if (n === 1) {
        router.proxies[EAST]!.reset(); // the primary is healthy again
        seen.east = 0;
        t += 60_000;
      }
      if (n === 2) t += REGION_HOLD_MS - 60_000; // the hold since the 500 is over
      if (n === 4) finish({ started: true, exitCode: 0 });
    };
    const ctx: WatchContext = {
      io: { signals: new EventEmitter() as never, stderr: { write: (s: string) => (stderr += s) } },
      debug: (line) => {
        // Logged once each re-check is over and before the wait for the next.
        if (!line.startsWith('watch: next re-check')) return;
        const east = router.proxies[EAST]!.total();
        const west = router.proxies[WEST]!.total();
        rounds.push({ east: east - seen.east, west: west - seen.west });
        Object.assign(seen, { east, west });
        between(rounds.length - 1);
      },
      info: () => undefined,
      source: () => source,
      random: () => 0,
    };
    const outcome = await watchChild(
      ctx,
      { only: [], exclude: [] },
      // --signal: a change (another region's version ids) is a signal to a child that is not there, not a restart.
      { intervalMs: 100, jitterMs: 0, graceMs: 1_000, signal: 'SIGHUP' },
      { first: undefined, prepare: () => Promise.resolve(undefined), start: () => child },
    );
    expect(outcome).toEqual({ started: true, exitCode: 0 });
    expect(stderr).toBe('');
    const [healthy, failing, held, restored, again] = rounds;
    // A re-check is one ListSecrets and one DescribeSecret (one key).
    expect(healthy).toEqual({ east: 2, west: 0 });
    // The 500 on the listing: it and the describe after it go to the replica.
    expect(failing).toEqual({ east: 1, west: 2 });
    // A minute later the primary answers again, but it is held: the replica only.
    expect(held).toEqual({ east: 0, west: 2 });
    // Its hold is over: the primary, and the replica is no longer asked.
    expect(restored).toEqual({ east: 2, west: 0 });
    expect(again).toEqual({ east: 2, west: 0 });
    expect(lines.filter((l) => l.includes('configured place again'))).toEqual([
      `aws reads: region ${EAST} tried in its configured place again (its last failure was 5m or more ago)`,
    ]);
  }, 60_000);
});

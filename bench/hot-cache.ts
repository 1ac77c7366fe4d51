import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withAwsDeployment } from './aws.js';

type Env = Record<string, string | undefined>;
type Cmd = [string, string[]];

/** What bench/run.ts lends this row: its alternating pair, its rows, its way to run the built binary. */
export interface RowTools {
  pair(base: Cmd, subject: Cmd, env: Env): { base: number; subject: number };
  add(row: { group: string; what: string; median: number; unit: string; baseline: string; baselineMedian: number; target?: string }, targetRatio?: number): void;
  scoped(...args: string[]): Cmd;
  node: Cmd;
  /** bench/floor.cjs with these arguments. */
  floor(...args: string[]): Cmd;
}

/** The goal for a warm pinned export: within this of `node -e 0`, in the same run. */
export const WARM_PINNED_TARGET = 1.3;

/**
 * A warm pinned `export --pinned FILE --cache` of 20 keys on AWS (moto): the values come from the version-id
 * cache under $XDG_CACHE_HOME/scoped, warmed by a first run, so no request is sent and no SDK loaded (the hot
 * entry, dist/bundle/hot-export.cjs, answers it). Against `node -e 0`, alternately, without NODE_EXTRA_CA_CERTS on
 * either side (Node 20 reads that file at start-up), as the run rows.
 */
export async function warmPinnedExport(t: RowTools): Promise<void> {
  const keys = 20;
  const home = mkdtempSync(join(tmpdir(), 'scoped-bench-pinned-'));
  try {
    await withAwsDeployment(keys, (awsEnv) => {
      const env: Env = {
        ...awsEnv,
        HOME: home,
        XDG_CACHE_HOME: join(home, 'cache'),
        SCOPED_HOME: join(home, 'store'),
        SCOPED_LOCAL_KEY: randomBytes(32).toString('base64'),
        SCOPED_CACHE: undefined,
        NODE_EXTRA_CA_CERTS: undefined,
      };
      const pinFile = join(home, 'release.pin.json');
      for (const args of [
        ['pin', '-p', 'billing', '-d', 'production', '--out', pinFile],
        // The first run: reads by version id and fills the cache.
        ['export', '--pinned', pinFile, '--cache'],
      ]) {
        const [cmd, argv] = t.scoped(...args);
        const r = spawnSync(cmd, argv, { env, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`scoped ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
      }
      const m = t.pair(t.node, t.scoped('export', '--pinned', pinFile, '--cache'), env);
      t.add(
        {
          group: 'cache',
          what: `scoped export --pinned FILE --cache (${keys} keys on AWS, moto; warm cache: no request)`,
          median: m.subject,
          unit: 'ms',
          baseline: 'node -e 0',
          baselineMedian: m.base,
          target: `<= ${WARM_PINNED_TARGET}x`,
        },
        WARM_PINNED_TARGET,
      );
      // What the same work costs with none of scoped's code: the pin file, then each cached value read and decrypted.
      const f = t.pair(t.node, t.floor('cache', pinFile, join(home, 'cache', 'scoped', 'values')), env);
      t.add({
        group: 'cache',
        what: `floor of it: the pin file read, each of the ${keys} cached values read and decrypted (bench/floor.cjs)`,
        median: f.subject,
        unit: 'ms',
        baseline: 'node -e 0',
        baselineMedian: f.base,
      });
    });
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

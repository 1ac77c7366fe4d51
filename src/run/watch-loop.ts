import type { ChildProcess } from 'node:child_process';
import { ScopedError } from '../errors.js';
import type { ScopeFlags } from '../core/scope.js';
import type { DeploymentSource } from '../deploy/deployment-values.js';
import type { SignalSource } from '../io.js';
import { formatDuration } from '../core/duration.js';
import type { ChildOutcome } from './child.js';
import { deploymentFingerprint } from './watch.js';
import { nextDelay, type WatchOptions } from './watch-options.js';

/** What the watch loop needs from `run`: the values read at start, how to read them again, how to start a child. */
export interface WatchDeps<P> {
  first: P;
  prepare(): Promise<P>;
  start(prepared: P, started: (child: ChildProcess) => void): Promise<ChildOutcome>;
}

/** Where the loop reads, says things and waits: a command's Context, or a test's stand-in. */
export interface WatchContext {
  io: { signals?: SignalSource | undefined; stderr: { write(text: string): unknown } };
  debug(line: string): void;
  info(line: string): void;
  source(): DeploymentSource;
  /** In [0, 1): the jitter's draw (Math.random unless a test injects one). */
  random?: () => number;
}

/** The keys that count for a re-check: --only's, else every key but --exclude's. */
export interface WatchKeys extends ScopeFlags {
  only: { key: string }[];
  exclude: string[];
  pinned?: string | undefined;
}

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** One line, never a value: our errors say what failed; anything else is named by its kind only. */
function reason(e: unknown): string {
  return e instanceof ScopedError ? e.line() : 'an unexpected error';
}

/**
 * Runs the child and re-checks the deployment every interval (plus jitter). On a change: --signal sends
 * it to the child; otherwise the new values are read, the child is stopped (SIGTERM, then SIGKILL after
 * the grace period) and started again with them. A failed re-check or read keeps the child running and
 * warns once per streak of failures. SIGINT/SIGTERM to scoped reach the child through `run`'s relay and
 * stop any restart; the child ending on its own (not by a restart) ends the loop with its outcome.
 */
export async function watchChild<P>(ctx: WatchContext, keys: WatchKeys, w: WatchOptions, deps: WatchDeps<P>): Promise<ChildOutcome> {
  const only = new Set(keys.only.map((b) => b.key));
  const excluded = new Set(keys.exclude);
  const keep = (key: string): boolean => (only.size > 0 ? only.has(key) : !excluded.has(key));
  const random = ctx.random ?? Math.random;
  const fingerprint = (): Promise<string> => deploymentFingerprint(ctx.source(), keys.pinned, keep);

  let stopping = false;
  const onStop = (): void => {
    stopping = true;
    wake?.();
  };
  for (const sig of STOP_SIGNALS) ctx.io.signals?.on(sig, onStop);
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    let last = await fingerprint().catch(() => undefined);
    let child: ChildProcess | undefined;
    let outcome = deps.start(deps.first, (c) => (child = c));
    let ended: ChildOutcome | undefined;
    void outcome.then((x) => (ended = x));
    let failing = false;
    let check = 0;
    for (;;) {
      const delay = nextDelay(w, random);
      ctx.debug(`watch: next re-check in ${formatDuration(delay)}`);
      const tick = new Promise<'tick'>((resolve) => {
        wake = () => resolve('tick');
        timer = setTimeout(() => resolve('tick'), delay);
      });
      const first = await Promise.race([outcome, tick]);
      clearTimeout(timer);
      if (first !== 'tick' || ended !== undefined) return ended ?? (first as ChildOutcome);
      if (stopping) return await outcome;
      check += 1;
      let now: string;
      let next: P | undefined;
      try {
        // The time limit (--timeout) bounds each re-check and the read after it, not the whole watch.
        await (await ctx.source().store()).renewTimeLimit?.();
        now = await fingerprint();
        if (now !== last && w.signal === undefined) next = await deps.prepare();
      } catch (e) {
        if (!failing) ctx.io.stderr.write(`warning: re-check ${check} of the deployment failed: ${reason(e)}; the child keeps running with the values it has\n`);
        failing = true;
        continue;
      }
      if (failing) ctx.info(`re-check ${check} of the deployment works again`);
      failing = false;
      if (now === last) continue;
      last = now;
      if (ended !== undefined || stopping) return await outcome;
      if (w.signal !== undefined) {
        ctx.info(`the deployment changed: sending ${w.signal} to the child`);
        if (child?.exitCode === null && child.signalCode === null) child.kill(w.signal);
        continue;
      }
      ctx.info('the deployment changed: restarting the child');
      const old = child;
      const stopped = await stopChild(old, outcome, w.graceMs, ctx);
      if (stopping) return stopped;
      child = undefined;
      outcome = deps.start(next as P, (c) => (child = c));
      ended = undefined;
      const current = outcome;
      void current.then((x) => {
        if (outcome === current) ended = x;
      });
      const started = await Promise.race([outcome, Promise.resolve('running' as const)]);
      if (started !== 'running' && !started.started) return started;
    }
  } finally {
    clearTimeout(timer);
    for (const sig of STOP_SIGNALS) ctx.io.signals?.off(sig, onStop);
  }
}

/** SIGTERM, then SIGKILL if the child is still there after the grace period; resolves once it has exited. */
async function stopChild(child: ChildProcess | undefined, outcome: Promise<ChildOutcome>, graceMs: number, ctx: WatchContext): Promise<ChildOutcome> {
  const alive = (): boolean => child !== undefined && child.exitCode === null && child.signalCode === null;
  if (alive()) child?.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<'grace'>((resolve) => (timer = setTimeout(() => resolve('grace'), graceMs)));
  const first = await Promise.race([outcome, grace]);
  clearTimeout(timer);
  if (first === 'grace' && alive()) {
    ctx.info(`the child did not stop within ${formatDuration(graceMs)} of SIGTERM: sending SIGKILL`);
    child?.kill('SIGKILL');
  }
  return outcome;
}

import { describe, expect, it } from 'vitest';
import { buildWatchOptions, nextDelay, parseSignal } from '../../src/run/watch-options.js';

describe('run --watch options', () => {
  it('jitter is bounded by [0, --jitter], whatever the draw', () => {
    const o = { intervalMs: 1000, jitterMs: 200 };
    expect(nextDelay(o, () => 0)).toBe(1000);
    expect(nextDelay(o, () => 0.5)).toBe(1100);
    expect(nextDelay(o, () => 0.999_999)).toBe(1200);
    expect(nextDelay({ intervalMs: 1000, jitterMs: 0 }, () => 0.999_999)).toBe(1000);
    // Over many draws from Math.random: never outside the bounds, and not all the same.
    const draws = Array.from({ length: 500 }, () => nextDelay(o, Math.random));
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(1000);
    expect(Math.max(...draws)).toBeLessThanOrEqual(1200);
    expect(new Set(draws).size).toBeGreaterThan(1);
  });

  it('defaults: 60s interval, a tenth of it as jitter, 10s grace, restart (no signal)', () => {
    expect(buildWatchOptions({ watch: true }, undefined)).toEqual({ intervalMs: 60_000, jitterMs: 6000, graceMs: 10_000, signal: undefined });
    expect(buildWatchOptions({ watch: true, interval: '5m', jitter: '0', grace: '1s', signal: 'usr1' }, 'pin.json')).toEqual({
      intervalMs: 300_000,
      jitterMs: 0,
      graceMs: 1000,
      signal: 'SIGUSR1',
    });
    expect(buildWatchOptions({}, undefined)).toBeUndefined();
  });

  it('signals by either name; not KILL or STOP, not unknown ones', () => {
    expect(parseSignal('HUP')).toBe('SIGHUP');
    expect(parseSignal('SIGTERM')).toBe('SIGTERM');
    for (const bad of ['KILL', 'SIGSTOP', 'NOPE', '']) expect(() => parseSignal(bad)).toThrow(/--signal/);
  });
});

import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/core/duration.js';
import { UsageError } from '../../src/errors.js';

describe('parseDuration', () => {
  it.each([
    ['10s', 10_000],
    ['500ms', 500],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1.5s', 1500],
    ['90', 90_000],
    ['0.25', 250],
    [' 3s ', 3000],
    ['0s', 0],
    ['1m30s', 90_000],
  ])('%s -> %d ms', (raw, ms) => {
    expect(parseDuration(raw, '--interval')).toBe(ms);
  });

  it.each(['', 's', '10x', '-5s', '1h 30m', '1e3', 'ten', '5S', '1.s'])('refuses %j as a usage error naming the flag', (raw) => {
    let error: unknown;
    try {
      parseDuration(raw, '--interval');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain('--interval');
    expect((error as UsageError).message).toContain('not a duration');
  });

  it('enforces the limits given, inclusive', () => {
    expect(parseDuration('1s', '--interval', { minMs: 1000 })).toBe(1000);
    expect(() => parseDuration('999ms', '--interval', { minMs: 1000 })).toThrow(/out of range/);
    try {
      parseDuration('999ms', '--interval', { minMs: 1000 });
    } catch (e) {
      expect((e as UsageError).line()).toBe('--interval "999ms": out of range; use from 1s to 30d');
    }
    expect(parseDuration('1h', '--max-age', { maxMs: 3_600_000 })).toBe(3_600_000);
    expect(() => parseDuration('61m', '--max-age', { maxMs: 3_600_000 })).toThrow(/out of range/);
    expect(() => parseDuration('31d', '--max-age')).toThrow(/out of range/);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [250, '250ms'],
    [1500, '1.5s'],
    [90_000, '1m30s'],
    [5_400_000, '1h30m'],
    [90_061_000, '1d1h1m1s'],
  ])('%d -> %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

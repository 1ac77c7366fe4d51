/**
 * `Deadline.renew`: a command that keeps running (`run --watch`) gets its whole time limit again for each
 * round, also after an earlier round ran it out; the AWS store's `renewTimeLimit` is that.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Deadline } from '../../../src/store/aws/deadline.js';

describe('Deadline.renew', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('after the limit ran out: a new signal, not aborted, and the whole limit from now', () => {
    const d = new Deadline(2, 'flag --timeout');
    const first = d.signal;
    vi.advanceTimersByTime(2_500);
    expect([d.expired(), first.aborted]).toEqual([true, true]);
    d.renew();
    expect(d.expired()).toBe(false);
    expect(d.signal.aborted).toBe(false);
    expect(d.remaining()).toBe(2_000);
    vi.advanceTimersByTime(1_999);
    expect(d.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect([d.expired(), d.signal.aborted]).toEqual([true, true]);
    expect(d.exceeded('ListSecrets').message).toContain('did not finish within the time limit of 2 s (flag --timeout)');
  });

  it('before it ran out: the same signal, which the old end no longer aborts', () => {
    const d = new Deadline(2, 'flag --timeout');
    const signal = d.signal;
    vi.advanceTimersByTime(1_500);
    d.renew();
    expect(d.signal).toBe(signal);
    vi.advanceTimersByTime(1_000);
    expect(signal.aborted).toBe(false);
    vi.advanceTimersByTime(1_000);
    expect(signal.aborted).toBe(true);
  });
});

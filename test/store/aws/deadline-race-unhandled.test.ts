/**
 * The root of a crash seen with `--pinned` past the deadline: a request started after the time limit ran
 * out was raced against an already spent deadline, which rejected at once and left the request's own
 * rejection (it is aborted) unobserved: an unhandled rejection, exit 1 with a stack. And mapLimit stops
 * starting items once one has failed, waiting for those in flight.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UnavailableError } from '../../../src/errors.js';
import { mapLimit } from '../../../src/support/map-limit.js';
import { Deadline } from '../../../src/store/aws/deadline.js';

describe('work raced against a spent deadline', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('rejects with the deadline error, and the work rejecting later is observed', async () => {
    const deadline = new Deadline(0.001, 'flag --timeout');
    await new Promise((r) => setTimeout(r, 10));
    expect(deadline.expired()).toBe(true);
    const work = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('aborted request')), 5));
    await expect(deadline.race('GetSecretValue', work)).rejects.toBeInstanceOf(UnavailableError);
    await new Promise((r) => setTimeout(r, 30));
    expect(unhandled).toEqual([]);
    deadline.dispose();
  });
});

describe('mapLimit', () => {
  it('starts no item after a failure, and throws the first failure once those in flight settled', async () => {
    const started: number[] = [];
    let inFlight = 0;
    let settledAfterThrow = false;
    const err = await mapLimit([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 3, async (i) => {
      started.push(i);
      inFlight += 1;
      await new Promise((r) => setTimeout(r, i === 0 ? 1 : 20));
      inFlight -= 1;
      if (i === 0) throw new Error('first');
      return i;
    }).then(
      () => undefined,
      (e: Error) => {
        settledAfterThrow = inFlight === 0;
        return e;
      },
    );
    expect(err?.message).toBe('first');
    expect(started).toEqual([0, 1, 2]);
    expect(settledAfterThrow).toBe(true);
  });

  it('keeps the order of results', async () => {
    expect(await mapLimit([3, 1, 2], 2, async (n) => n * 10)).toEqual([30, 10, 20]);
  });
});

import { describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, UsageError } from '../../src/errors.js';
import { moveStage, type Labelled } from '../../src/store/stage-rules.js';
import { MAX_STAGES_PER_VERSION } from '../../src/store/types.js';

const N = 'scoped/acme/_/_/KEY';
const three = (): Labelled[] => [
  { id: 'c', stages: ['AWSCURRENT'] },
  { id: 'b', stages: ['AWSPREVIOUS'] },
  { id: 'a', stages: [] },
];
const stages = (vs: Labelled[]) => Object.fromEntries(vs.map((v) => [v.id, v.stages]));

describe('staging-label rules (UpdateSecretVersionStage)', () => {
  it('moving AWSCURRENT moves AWSPREVIOUS to the version it left', () => {
    const vs = three();
    moveStage(N, vs, 'AWSCURRENT', { to: 'a', from: 'c' });
    expect(stages(vs)).toEqual({ c: ['AWSPREVIOUS'], b: [], a: ['AWSCURRENT'] });
  });

  it('AWSCURRENT back onto the previous version swaps the two', () => {
    const vs = three();
    moveStage(N, vs, 'AWSCURRENT', { to: 'b', from: 'c' });
    expect(stages(vs)).toEqual({ c: ['AWSPREVIOUS'], b: ['AWSCURRENT'], a: [] });
  });

  it('a label is on one version at a time: moving one held elsewhere needs that version named', () => {
    const vs = three();
    expect(() => moveStage(N, vs, 'AWSCURRENT', { to: 'a' })).toThrow(ConflictError);
    expect(() => moveStage(N, vs, 'AWSCURRENT', { to: 'a', from: 'b' })).toThrow(/not on version b/);
    expect(stages(vs)).toEqual(stages(three()));
  });

  it('a new label is added and removed; AWSCURRENT cannot be removed', () => {
    const vs = three();
    moveStage(N, vs, 'scoped-pin-1', { to: 'a' });
    expect(vs[2]?.stages).toEqual(['scoped-pin-1']);
    moveStage(N, vs, 'scoped-pin-1', { from: 'a' });
    expect(vs[2]?.stages).toEqual([]);
    expect(() => moveStage(N, vs, 'AWSCURRENT', { from: 'c' })).toThrow(UsageError);
  });

  it('an unknown version is not found (subject version), and nothing changes', () => {
    const vs = three();
    const err = (() => {
      try {
        moveStage(N, vs, 'AWSCURRENT', { to: 'zz', from: 'c' });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as NotFoundError).subject).toBe('version');
    expect(stages(vs)).toEqual(stages(three()));
  });

  it(`a version carries at most ${MAX_STAGES_PER_VERSION} labels: the ${MAX_STAGES_PER_VERSION + 1}th is a quota conflict (exit 4)`, () => {
    const full = Array.from({ length: MAX_STAGES_PER_VERSION - 1 }, (_, i) => `l${i}`);
    const vs: Labelled[] = [{ id: 'c', stages: ['AWSCURRENT', ...full] }];
    const err = (() => {
      try {
        moveStage(N, vs, 'one-more', { to: 'c' });
      } catch (e) {
        return e;
      }
    })() as ConflictError;
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.reason).toBe('quota');
    expect(err.exitCode).toBe(4);
    expect(err.message).toContain(`already carries ${MAX_STAGES_PER_VERSION} staging labels`);
    expect(vs[0]?.stages).toHaveLength(MAX_STAGES_PER_VERSION);
  });

  it('AWSCURRENT still fits on a full version that holds AWSPREVIOUS (which leaves it)', () => {
    const full = Array.from({ length: MAX_STAGES_PER_VERSION - 1 }, (_, i) => `l${i}`);
    const vs: Labelled[] = [
      { id: 'c', stages: ['AWSCURRENT'] },
      { id: 'p', stages: ['AWSPREVIOUS', ...full] },
    ];
    moveStage(N, vs, 'AWSCURRENT', { to: 'p', from: 'c' });
    expect(vs[1]?.stages).toEqual([...full, 'AWSCURRENT']);
    expect(vs[0]?.stages).toEqual(['AWSPREVIOUS']);
  });
});

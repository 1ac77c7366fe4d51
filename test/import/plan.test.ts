import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { countActions, planWrites, sameValue, validateDesired, type Existing } from '../../src/import/plan.js';

const usage = (f: () => unknown): string => {
  try {
    f();
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as UsageError).line();
  }
  throw new Error('no usage error');
};

describe('validation before the first write', () => {
  it('names every bad key and value, never a value', () => {
    const line = usage(() =>
      validateDesired(
        [
          { key: 'GOOD', value: 'canary-value-1' },
          { key: 'my-key', value: 'canary-value-2' },
          { key: 'EMPTY', value: '' },
          { key: 'BIG', value: 'x'.repeat(65_537) },
          { key: 'BIG_BYTES', value: new Uint8Array(65_537) },
        ],
        '.env',
      ),
    );
    expect(line).toMatch(/^.env: nothing written: invalid key "my-key"; EMPTY has an empty value; BIG is 65537 bytes, over the limit of 65536; BIG_BYTES is 65537 bytes/);
    expect(line).not.toMatch(/canary/);
    expect(() => validateDesired([{ key: 'A', value: 'x'.repeat(65_536) }], 'f')).not.toThrow();
  });
  it('shows the first five problems and how many more', () => {
    const entries = Array.from({ length: 8 }, (_, i) => ({ key: `${i}BAD`, value: 'v' }));
    expect(usage(() => validateDesired(entries, 'f'))).toMatch(/invalid key "4BAD", and 3 more/);
    expect(usage(() => validateDesired([{ key: `A-${'x'.repeat(100)}`, value: 'v' }], 'f'))).toMatch(new RegExp(`invalid key "A-${'x'.repeat(62)}…"`));
  });
});

describe('the plan', () => {
  const existing = new Map<string, Existing>([
    ['SAME', { deleted: false, value: 'v' }],
    ['OTHER', { deleted: false, value: 'old' }],
    ['GONE', { deleted: true }],
    ['BIN', { deleted: false, value: new Uint8Array([1, 2, 3]) }],
  ]);
  const desired = [
    { key: 'NEW', value: 'n' },
    { key: 'SAME', value: 'v' },
    { key: 'OTHER', value: 'new' },
    { key: 'BIN', value: new Uint8Array([1, 2, 3]) },
  ];
  it.each([
    [
      'fail',
      [
        ['NEW', 'create'],
        ['SAME', 'unchanged'],
        ['BIN', 'unchanged'],
      ],
      ['OTHER'],
    ],
    [
      'skip',
      [
        ['NEW', 'create'],
        ['SAME', 'unchanged'],
        ['OTHER', 'skip'],
        ['BIN', 'unchanged'],
      ],
      [],
    ],
    [
      'update',
      [
        ['NEW', 'create'],
        ['SAME', 'unchanged'],
        ['OTHER', 'update'],
        ['BIN', 'unchanged'],
      ],
      [],
    ],
  ] as const)('--on-conflict %s', (mode, rows, conflicts) => {
    const plan = planWrites(desired, existing, mode);
    expect(plan.rows.map((r) => [r.key, r.action])).toEqual(rows);
    expect(plan.conflicts).toEqual(conflicts);
    expect(plan.deleted).toEqual([]);
  });
  it('a key scheduled for deletion is refused under every mode', () => {
    for (const mode of ['fail', 'skip', 'update'] as const) expect(planWrites([{ key: 'GONE', value: 'x' }], existing, mode).deleted).toEqual(['GONE']);
  });
  it('compares byte for byte, and text never equals bytes', () => {
    expect(sameValue('abc', 'abc')).toBe(true);
    expect(sameValue('abc', 'abd')).toBe(false);
    expect(sameValue(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(sameValue(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(sameValue(new Uint8Array(Buffer.from('abc')), 'abc')).toBe(false);
    expect(sameValue(Buffer.from('xabc').subarray(1), new Uint8Array(Buffer.from('abc')))).toBe(true);
  });
  it('counts every action', () => {
    expect(countActions([{ action: 'create' }, { action: 'create' }, { action: 'skip' }])).toEqual({ create: 2, update: 0, unchanged: 0, skip: 1 });
  });
});

/** The plan's rule for a key that is a link at the target: never written; equal is unchanged, skip skips, fail and update refuse. */
import { describe, expect, it } from 'vitest';
import { planWrites, type Existing } from '../../src/import/plan.js';

describe('the plan, onto links', () => {
  const existing = new Map<string, Existing>([
    ['EQUAL', { deleted: false, link: true, value: 'same' }],
    ['OTHER', { deleted: false, link: true, value: 'theirs' }],
    ['UNREAD', { deleted: false, link: true }],
    ['BYTES', { deleted: false, link: true, value: new Uint8Array([115, 97, 109, 101]) }],
  ]);
  const desired = [
    { key: 'EQUAL', value: 'same' },
    { key: 'OTHER', value: 'mine' },
    { key: 'UNREAD', value: 'mine' },
    { key: 'BYTES', value: 'same' },
    { key: 'NEW', value: 'n' },
  ];
  it.each(['fail', 'update'] as const)('--on-conflict %s: every link with another (or an unread) value is refused; none is a row or a conflict', (mode) => {
    const plan = planWrites(desired, existing, mode);
    expect(plan.links).toEqual(['OTHER', 'UNREAD', 'BYTES']);
    expect(plan.rows.map((r) => [r.key, r.action])).toEqual([
      ['EQUAL', 'unchanged'],
      ['NEW', 'create'],
    ]);
    expect(plan.conflicts).toEqual([]);
  });
  it('--on-conflict skip: links are skipped, an equal one unchanged; nothing refused', () => {
    const plan = planWrites(desired, existing, 'skip');
    expect(plan.links).toEqual([]);
    expect(plan.rows.map((r) => [r.key, r.action])).toEqual([
      ['EQUAL', 'unchanged'],
      ['OTHER', 'skip'],
      ['UNREAD', 'skip'],
      ['BYTES', 'skip'],
      ['NEW', 'create'],
    ]);
  });
});

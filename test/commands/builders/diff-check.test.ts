import { describe, expect, it } from 'vitest';
import { buildDiffOptions } from '../../../src/commands/diff.js';
import { buildCheckOptions } from '../../../src/commands/check.js';

describe('argv -> options', () => {
  it('diff', () => {
    expect(buildDiffOptions(['a/b', 'c/d'], {})).toEqual({
      deployments: [
        { project: 'a', domain: 'b' },
        { project: 'c', domain: 'd' },
      ],
      scopes: false,
      all: false,
      exitCode: false,
    });
    expect(buildDiffOptions(['a/b', 'c/d', 'e/f'], { scopes: true, all: true, exitCode: true })).toMatchObject({ scopes: true, all: true, exitCode: true });
    expect(() => buildDiffOptions(['a/b', 'a/b'], {})).toThrow('deployment a/b is given twice');
    expect(() => buildDiffOptions(['a/b', 'a'], {})).toThrow('invalid deployment "a"');
  });

  it('check', () => {
    expect(buildCheckOptions([], {})).toEqual({ deployments: [], require: [] });
    expect(buildCheckOptions([], { deployment: ['a/b', 'c/d'], require: ['K', 'L'] })).toEqual({
      deployments: [
        { project: 'a', domain: 'b' },
        { project: 'c', domain: 'd' },
      ],
      require: ['K', 'L'],
    });
    expect(() => buildCheckOptions([], { require: ['1X'] })).toThrow('invalid key "1X"');
    expect(() => buildCheckOptions([], { deployment: ['a/_'] })).toThrow('needs a domain');
  });
});

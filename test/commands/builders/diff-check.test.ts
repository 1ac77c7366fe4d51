import { describe, expect, it } from 'vitest';
import { diffCommand } from '../../../src/commands/diff.js';
import { checkCommand } from '../../../src/commands/check.js';

describe('argv -> options', () => {
  it('diff', () => {
    expect(diffCommand.build(['a/b', 'c/d'], {})).toEqual({
      deployments: [
        { project: 'a', domain: 'b' },
        { project: 'c', domain: 'd' },
      ],
      scopes: false,
      all: false,
      exitCode: false,
    });
    expect(diffCommand.build(['a/b', 'c/d', 'e/f'], { scopes: true, all: true, exitCode: true })).toMatchObject({ scopes: true, all: true, exitCode: true });
    expect(() => diffCommand.build(['a/b', 'a/b'], {})).toThrow('deployment a/b is given twice');
    expect(() => diffCommand.build(['a/b', 'a'], {})).toThrow('invalid deployment "a"');
  });

  it('check', () => {
    expect(checkCommand.build([], {})).toEqual({ deployments: [], require: [] });
    expect(checkCommand.build([], { deployment: ['a/b', 'c/d'], require: ['K', 'L'] })).toEqual({
      deployments: [
        { project: 'a', domain: 'b' },
        { project: 'c', domain: 'd' },
      ],
      require: ['K', 'L'],
    });
    expect(() => checkCommand.build([], { require: ['1X'] })).toThrow('invalid key "1X"');
    expect(() => checkCommand.build([], { deployment: ['a/_'] })).toThrow('needs a domain');
  });
});

import { describe, expect, it } from 'vitest';
import { hotLine } from '../../src/cli/hot-line.js';

/** The hot entry's grammar: what it takes, as commander would hold it, and what it leaves to the full CLI. */
describe('hotLine', () => {
  it('takes resolve, get secret and export with their usual flags, in any order, global flags anywhere', () => {
    expect(hotLine(['resolve', 'A', '-p', 'billing', '--domain=production', 'B', '--explain'])).toEqual({
      command: 'resolve',
      args: ['A', 'B'],
      flags: { project: 'billing', domain: 'production', explain: true },
      global: {},
    });
    expect(hotLine(['--org', 'acme', 'get', 'secrets', 'K', '--reveal', '-o', 'json', '--no-color', '-q'])).toEqual({
      command: 'get secret',
      args: ['K'],
      flags: { reveal: true },
      global: { org: 'acme', output: 'json', color: false, quiet: true },
    });
    expect(hotLine(['export', '--only', 'A', '--only', 'B=C', '--pinned', 'p.json', '--cache', '--prefix', ''])).toEqual({
      command: 'export',
      args: [],
      flags: { only: ['A', 'B=C'], pinned: 'p.json' },
      global: { cache: true, prefix: '' },
    });
  });

  it.each([
    [['resolv']],
    [[]],
    [['get', 'secret', 'A', 'B']],
    [['export', 'A']],
    [['resolve', '-pbilling']],
    [['resolve', '-p']],
    [['resolve', '-p', '-d']],
    [['resolve', '-p', ' ']],
    [['resolve', '-p', 'a', '--project', 'b']],
    [['resolve', '--explain=1']],
    [['resolve', '--', 'A']],
    [['resolve', '-qo', 'json']],
    [['resolve', '-o', 'xml']],
    [['export', '-o', 'markdown']],
    [['export', '--format', 'toml']],
    [['export', '--only', 'A', '--only', 'A']],
    [['export', '--out', 'f']],
    [['-p', 'billing', 'resolve']],
    [['get', '-p', 'billing', 'secret']],
    [['get', 'value', 'A']],
    [['resolve', '--debug']],
    [['resolve', '--region', 'eu-west-1']],
    [['--backend', 'nope', 'resolve']],
  ])('leaves %j to the full CLI', (argv) => {
    expect(hotLine(argv)).toBeUndefined();
  });
});

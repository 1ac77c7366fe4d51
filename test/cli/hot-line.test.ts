import { describe, expect, it } from 'vitest';
import { hotLine, tableFlags } from '../../src/cli/hot-line.js';
import { runCommand } from '../../src/commands/run.js';

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

  it("takes run with the flags of its table and `--`, every word after it the child's", () => {
    const run = runCommand.options;
    expect(hotLine(['run', '-p', 'billing', '--only', 'A', '--only', 'B=C', '--file', 'K', '--no-mask', '-q', '--', 'sh', '-c', 'x --only -p', '--'], run)).toEqual({
      command: 'run',
      args: ['sh', '-c', 'x --only -p', '--'],
      flags: { project: 'billing', only: ['A', 'B=C'], file: ['K'], mask: false },
      global: { quiet: true },
    });
    expect(hotLine(['--org', 'acme', 'run', '--mask', '--preserve-env', '--expand', 'J=P', '--exclude', 'X', '--pinned', 'p.json', '--', 'true'], run)).toEqual({
      command: 'run',
      args: ['true'],
      flags: { mask: true, preserveEnv: true, expand: ['J=P'], exclude: ['X'], pinned: 'p.json' },
      global: { org: 'acme' },
    });
    // Without run's table (a line the entry did not load it for), run is not taken.
    expect(hotLine(['run', '--', 'true'])).toBeUndefined();
  });

  it("reads every flag of run's table but --watch and its settings", () => {
    const flags = tableFlags(runCommand.options, ['--watch', '--interval', '--jitter', '--signal', '--grace']);
    const longs = runCommand.options.map(([usage]) => /--[a-z-]+/.exec(usage)?.[0]);
    expect(
      Object.keys(flags)
        .filter((f) => f.startsWith('--'))
        .sort(),
    ).toEqual(longs.filter((l) => !['--watch', '--interval', '--jitter', '--signal', '--grace'].includes(l as string)).sort());
    expect(flags['-p']).toBe(flags['--project']);
    expect(flags['--no-mask']).toEqual({ name: 'mask', value: false, negated: true });
    expect(flags['--only']).toEqual({ name: 'only', value: true, repeatable: true });
  });

  it.each([
    [['run', 'true']],
    [['run', 'ls', '-la']],
    [['run', 'x', '--', 'true']],
    [['run', '--watch', '--', 'true']],
    [['run', '--interval', '5s', '--', 'true']],
    [['run', '--signal', 'HUP', '--', 'true']],
    [['run', '--grace', '1s', '--', 'true']],
    [['run', '--jitter', '1s', '--', 'true']],
    [['run', '--pinned', '-', '--', 'true']],
    [['run', '--mask', '--no-mask', '--', 'true']],
    [['run', '--mask=1', '--', 'true']],
    [['run', '--only', '', '--', 'true']],
    [['run', '--bogus', '--', 'true']],
    [['run', '--debug', '--', 'true']],
    [['run', '-o', 'markdown', '--', 'true']],
    [['--', 'run', 'true']],
    [['-p', 'b', 'run', '--', 'true']],
    [['resolve', '--', 'run']],
  ])('leaves run line %j to the full CLI', (argv) => {
    expect(hotLine(argv, runCommand.options)).toBeUndefined();
  });
});

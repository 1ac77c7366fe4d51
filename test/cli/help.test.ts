import { describe, expect, it } from 'vitest';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { commandPaths } from '../completion/command-paths.js';
import { fullProgram } from '../../src/cli/program.js';
import { helpRequest } from '../../src/completion/engine.js';
import { commandSpec } from '../../src/completion/tree.js';
import { displayWidth } from '../../src/cli/table-fit.js';
import { closest } from '../../src/cli/suggest.js';
import { sandbox, testIO } from '../helpers/io.js';

const root = (await fullProgram(testIO(), '0.0.0')).root;
const all = commandPaths(root);
const sb = sandbox();

describe('every command has examples and shows the global options', () => {
  it('the tree has the commands we expect to check', () => {
    expect(all.length).toBeGreaterThanOrEqual(15);
    expect(all).toContainEqual(['create', 'secret']);
  });

  it.each(all.map((p) => [p.join(' '), p]))('scoped %s --help', async (_name, path) => {
    const r = await sb.run([...(path as string[]), '--help']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toMatch(new RegExp(`^Usage: scoped ${(path as string[]).join(' ')} `));
    expect(r.stdout).toMatch(/\nExamples:\n {2}\$ scoped \S+/);
    expect(r.stdout).toMatch(/\nGlobal options:\n[^]*--org <org>[^]*-o, --output <format>/);
    // Each example runs a command of the tree: its first words name a real command.
    for (const example of r.stdout.split('Examples:\n')[1]?.match(/\$ scoped (\S+)/g) ?? []) {
      expect(all.map((p) => p[0])).toContain(example.replace('$ scoped ', ''));
    }
  });

  it('the root help lists commands, its options and examples', async () => {
    const r = await sb.run(['--help']);
    expect(r.stdout).toMatch(/^Usage: scoped <command> \[options\]\n/);
    expect(r.stdout).toMatch(/\nCommands:\n {2}create <resource> /);
    expect(r.stdout).toMatch(/\nExamples:\n/);
    expect((await sb.run([])).stdout).toBe(r.stdout);
  });

  it('a verb: usage `<resource>` and its resources listed', async () => {
    const r = await sb.run(['get', '--help']);
    expect(r.stdout).toMatch(/^Usage: scoped get <resource>\n/);
    expect(r.stdout).toMatch(/\nResources:\n {2}secret\|secrets \[KEY\] +list the secrets/);
    expect(r.stdout).not.toContain('[command]');
  });

  // Examples stay one line each, to copy and paste, as gh shows them.
  const widest = (help: string) => Math.max(...(help.split('\nExamples:')[0] as string).split('\n').map(displayWidth));
  it('fits the terminal: every line but the examples within its width (and 80 when piped)', async () => {
    for (const columns of [60, 120]) {
      const r = await sb.run(['create', 'secret', '--help'], { tty: true, columns });
      expect(widest(r.stdout)).toBeLessThanOrEqual(columns);
    }
    const piped = await sb.run(['create', 'secret', '--help']);
    expect(widest(piped.stdout)).toBeLessThanOrEqual(80);
    const narrow = await sb.run(['create', 'secret', '--help'], { tty: true, columns: 40 });
    expect(narrow.stdout).toMatch(/\n {2}--replica-region <region>\n {6}replicate to this region/);
  });
});

describe('the data answers help exactly as commander would', () => {
  it.each(all.map((p) => [p.join(' '), p]))('%s: the fast path prints what commander prints', async (_name, path) => {
    let cmd: CommandUnknownOpts = root;
    for (const word of path as string[]) cmd = cmd.commands.find((c) => c.name() === word) as CommandUnknownOpts;
    expect((await sb.run([...(path as string[]), '-h'])).stdout).toBe(cmd.helpInformation());
  });

  const spec = commandSpec(root);
  const names = (line: string) => helpRequest(spec, line === '' ? [] : line.split(' '))?.map((c) => c.name);
  it.each([
    ['', ['scoped']],
    ['--help', ['scoped']],
    ['get secret -p billing --help', ['scoped', 'get', 'secret']],
    ['--org acme resolve KEY -h', ['scoped', 'resolve']],
    ['--output=json get secrets --help', ['scoped', 'get', 'secrets']],
    ['create secret K -pbilling --help', ['scoped', 'create', 'secret']],
  ])('%j asks for help on %j', (line, expected) => {
    expect(names(line)).toEqual(expected.map((n) => (n === 'secrets' ? 'secret' : n)));
  });

  it.each([
    'resolve -p --help', // --help is -p's value
    'get secret -p -h --help', // a flag where -p's value belongs: commander's usage error
    'get -h secret', // commander shows get's help, the command -h came with
    'resolve -p', // a value missing at the end
    'run -- node --help', // the child's flag
    'resolv --help', // commander reports the unknown command
    'get secret --bogus --help',
    'get secret -qy --help', // a cluster: commander decides
    '--version --help',
    'resolve',
  ])('%j is left to commander', (line) => {
    expect(names(line)).toBeUndefined();
  });
});

describe('help in forms the data leaves to commander', () => {
  it('get secret -p -h --help: the flag where a value belongs is the usage error it is without --help', async () => {
    const r = await sb.run(['get', 'secret', '-p', '-h', '--help']);
    expect(r).toEqual(expect.objectContaining({ code: 2, stdout: '', stderr: 'scoped: --project needs a value, but the next word is the flag -h; give --project a value\n' }));
  });

  it("get -h secret: get's help, as commander gives it", async () => {
    const get = root.commands.find((c) => c.name() === 'get') as CommandUnknownOpts;
    expect((await sb.run(['get', '-h', 'secret'])).stdout).toBe(get.helpInformation());
  });
});

describe('did you mean: one line, exit 2, nothing on stdout', () => {
  it.each([
    [['resolv'], "unknown command 'resolv' -- did you mean resolve?"],
    [['resolve', '--projetc', 'x'], "unknown option '--projetc' -- did you mean --project?"],
    [['get', 'secrte'], "unknown resource 'secrte' for get -- did you mean secret?"],
    [['get', 'secret', '--revael'], "unknown option '--revael' -- did you mean --reveal?"],
    // A global option after the subcommand, and before it.
    [['get', 'secret', '--outptu', 'json'], "unknown option '--outptu' -- did you mean --output?"],
    [['--backnd', 'aws', 'resolve'], "unknown option '--backnd' -- did you mean --backend?"],
    [['crate', 'secret', 'K'], "unknown command 'crate' -- did you mean create?"],
    // The child's flags before --: say where they go.
    [['run', 'ls', '-la'], "unknown option '-la'; put the command after --: scoped run [FLAGS] -- CMD [ARGS...]"],
  ])('%j', async (argv, line) => {
    const r = await sb.run(argv);
    expect(r).toEqual(expect.objectContaining({ code: 2, stdout: '', stderr: `scoped: ${line}\n` }));
  });

  it('nothing close: the list and where to look', async () => {
    expect((await sb.run(['get', 'zzzzzz'])).stderr).toBe("scoped: unknown resource 'zzzzzz' for get: secret; see: scoped get --help\n");
    expect((await sb.run(['zzzzzz'])).stderr).toBe("scoped: unknown command 'zzzzzz' (see: scoped --help)\n");
  });

  it('closest: the nearest within two edits, ties kept', () => {
    expect(closest('secrte', ['secret', 'secrets'])).toEqual(['secret']);
    expect(closest('rn', ['run', 'render'])).toEqual(['run']);
    expect(closest('expotr', ['export', 'resolve'])).toEqual(['export']);
    expect(closest('xyz', ['export', 'resolve'])).toEqual([]);
  });
});

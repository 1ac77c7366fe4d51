import { Command, Option } from '@commander-js/extra-typings';
import { describe, expect, it } from 'vitest';
import { fullProgram } from '../../src/cli/program.js';
import { analyseLine, type LineAnalysis } from '../../src/completion/engine.js';
import { formatCandidates, joinBashWords } from '../../src/completion/protocol.js';
import { commandSpec } from '../../src/completion/tree.js';
import { testIO } from '../helpers/io.js';

const tree = commandSpec((await fullProgram(testIO(), '0.0.0')).root);
const analyse = (line: string): LineAnalysis => analyseLine(tree, line.split(' '));
const values = (a: LineAnalysis): string[] =>
  a.source.kind === 'static'
    ? a.source.candidates
        .map((c) => c.value)
        .filter((v) => v.startsWith(a.partial))
        .map((v) => a.lead + v)
    : [];

describe('the tree', () => {
  it('has the visible commands and not the hidden one', () => {
    const names = tree.subcommands.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['create', 'get', 'delete', 'resolve', 'completion']));
    expect(names).not.toContain('__complete');
  });

  it('completes a command added to any commander tree, with its flags and choices, unedited', () => {
    const root = new Command('tool').option('--org <org>', 'the org');
    root
      .command('frobnicate')
      .description('new')
      .addOption(new Option('--level <n>', 'how much').choices(['low', 'high']));
    const spec = commandSpec(root);
    expect(values(analyseLine(spec, ['fr']))).toEqual(['frobnicate']);
    expect(values(analyseLine(spec, ['frobnicate', '--level', '']))).toEqual(['low', 'high']);
    expect(values(analyseLine(spec, ['frobnicate', '--o']))).toEqual(['--org']);
  });

  it('reads what a value is from the name the help gives it', () => {
    const root = new Command('tool');
    root
      .command('exec')
      .option('--only <KEY[=ENV]>', 'key', (v: string, p: string[] = []) => [...p, v])
      .argument('<CMD...>');
    root.command('fill').argument('<TEMPLATE>').option('--out <PATH>', 'where');
    const spec = commandSpec(root);
    expect(analyseLine(spec, ['exec', '--only', 'A', '--only', '']).source).toEqual({ kind: 'keys', mode: 'deployment', exclude: [] });
    expect(values(analyseLine(spec, ['exec', '--only', 'A', '--o']))).toEqual(['--only']);
    // A CMD after -- is a command line of its own, the shell's to complete; before it, the -- it needs.
    expect(analyseLine(spec, ['exec', '--', '']).source).toEqual({ kind: 'command', at: 2 });
    expect(analyseLine(spec, ['exec', '--', 'ls', '-l']).source).toEqual({ kind: 'command', at: 2 });
    expect(analyseLine(spec, ['exec', '--only', 'A', '--', 'ls', '--', '-l']).source).toEqual({ kind: 'command', at: 4 });
    expect(values(analyseLine(spec, ['exec', '']))).toEqual(['--']);
    expect(analyseLine(spec, ['fill', '']).source).toEqual({ kind: 'files' });
    expect(analyseLine(spec, ['fill', 'T', '--out=']).source).toEqual({ kind: 'files' });
  });
});

describe('analyseLine: commands, flags and choices come from the tree alone', () => {
  it.each([
    ['cr', ['create']],
    ['create ', ['secret']],
    ['get secret --pro', ['--project', '--profile']],
    ['get secret -o ', ['table', 'json', 'yaml', 'markdown']],
    ['get secret --output ', ['table', 'json', 'yaml', 'markdown']],
    ['--backend ', ['local', 'aws']],
    ['completion ', ['bash', 'zsh', 'fish']],
    ['get secret --output=j', ['--output=json']],
    ['get secret -oy', ['-oyaml']],
    ['--org acme get s', ['secret']],
    ['get secret --all --a', []],
    ['create secret K --tag a=b --ta', ['--tag']],
    ['delete secret --y', ['--yes']],
  ])('%j offers %j', (line, expected) => {
    expect(values(analyse(line))).toEqual(expected);
  });

  it('offers global options on subcommands, once each', () => {
    const flags = values(analyse('get secret --'));
    for (const f of ['--org', '--backend', '--output', '--project', '--all', '--help']) expect(flags).toContain(f);
    expect(flags.filter((f) => f === '--help')).toHaveLength(1);
  });

  it('does not offer an option that was given already', () => {
    expect(values(analyse('get secret --reveal --rev'))).toEqual([]);
  });

  it('offers nothing for a free-form value or after the last argument', () => {
    expect(analyse('create secret K --description ').source).toEqual({ kind: 'none' });
    expect(analyse('create secret K V ').source).toEqual({ kind: 'none' });
  });

  it('asks for files where the value is a path', () => {
    expect(analyse('create secret K --from-file ').source).toEqual({ kind: 'files' });
    expect(analyse('create secret K -f ').source).toEqual({ kind: 'files' });
  });
});

describe('analyseLine: what needs the store', () => {
  it('--project and --domain values', () => {
    expect(analyse('get secret --project ').source).toEqual({ kind: 'projects' });
    expect(analyse('resolve -d ').source).toEqual({ kind: 'domains' });
    expect(analyse('get secret --domain=pr')).toMatchObject({ source: { kind: 'domains' }, lead: '--domain=', partial: 'pr' });
  });

  it.each([
    ['get secret --project p ', 'at-scope'],
    ['update secret ', 'at-scope'],
    ['delete secret -p p -d d ', 'at-scope'],
    ['restore secret ', 'deleted-at-scope'],
    ['create secret ', 'elsewhere-in-org'],
    ['resolve ', 'deployment'],
  ])('KEY of %j: %s', (line, mode) => {
    expect(analyse(line).source).toMatchObject({ kind: 'keys', mode });
  });

  it('keeps the flags typed on the line, wherever they are', () => {
    const a = analyse('--org acme get secret --backend=aws -p web --domain prod --endpoint-url http://x ');
    expect(a.values).toEqual({ org: 'acme', backend: 'aws', project: 'web', domain: 'prod', endpointUrl: 'http://x' });
    expect(a.path).toEqual(['scoped', 'get', 'secret']);
  });

  it('does not offer keys already given to a variadic KEY', () => {
    expect(analyse('resolve A B ').source).toEqual({ kind: 'keys', mode: 'deployment', exclude: ['A', 'B'] });
  });
});

describe('joinBashWords', () => {
  it.each([
    [['get', '--output', '=', 'js'], ['get', '--output=js'], 9],
    [['get', '--output', '='], ['get', '--output='], 9],
    [['--role-arn', 'arn', ':', 'aws', ':', 'iam', ''], ['--role-arn', 'arn:aws:iam', ''], undefined],
    [['create', 'secret', ''], ['create', 'secret', ''], undefined],
    [['-p', "'web'", '-d', '"prod"', 'a\\ b', ''], ['-p', 'web', '-d', 'prod', 'a b', ''], undefined],
  ])('%j -> %j (cut %s)', (raw, words, cut) => {
    expect(joinBashWords(raw)).toMatchObject({ words, cut });
  });

  it('says where each joined word started among bash words', () => {
    expect(joinBashWords(['run', '--only', 'A', '=', 'B', "'--'", 'env', 'X', '=', '1', '']).starts).toEqual([0, 1, 2, 5, 6, 7, 10]);
  });
});

describe("run's command", () => {
  it.each([
    ['run -p billing ', 'static'],
    ['run -p billing -- ', 'command'],
    ['run -- npm ', 'command'],
    ['run -- npm --pro', 'command'],
    ['run -p billing -- env -p ', 'command'],
    ['--org acme run --only A -- ./deploy.sh ', 'command'],
  ])('%j: %s', (line, kind) => {
    expect(analyse(line).source.kind).toBe(kind);
  });

  it('before the --, run offers it (and its own flags on a -)', () => {
    expect(values(analyse('run -p billing '))).toEqual(['--']);
    expect(values(analyse('run --pro'))).toEqual(['--project', '--profile']);
  });
});

describe('formatCandidates', () => {
  const cands = [{ value: '--output=json', description: 'output\tformat\nhere' }, { value: '--output=json' }, { value: '--output=yaml' }];
  it('bash: values alone, cut after a split =', () => {
    expect(formatCandidates('bash', cands, undefined, 9)).toBe('json\nyaml\n');
  });
  it('zsh and fish: value, tab, one-line description; then the files directive', () => {
    expect(formatCandidates('fish', cands, ':files')).toBe('--output=json\toutput format here\n--output=yaml\n:files\n');
  });
  it('the command directive alone, with where the command starts, for the words after run --', () => {
    expect(formatCandidates('bash', [], ':command 3')).toBe(':command 3\n');
  });
});

import { describe, expect, it } from 'vitest';
import { Command } from '@commander-js/extra-typings';
import { COMMANDS, commandWords, entriesFor, fullProgram, listWords, loadCommands, loadProgram } from '../../src/cli/program.js';
import { testIO } from '../helpers/io.js';

/**
 * A command line loads only its own command module (cli/program.ts's COMMANDS: words and a loader per
 * command); the whole tree is still built when the line names no command plainly. The built bundle's side
 * (which modules `resolve` evaluates) is test/e2e/hot-path-modules.test.ts.
 */
const root = (await fullProgram(testIO(), '0.0.0')).root;
const names = (argv: string[]) => entriesFor(argv, root)?.map((e) => [e.verb, e.name].filter(Boolean).join(' '));

describe('the list of commands', () => {
  it("holds each command's words as its definition registers them", async () => {
    expect(listWords()).toEqual(JSON.parse(JSON.stringify(commandWords(root))));
    const defs = await loadCommands();
    COMMANDS.forEach((e, i) => expect(defs[i]?.name).toBe(e.name === undefined ? `${e.verb} --pinned` : [e.verb, e.name].filter(Boolean).join(' ')));
  });
});

describe('the entries a command line needs', () => {
  it('are its command, after any global options, every resource of a verb', () => {
    expect(names(['resolve', '-p', 'billing'])).toEqual(['resolve']);
    expect(names(['run', '--', 'get', 'secret'])).toEqual(['run']);
    expect(names(['--org', 'acme', '-o', 'json', '--debug', 'get', 'secret', 'K'])).toEqual(['get secret']);
    expect(names(['--org=acme', 'get', 'secrets'])).toEqual(['get secret']);
    expect(names(['rollback', '--pinned', 'f.json'])).toEqual(['rollback secret', 'rollback']);
    expect(names(['get', 'secrte'])).toEqual(['get secret']);
  });

  it('are all of them when the line names no command plainly', () => {
    expect(entriesFor([], root)).toBeUndefined();
    expect(entriesFor(['resolv'], root)).toBeUndefined();
    expect(entriesFor(['--orgg', 'x', 'resolve'], root)).toBeUndefined();
    expect(entriesFor(['--debug=1', 'resolve'], root)).toBeUndefined();
    expect(entriesFor(['-qy', 'resolve'], root)).toBeUndefined();
    expect(entriesFor(['--org'], root)).toBeUndefined();
  });

  it('build a tree of that command alone, the globals and their checks included', async () => {
    const program = await loadProgram(testIO(), '0.0.0', ['--org', 'acme', 'resolve']);
    expect(program.root.commands.map((c) => c.name())).toEqual(['resolve']);
    expect(program.root.options.map((o) => o.long)).toEqual(root.options.map((o) => o.long));
    const verb = (await loadProgram(testIO(), '0.0.0', ['get', 'secret'])).root.commands[0] as Command;
    expect([verb.name(), verb.commands.map((c) => c.name())]).toEqual(['get', ['secret']]);
    expect((await loadProgram(testIO(), '0.0.0', ['resolv'])).root.commands.length).toBe(root.commands.length);
  });
});

describe('colour, decided without creating a stream that is surely no terminal', () => {
  it('a pipe or file on stderr is no terminal: its stream is never touched', async () => {
    const { colorEnabled } = await import('../../src/io.js');
    const io = { ...testIO(), surelyNotTTY: () => true };
    Object.defineProperty(io, 'stderr', {
      get: () => {
        throw new Error('created');
      },
    });
    expect(colorEnabled(io, false, 'stderr')).toBe(false);
    const maybe = { ...testIO(), surelyNotTTY: () => false, stderr: Object.assign(testIO().stderr, { isTTY: true }) };
    expect(colorEnabled(maybe, false, 'stderr')).toBe(true);
  });
});

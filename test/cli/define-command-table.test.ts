import { describe, expect, it } from 'vitest';
import { Command } from '@commander-js/extra-typings';
import { addFlags, flagDefaults, type FlagTable } from '../../src/cli/define-command.js';
import { loadCommands } from '../../src/cli/program.js';
import { isRepeatable } from '../../src/commands/options.js';

/**
 * A command's flags are a table (cli/define-command.ts) that becomes commander options when the command is
 * registered, and whose defaults `build` fills in without commander (for the hot entry and for tests).
 */
const defs = await loadCommands();

describe('a table of flags', () => {
  it("gives every command's build the defaults commander gives its parsed flags", () => {
    for (const def of defs) {
      expect(flagDefaults(def.options), def.name).toEqual(addFlags(new Command(), def.options).opts());
    }
  });

  it('makes the options its rows say: choices, default, repeatable, required, negation', () => {
    const table = [
      ['-p, --project <project>', 'the project'],
      ['--on-conflict <what>', 'what to do', { choices: ['fail', 'skip'], default: 'fail' }],
      ['--tag <key=value>', 'a tag', { repeatable: true }],
      ['--arn <ARN>', 'the ARN', { required: true }],
      ['--no-punctuation', 'letters and digits only'],
    ] as const satisfies FlagTable;
    const cmd = addFlags(new Command(), table);
    const [project, conflict, tag, arn, punctuation] = cmd.options;
    expect(project).toMatchObject({ short: '-p', long: '--project', required: true, description: 'the project' });
    expect(conflict).toMatchObject({ argChoices: ['fail', 'skip'], defaultValue: 'fail' });
    expect(isRepeatable(tag!)).toBe(true);
    expect(isRepeatable(conflict!)).toBe(false);
    expect(arn).toMatchObject({ mandatory: true });
    expect(punctuation).toMatchObject({ negate: true });
    expect(flagDefaults(table)).toEqual({ onConflict: 'fail', punctuation: true });
    cmd.exitOverride().parse(['--tag', 'a=1', '--tag', 'b=2', '--arn', 'x', '--no-punctuation', '--on-conflict', 'skip'], { from: 'user' });
    expect(cmd.opts()).toEqual({ tag: ['a=1', 'b=2'], arn: 'x', punctuation: false, onConflict: 'skip' });
  });

  it('a --no-x beside its --x has no default: neither given is undefined', () => {
    const table = [
      ['--mask', 'mask'],
      ['--no-mask', 'do not mask'],
    ] as const satisfies FlagTable;
    expect(flagDefaults(table)).toEqual({});
    expect(addFlags(new Command(), table).opts()).toEqual({});
  });
});

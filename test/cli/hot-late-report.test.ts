import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, testIO, type Sandbox } from '../helpers/io.js';
import { hotLine } from '../../src/cli/hot-line.js';
import { givenFlags, globalOptions, report } from '../../src/cli/hot-entry.js';
import { listWords } from '../../src/cli/program.js';
import { Context } from '../../src/cli/context.js';
import { getSecretCommand, runGetSecret } from '../../src/commands/get-secret.js';

/**
 * An error the hot entry reports itself (src/cli/hot-entry.ts `report`: one after run's child started, or an
 * interrupted wait) is worded as the full CLI's main words it, byte for byte: its hint's suggested commands carry
 * the where-flags given on the line (`--org other`), found in the hot grammar's parse as program.ts finds them in
 * commander's. The error here is one a hot line meets (a key that is not there, which the entry itself declines);
 * its report through `report` is held equal to main's.
 */
let sb: Sandbox;
beforeEach(() => {
  sb = sandbox({ SCOPED_LOCAL_KEY: Buffer.alloc(32, 3).toString('base64') });
});
afterEach(() => sb.cleanup());

/** The line's error as the hot entry reports it: the command run as hot-entry.ts runs it, its error through `report`. */
async function hotReport(argv: string[]): Promise<{ code: number; stderr: string }> {
  const line = hotLine(argv);
  if (line === undefined) throw new Error(`not a hot line: ${argv.join(' ')}`);
  const given = givenFlags(line, listWords());
  const io = testIO({ cwd: sb.dir, env: sb.env });
  const ctx = await Context.create(io, { ...globalOptions(line), given });
  try {
    await runGetSecret(ctx, getSecretCommand.build(line.args, line.flags, ctx.global));
  } catch (err) {
    return { code: report(io, err, given), stderr: io.stderr.text };
  }
  throw new Error('no error');
}

describe("the hot entry's own error reports, as main's", () => {
  it.each([
    [
      ['--org', 'other', '--backend', 'local', '--prefix', 'x/', 'get', 'secret', 'NOPE', '-p', 'billing'],
      'scoped get secret --org other --backend local --prefix x/ --project billing',
    ],
    [['get', 'secret', 'NOPE', '-p', 'billing', '--org=other'], 'scoped get secret --org other --project billing'],
    [['--backend', 'local', 'get', 'secrets', 'NOPE'], 'scoped get secret --backend local'],
    // No where-flag (--cache and -q say how, not where): the hint as it is.
    [['--cache', '-q', 'get', 'secret', 'NOPE', '-d', 'production'], 'scoped get secret --domain production'],
  ])('%j', async (argv, suggested) => {
    const full = await sb.run(argv);
    expect(full.code).toBe(3);
    expect(full.stderr).toMatch(new RegExp(`; list this scope with: ${suggested.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n$`));
    expect(await hotReport(argv)).toEqual({ code: full.code, stderr: full.stderr });
  });
});

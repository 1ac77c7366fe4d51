/**
 * The built hot entry (dist/bundle/hot-*.cjs) carries the where-flags given on a line into the commands an error's hint
 * suggests as the full CLI does (test/cli/hot-late-report.test.ts holds its report equal to main's): without
 * commander, it reads the command words from the tree's data the build writes beside it (command-tree.json), and
 * they are the words of the full CLI's command list (program.ts listWords) but the hidden `__complete`.
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { listWords } from '../../../src/cli/program.js';
import { withGivenFlags, type GivenFlags } from '../../../src/cli/given-flags.js';
import { HOT_FILES } from './hot-harness.js';

type HotFile = { givenFlags(line: { global: Record<string, string | boolean> }): GivenFlags };

describe('the built hot entry, given flags', () => {
  it.each(HOT_FILES)("%s finds the line's where-flags, and the full CLI's command words in the tree's data", (file) => {
    const hot = createRequire(import.meta.url)(file) as HotFile;
    const given = hot.givenFlags({ global: { org: 'other', backend: 'local', prefix: 'x/', cache: true, quiet: true, color: false, output: 'json' } });
    expect(given.words).toBe('--org other --backend local --prefix x/');
    const { __complete: hidden, ...shown } = listWords();
    expect(hidden).toEqual({});
    expect(given.commands).toEqual(shown);
    const hint = 'pin the deployment again with: scoped pin, or deploy another pin; list it with: scoped get secret --project p';
    expect(withGivenFlags(hint, given)).toBe(
      'pin the deployment again with: scoped pin --org other --backend local --prefix x/, or deploy another pin; list it with: scoped get secret --org other --backend local --prefix x/ --project p',
    );
  });
});

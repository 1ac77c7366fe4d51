import { describe, expect, it } from 'vitest';
import { binSandbox } from '../helpers/bin.js';

// test/cli/no-command-one-line.test.ts through bin/scoped.cjs, whose line with no word at all goes to the fast file.
const LINE = 'scoped: no command given; see: scoped --help\n';
describe('the built binary (needs npm run build)', () => {
  it('scoped -q, --org acme and --: one line, exit 2; scoped alone: help on stdout, exit 0', () => {
    const bin = binSandbox();
    try {
      for (const argv of [['-q'], ['--org', 'acme'], ['--']]) expect(bin.run(argv)).toMatchObject({ code: 2, stdout: '', stderr: LINE });
      const alone = bin.run([]);
      expect(alone).toMatchObject({ code: 0, stderr: '' });
      expect(alone.stdout).toMatch(/^Usage: scoped <command> \[options\]\n/);
    } finally {
      bin.cleanup();
    }
  });
});

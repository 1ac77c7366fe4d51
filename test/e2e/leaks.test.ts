import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { binSandbox } from '../helpers/bin.js';

let sb: ReturnType<typeof binSandbox>;
beforeEach(() => {
  sb = binSandbox();
});
afterEach(() => sb.cleanup());

const CANARY = 'canary-Zq8rT3-do-not-leak';

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (entry.isFile()) yield path;
  }
}

describe('secret values never leak', () => {
  it('not on stdout without --reveal, not on stderr, not in --debug, not in any file', () => {
    const seen: { argv: string; stdout: string; stderr: string }[] = [];
    const run = (argv: string[], stdin = '') => {
      const r = sb.run(['--debug', ...argv], { stdin });
      seen.push({ argv: argv.join(' '), stdout: r.stdout, stderr: r.stderr });
      return r;
    };
    expect(run(['create', 'secret', 'TOKEN', '--project', 'web', '--description', 'api token'], CANARY).code).toBe(0);
    expect(run(['create', 'secret', 'TOKEN', '--project', 'web'], CANARY).code).toBe(4);
    expect(run(['create', 'secret', 'TOKEN'], `${CANARY}-org`).code).toBe(0);
    expect(run(['update', 'secret', 'TOKEN', '--project', 'web'], `${CANARY}-2`).code).toBe(0);
    for (const argv of [
      ['get', 'secret', '--all'],
      ['get', 'secret', '--all', '-o', 'json'],
      ['get', 'secret', '--all', '-o', 'yaml'],
      ['get', 'secret', '--project', 'web'],
      ['get', 'secret', 'TOKEN', '--project', 'web'],
      ['get', 'secret', 'TOKEN', '--project', 'web', '-o', 'json'],
      ['get', 'secret', 'TOKEN', '--project', 'web', '--versions'],
      ['resolve', '--project', 'web', '--explain'],
      ['resolve', '--project', 'web', '-o', 'json'],
      ['config', 'show'],
      ['delete', 'secret', 'TOKEN', '--yes'],
      ['get', 'secret', 'TOKEN', '--reveal'],
      ['restore', 'secret', 'TOKEN'],
    ]) {
      run(argv);
    }
    for (const s of seen) {
      expect(s.stdout, s.argv).not.toContain(CANARY);
      expect(s.stderr, s.argv).not.toContain(CANARY);
    }
    // --debug really was on, so this checked debug output.
    expect(seen[0]?.stderr).toMatch(/debug: config org = default/);
    expect(seen[0]?.stderr).toMatch(/debug: local locked write of .*\.shard in \d+ ms/);
    expect(seen.find((x) => x.argv === 'get secret --all')?.stderr).toMatch(/debug: local read of \d+ scopes? under .*secrets in \d+ ms/);

    // Revealing is the one explicit way out, and only on stdout.
    const reveal = sb.run(['--debug', 'get', 'secret', 'TOKEN', '--project', 'web', '--reveal']);
    expect(reveal.stdout).toBe(`${CANARY}-2`);
    expect(reveal.stderr).not.toContain(CANARY);

    // No file anywhere under HOME holds the value; every file of the store is 0600.
    for (const file of files(sb.home)) {
      expect(readFileSync(file).includes(Buffer.from(CANARY)), file).toBe(false);
      expect(readFileSync(file).includes(Buffer.from(Buffer.from(CANARY).toString('base64'))), file).toBe(false);
      expect(statSync(file).mode & 0o077, file).toBe(0);
    }
  });

  it('a value given as an argument is warned about, and not echoed', () => {
    const r = sb.run(['create', 'secret', 'ARG', CANARY]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: a value given as an argument is kept in shell history/);
    expect(r.stderr).not.toContain(CANARY);
  });
});

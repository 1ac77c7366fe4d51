import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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

/** A child that prints what it was given: the variables named, and the contents of the files named. */
const SHOW = `const o={};for(const a of process.argv.slice(1)){o[a]=a.startsWith('/')?require('fs').readFileSync(a,'utf8'):process.env[a]??null}process.stdout.write(JSON.stringify(o))`;

describe('nothing that unlocks the store reaches a child of run, or an export', () => {
  it('SCOPED_LOCAL_KEY is withheld; SCOPED_ORG/PROJECT/DOMAIN/HOME and AWS_* pass through', () => {
    const key = randomBytes(32).toString('base64');
    const env = {
      SCOPED_LOCAL_KEY: key,
      SCOPED_ORG: 'acme',
      SCOPED_PROJECT: 'web',
      SCOPED_DOMAIN: 'dev',
      AWS_PROFILE: 'deploy',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'aws-secret-example',
    };
    expect(sb.run(['create', 'secret', 'TOKEN'], { stdin: CANARY, env }).code).toBe(0);
    const names = ['SCOPED_LOCAL_KEY', 'SCOPED_ORG', 'SCOPED_PROJECT', 'SCOPED_DOMAIN', 'SCOPED_HOME', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'TOKEN'];
    const r = sb.run(['run', '--', process.execPath, '-e', SHOW, ...names], { env });
    expect(r.code, r.stderr).toBe(0);
    const seen = JSON.parse(r.stdout) as Record<string, string | null>;
    expect(seen.SCOPED_LOCAL_KEY).toBeNull();
    expect(seen).toMatchObject({
      SCOPED_ORG: 'acme',
      SCOPED_PROJECT: 'web',
      SCOPED_DOMAIN: 'dev',
      AWS_PROFILE: 'deploy',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'aws-secret-example',
    });
    // Piped, so masked: the secret is hidden too.
    expect(seen.TOKEN).toBe('***');
    expect(r.stdout + r.stderr).not.toContain(key);
  });

  it("the key is masked in the child's output: from SCOPED_LOCAL_KEY, and from the key file", () => {
    const key = randomBytes(32).toString('base64');
    expect(sb.run(['create', 'secret', 'TOKEN'], { stdin: CANARY, env: { SCOPED_LOCAL_KEY: key } }).code).toBe(0);
    // The child learns the key some other way (a copy in a file) and prints it.
    const copy = join(sb.home, 'copy-of-key');
    writeFileSync(copy, key);
    const viaEnv = sb.run(['run', '--', process.execPath, '-e', SHOW, copy], { env: { SCOPED_LOCAL_KEY: key } });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
    expect(JSON.parse(viaEnv.stdout)).toEqual({ [copy]: '***' });

    // Without SCOPED_LOCAL_KEY the key is the file under SCOPED_HOME (or ~/.local/share/scoped): a child can read it.
    const other = binSandbox();
    try {
      expect(other.run(['create', 'secret', 'TOKEN'], { stdin: CANARY }).code).toBe(0);
      const keyFile = [...files(other.home)].find((f) => f.endsWith('local.key')) as string;
      const keyText = readFileSync(keyFile, 'utf8').trim();
      const viaFile = other.run(['run', '--', process.execPath, '-e', SHOW, keyFile]);
      expect(viaFile.code, viaFile.stderr).toBe(0);
      expect(viaFile.stdout).not.toContain(keyText);
      expect(JSON.parse(viaFile.stdout)[keyFile]).toMatch(/^\*\*\*\n?$/);
    } finally {
      other.cleanup();
    }
  });

  it('a secret named SCOPED_LOCAL_KEY is not handed over under that name by run or export', () => {
    expect(sb.run(['create', 'secret', 'SCOPED_LOCAL_KEY'], { stdin: CANARY }).code).toBe(0);
    const run = sb.run(['run', '--', 'true']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/^scoped: refusing to set SCOPED_LOCAL_KEY from secrets: it would replace the key that unlocks the store; /);
    for (const format of ['dotenv', 'shell', 'json', 'yaml']) {
      const r = sb.run(['export', '--format', format]);
      expect(r, format).toMatchObject({ code: 2, stdout: '' });
      expect(r.stderr).toMatch(/^scoped: refusing to set SCOPED_LOCAL_KEY with export: it would replace the key that unlocks the store; rename it with --only KEY=NAME/);
      expect(r.stderr).not.toContain(CANARY);
    }
    // Renamed, it is an ordinary secret.
    expect(sb.run(['export', '--only', 'SCOPED_LOCAL_KEY=OTHER_STORE_KEY'])).toMatchObject({ code: 0, stdout: `OTHER_STORE_KEY='${CANARY}'\n` });
  });
});

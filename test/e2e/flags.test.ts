import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binSandbox } from '../helpers/bin.js';

// The flag rules through the built binary: exit code, one line on stderr, nothing on stdout, nothing lost.
let sb: ReturnType<typeof binSandbox>;
beforeAll(() => {
  sb = binSandbox();
  for (const p of ['web', 'api']) expect(sb.run(['create', 'secret', 'TOKEN', '-p', p], { stdin: `tok-${p}` }).code).toBe(0);
  writeFileSync(join(sb.home, 'app.tmpl'), 'token={{ secret "TOKEN" }}\n');
  symlinkSync(join(sb.home, 'app.tmpl'), join(sb.home, 'app.link'));
});
afterAll(() => sb.cleanup());

describe('flag faults end to end (built binary)', () => {
  it.each<[string, string[], number, string]>([
    ['a scope flag twice on delete', ['delete', 'secret', 'TOKEN', '-p', 'web', '--project', 'api', '--yes'], 2, '--project given twice ("web", "api"); give it once'],
    ['a global twice, around the command', ['--org', 'default', 'get', 'secret', '--org', 'acme'], 2, '--org given twice ("default", "acme"); give it once'],
    [
      '--recovery-days 0x10',
      ['delete', 'secret', 'TOKEN', '-p', 'web', '--recovery-days', '0x10', '--yes'],
      2,
      '--recovery-days must be a whole number from 7 to 30; or use --force to delete at once',
    ],
    [
      '--region on the local backend',
      ['--region', 'eu-west-1', 'delete', 'secret', 'TOKEN', '-p', 'web', '--yes'],
      2,
      '--region applies to the aws backend only, and the backend is local (the default); drop it, or add --backend aws',
    ],
    ["--kms-key-id ''", ['create', 'secret', 'NEW', 'v', '--kms-key-id', ''], 2, '--kms-key-id was given an empty value; give it a value, or omit --kms-key-id'],
    [
      'render over its template via a symlink',
      ['render', 'app.tmpl', '-p', 'web', '--out', 'app.link'],
      2,
      '--out app.link is the same file as the template app.tmpl: writing it would replace the template; write the result to another file',
    ],
    [
      'reveal with -o json',
      ['get', 'secret', 'TOKEN', '-p', 'web', '--reveal', '-o', 'json'],
      2,
      '-o json does not apply to get secret --reveal; the value is printed alone, exactly as stored',
    ],
  ])('%s: exit %i, one line, nothing lost', (_label, argv, code, line) => {
    expect(sb.run(argv)).toMatchObject({ code, stdout: '', stderr: `scoped: ${line}\n` });
    for (const p of ['web', 'api']) expect(sb.run(['get', 'secret', 'TOKEN', '-p', p, '--reveal']).stdout).toBe(`tok-${p}`);
    expect(readFileSync(join(sb.home, 'app.tmpl'), 'utf8')).toBe('token={{ secret "TOKEN" }}\n');
    expect(sb.run(['get', 'secret', 'NEW']).code).toBe(3);
  });

  it('flags after -- belong to the child: not refused as repeats', () => {
    const r = sb.run(['--org', 'default', 'run', '-p', 'web', '--no-mask', '--', 'echo', '--org', 'x', '-p', 'y', '-o', 'json']);
    expect(r).toMatchObject({ code: 0, stdout: '--org x -p y -o json\n' });
  });

  it('restore of a live secret: exit 0, says nothing to restore', () => {
    expect(sb.run(['restore', 'secret', 'TOKEN', '-p', 'web'])).toMatchObject({
      code: 0,
      stdout: '',
      stderr: 'TOKEN at org default, project web is not scheduled for deletion; nothing to restore\n',
    });
  });
});

describe('what was typed is echoed escaped in errors', () => {
  it.each<[string, string[]]>([
    ['--from-file', ['create', 'secret', 'NEW', '--from-file', '\u001b[31mx\ny']],
    ['a template path', ['render', '\u001b]0;t\u0007x']],
    ['--out', ['export', '-p', 'web', '--out', '\u001b[2J/x']],
    ['an unknown option', ['get', 'secret', '--\u001b[2Jx']],
  ])('%s with control characters: one line, no raw control character', (_label, argv) => {
    const r = sb.run(argv);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^scoped: [^\n]*\n$/);

    expect(r.stderr.slice(0, -1)).not.toMatch(/[\u0000-\u001f]/);
    expect(r.stderr).toContain('\\x1b');
  });
});

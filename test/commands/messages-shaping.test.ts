import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandbox } from '../helpers/io.js';

/** run/export flags whose refusals must point at something that helps (issue 18). */

const sb = sandbox();
afterAll(() => sb.cleanup());

beforeAll(async () => {
  const bin = join(sb.dir, 'bin');
  writeFileSync(bin, Buffer.from([0xff, 0xfe, 0x00, 0x62]));
  for (const [argv, stdin] of [
    [['create', 'secret', 'LD'], JSON.stringify({ PRELOAD: 'preload-value', LIBRARY_PATH: 'library-value' })],
    [['create', 'secret', 'SCOPED'], JSON.stringify({ LOCAL_KEY: 'not-the-key' })],
    [['create', 'secret', 'AWS_BIN', '--from-file', bin], undefined],
    [['create', 'secret', 'PLAIN', '-p', 'ex'], 'plain-value'],
    [['create', 'secret', 'OTHER', '-p', 'ex'], 'other-value'],
  ] as const) {
    const res = await sb.run([...argv], stdin === undefined ? {} : { stdin });
    expect(res.code, res.stderr).toBe(0);
  }
});

describe('--expand making a reserved variable', () => {
  it('run --expand LD suggests another prefix, not --only', async () => {
    const res = await sb.run(['run', '--expand', 'LD', '--only', 'PLAIN', '-p', 'ex', '--', 'true']);
    expect(res).toMatchObject({
      code: 2,
      stdout: '',
      stderr:
        'scoped: refusing to set variables LD_PRELOAD, LD_LIBRARY_PATH from secrets: --expand LD makes them from its fields; choose a different prefix, e.g. --expand LD=SECRET_LD\n',
    });
  });

  it('the suggested prefix works', async () => {
    const res = await sb.run(['run', '--expand', 'LD=SECRET_LD', '--only', 'PLAIN', '-p', 'ex', '--', 'sh', '-c', 'test "$SECRET_LD_PRELOAD" = preload-value']);
    expect(res.code, res.stderr).toBe(0);
  });

  it('export --format shell: the same; dotenv writes no environment and is not refused', async () => {
    const shell = await sb.run(['export', '--expand', 'LD', '--only', 'PLAIN', '-p', 'ex', '--format', 'shell']);
    expect(shell).toMatchObject({ code: 2, stdout: '' });
    expect(shell.stderr).toMatch(/with --format shell: --expand LD makes them from its fields; choose a different prefix, e.g. --expand LD=SECRET_LD\n$/);
    const dotenv = await sb.run(['export', '--expand', 'LD', '--only', 'PLAIN', '-p', 'ex']);
    expect(dotenv.code, dotenv.stderr).toBe(0);
    expect(dotenv.stdout).toContain('LD_PRELOAD=');
  });

  it('an --expand that would make the store key variable is refused by every format', async () => {
    const res = await sb.run(['export', '--expand', 'SCOPED', '--only', 'PLAIN', '-p', 'ex', '--format', 'json']);
    expect(res).toMatchObject({ code: 2, stdout: '' });
    expect(res.stderr).toMatch(
      /^scoped: refusing to set variable SCOPED_LOCAL_KEY with --format json: --expand SCOPED makes it from its fields; choose a different prefix, e.g. --expand SCOPED=SCOPED_JSON\n$/,
    );
  });
});

describe('a binary key given to --only and --file', () => {
  it('says the --file already hands it over, instead of suggesting --file', async () => {
    const res = await sb.run(['run', '--only', 'AWS_BIN', '--file', 'AWS_BIN=BF', '--', 'true']);
    expect(res).toMatchObject({ code: 2, stdout: '' });
    expect(res.stderr).toBe(
      'scoped: AWS_BIN holds binary data, which an environment variable cannot carry; --file AWS_BIN=BF hands AWS_BIN over as a file already: leave out --only AWS_BIN (with no --only, every other visible key is set too)\n',
    );
    expect(res.stderr).not.toMatch(/--file AWS_BIN=AWS_BIN_FILE/);
  });

  it('with another --only left, no note about every key', async () => {
    const res = await sb.run(['run', '--only', 'AWS_BIN', '--only', 'PLAIN', '-p', 'ex', '--file', 'AWS_BIN', '--', 'true']);
    expect(res.stderr).toBe(
      'scoped: AWS_BIN holds binary data, which an environment variable cannot carry; --file AWS_BIN hands AWS_BIN over as a file already: leave out --only AWS_BIN\n',
    );
  });

  it('what the hint says works', async () => {
    const res = await sb.run(['run', '--file', 'AWS_BIN=BF', '--only', 'PLAIN', '-p', 'ex', '--', 'sh', '-c', 'test -f "$BF"']);
    expect(res.code, res.stderr).toBe(0);
  });
});

describe('export --exclude that leaves nothing', () => {
  it('says every visible key was excluded, not "No secrets visible"', async () => {
    const res = await sb.run(['export', '-p', 'ex', '--exclude', 'PLAIN', '--exclude', 'OTHER', '--exclude', 'LD', '--exclude', 'SCOPED', '--exclude', 'AWS_BIN']);
    expect(res).toMatchObject({ code: 0, stdout: '' });
    expect(res.stderr).toBe('Nothing to export: --exclude left out every key visible to org default, project ex (AWS_BIN, LD, OTHER, PLAIN, SCOPED).\n');
  });

  it('a deployment that sees nothing still says so', async () => {
    const res = await sb.run(['export', '--org', 'empty']);
    expect(res.stderr).toBe('No secrets visible to org empty.\n');
  });
});

describe('pins', () => {
  const pinOf = async (name: string): Promise<{ file: string; doc: { secrets: { key: string; versionId: string }[] } }> => {
    const file = join(sb.dir, name);
    const res = await sb.run(['pin', '-p', 'ex', '--out', file]);
    expect(res.code, res.stderr).toBe(0);
    return { file, doc: JSON.parse(readFileSync(file, 'utf8')) as { secrets: { key: string; versionId: string }[] } };
  };

  it.each(['v1', 'a'.repeat(31), 'a'.repeat(65)])('a version id %s that cannot be one: invalid pin, exit 2, nothing read', async (id) => {
    const { file, doc } = await pinOf('short.pin.json');
    (doc.secrets[0] as { versionId: string }).versionId = id;
    writeFileSync(file, JSON.stringify(doc));
    const res = await sb.run(['export', '--pinned', file]);
    expect(res).toMatchObject({ code: 2, stdout: '' });
    expect(res.stderr).toMatch(/^scoped: pin file .* is not a valid pin: secrets\[0\]\.versionId ".*" is not a version id \(32-64 letters, digits, - or _\); write it again/);
  });

  it('--pinned with --exclude does not read the excluded key', async () => {
    const { file, doc } = await pinOf('gone.pin.json');
    // A version that does not exist: reading it would fail the whole export.
    const gone = doc.secrets.find((e) => e.key === 'PLAIN') as { versionId: string };
    gone.versionId = '00000000-0000-4000-8000-000000000000';
    writeFileSync(file, JSON.stringify(doc));
    expect((await sb.run(['export', '--pinned', file, '--exclude', 'AWS_BIN'])).code).toBe(3);
    const res = await sb.run(['export', '--pinned', file, '--exclude', 'PLAIN', '--exclude', 'AWS_BIN', '--debug']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain("OTHER='other-value'");
    expect(res.stdout).not.toContain('PLAIN');
  });
});

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/main.js';
import { importCommand } from '../../../src/commands/import.js';
import { sandbox, testIO, type Sandbox } from '../../helpers/io.js';

const CANARY = 'imp-canary-77';
const ENV_FILE = `# service settings\nexport DB_URL=postgres://${CANARY}\nAPI_KEY="${CANARY}-key"\nEMPTYISH=' '\n`;
let sb: Sandbox;
beforeEach(() => {
  sb = sandbox({ SCOPED_ORG: 'acme' });
  writeFileSync(join(sb.dir, '.env'), ENV_FILE);
});
afterEach(() => sb.cleanup());

const reveal = async (key: string, ...flags: string[]) => (await sb.run(['get', 'secret', key, ...flags, '--reveal'])).stdout;
const keysAt = async (...flags: string[]) => (JSON.parse((await sb.run(['get', 'secret', ...flags, '-o', 'json'])).stdout) as { key: string }[]).map((e) => e.key);
const noCanary = (r: { stdout: string; stderr: string }) => expect(`${r.stdout}${r.stderr}`).not.toContain(CANARY);

describe('import', () => {
  it('imports a .env into one scope, piped: KEY<TAB>ACTION lines; re-running is a no-op', async () => {
    const r = await sb.run(['import', '.env', '-p', 'billing', '-d', 'prod']);
    expect(r).toMatchObject({ code: 0, stdout: 'DB_URL\tcreate\nAPI_KEY\tcreate\nEMPTYISH\tcreate\n' });
    expect(r.stderr).toMatch(/Imported into org acme, project billing, domain prod: 3 created, 0 updated, 0 unchanged, 0 skipped/);
    expect(await reveal('DB_URL', '-p', 'billing', '-d', 'prod')).toBe(`postgres://${CANARY}`);
    expect(await reveal('EMPTYISH', '-p', 'billing', '-d', 'prod')).toBe(' ');
    const again = await sb.run(['import', '.env', '-p', 'billing', '-d', 'prod']);
    expect(again.stdout).toBe('DB_URL\tunchanged\nAPI_KEY\tunchanged\nEMPTYISH\tunchanged\n');
    noCanary(r);
    noCanary(again);
  });

  it('on a terminal: a table', async () => {
    const r = await sb.run(['import', '.env', '--no-color'], { tty: true });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/KEY +│ ACTION/);
    expect(r.stdout).toMatch(/DB_URL +│ create/);
  });

  it('-o json: scope, counts and per-key actions with version ids', async () => {
    const r = await sb.run(['import', '.env', '-d', 'prod', '-o', 'json']);
    const data = JSON.parse(r.stdout);
    expect(data).toMatchObject({ scope: { org: 'acme', project: null, domain: 'prod' }, dryRun: false, counts: { create: 3, update: 0, unchanged: 0, skip: 0 } });
    expect(data.keys[0]).toEqual({ key: 'DB_URL', action: 'create', versionId: expect.any(String) });
    noCanary(r);
  });

  it('--on-conflict: fail writes nothing; skip keeps; update writes; --dry-run only plans', async () => {
    await sb.run(['create', 'secret', 'API_KEY'], { stdin: 'theirs' });
    const fail = await sb.run(['import', '.env']);
    expect(fail).toMatchObject({ code: 4, stdout: '' });
    expect(fail.stderr).toBe(
      'scoped: API_KEY already exists at org acme with another value; nothing written; keep what is there with --on-conflict skip, or overwrite with --on-conflict update (see the plan first with --dry-run)\n',
    );
    expect(await keysAt()).toEqual(['API_KEY']);
    const dry = await sb.run(['import', '.env', '--on-conflict', 'update', '--dry-run']);
    expect(dry.stdout).toBe('DB_URL\tcreate\nAPI_KEY\tupdate\nEMPTYISH\tcreate\n');
    expect(dry.stderr).toMatch(/Dry run, nothing written \(import into org acme\): 2 to create, 1 to update/);
    expect(await keysAt()).toEqual(['API_KEY']);
    const skip = await sb.run(['import', '.env', '--on-conflict', 'skip']);
    expect(skip.stdout).toBe('DB_URL\tcreate\nAPI_KEY\tskip\nEMPTYISH\tcreate\n');
    expect(await reveal('API_KEY')).toBe('theirs');
    const update = await sb.run(['import', '.env', '--on-conflict', 'update']);
    expect(update.stdout).toBe('DB_URL\tunchanged\nAPI_KEY\tupdate\nEMPTYISH\tunchanged\n');
    expect(await reveal('API_KEY')).toBe(`${CANARY}-key`);
  });

  it('an invalid key or value anywhere writes nothing and is named', async () => {
    writeFileSync(join(sb.dir, 'bad.env'), `GOOD=${CANARY}\nmy.key=x\nEMPTY=\n`);
    const r = await sb.run(['import', 'bad.env']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^scoped: bad.env: nothing written: invalid key "my.key"; EMPTY has an empty value/);
    noCanary(r);
    expect(await keysAt()).toEqual([]);
  });

  it('a key scheduled for deletion at the target: conflict naming restore, nothing written', async () => {
    await sb.run(['create', 'secret', 'API_KEY', '-p', 'web'], { stdin: 'x' });
    await sb.run(['delete', 'secret', 'API_KEY', '-p', 'web', '--yes']);
    const r = await sb.run(['import', '.env', '-p', 'web', '--on-conflict', 'update']);
    expect(r).toMatchObject({ code: 4, stdout: '' });
    expect(r.stderr).toMatch(/API_KEY at org acme, project web is scheduled for deletion; nothing written; restore it first with: scoped restore secret API_KEY --project web/);
    expect(await keysAt('-p', 'web')).toEqual([]);
  });

  it('reads JSON and YAML, from files and stdin (which needs --format)', async () => {
    writeFileSync(join(sb.dir, 'a.json'), '{"J1": "one"}');
    expect((await sb.run(['import', 'a.json'])).stdout).toBe('J1\tcreate\n');
    expect((await sb.run(['import', '-', '--format', 'yaml'], { stdin: 'Y1: "two"\n' })).stdout).toBe('Y1\tcreate\n');
    const noFormat = await sb.run(['import', '-'], { stdin: 'A=1' });
    expect(noFormat).toMatchObject({ code: 2, stderr: 'scoped: importing from stdin needs --format; give --format dotenv|json|yaml\n' });
    const number = await sb.run(['import', '-', '--format', 'json'], { stdin: '{"PORT": 5432}' });
    expect(number.stderr).toMatch(/stdin: nothing written: the value of "PORT" is a number, not a string; quote such values/);
    expect(await reveal('Y1')).toBe('two');
  });

  it('a missing file, a directory, an unknown extension: exit 2, one line', async () => {
    expect((await sb.run(['import', 'nope.env'])).stderr).toBe('scoped: cannot read nope.env: no such file or directory\n');
    expect((await sb.run(['import', '.', '--format', 'dotenv'])).stderr).toBe('scoped: cannot read .: is a directory\n');
    expect((await sb.run(['import', 'x.txt'])).stderr).toMatch(/cannot tell the format of x.txt from its name; give --format/);
  });

  it('stdin that never ends stops past the limit with exit 2 and writes nothing', async () => {
    const io = testIO({ cwd: sb.dir, env: sb.env });
    io.stdin = new Readable({
      read() {
        this.push(Buffer.from('A=1\n'.repeat(1 << 16)));
      },
    });
    const code = await main(['import', '-', '--format', 'dotenv'], io);
    expect(code).toBe(2);
    expect(io.stderr.text).toMatch(/the import source from stdin is longer than the limit of 33,554,432 bytes/);
    expect(await keysAt()).toEqual([]);
  });

  it('an empty source warns and writes nothing', async () => {
    const r = await sb.run(['import', '-', '--format', 'dotenv'], { stdin: '# nothing\n' });
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toMatch(/stdin holds no keys/);
  });

  it('builds options from argv', () => {
    expect(importCommand.build(['.env.prod'], { onConflict: 'skip', project: 'p' })).toEqual({
      project: 'p',
      domain: undefined,
      file: '.env.prod',
      format: 'dotenv',
      onConflict: 'skip',
      dryRun: false,
    });
  });
});

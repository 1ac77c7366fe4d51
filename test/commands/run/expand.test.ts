import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../../helpers/io.js';
import { node, seed } from '../../helpers/seed.js';

const RDS = JSON.stringify({
  username: 'dbadmin',
  password: 'pw-canary-9921',
  host: 'db.internal',
  port: 5432,
  engine: 'postgres',
  opts: { sslmode: 'verify-full' },
  dbname: null,
});
let sb: Sandbox;
beforeEach(async () => {
  sb = sandbox({ SCOPED_ORG: 'acme' });
  await seed(sb, { RDS, APP_NAME: 'billing-app', BLOB: new Uint8Array([0, 1, 2, 3, 255]) });
});
afterEach(() => sb.cleanup());

describe('run --expand / --exclude', () => {
  it('one variable per field; a binary key left out with --exclude', async () => {
    const plain = await sb.run(['run', ...node('0')]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toMatch(/BLOB holds binary data/);
    const r = await sb.run([
      'run',
      '--expand',
      'RDS=DB',
      '--exclude',
      'BLOB',
      '--no-mask',
      ...node('const e = process.env; console.log(JSON.stringify([e.DB_USERNAME, e.DB_PASSWORD, e.DB_PORT, e.DB_OPTS, e.DB_DBNAME, e.RDS, e.BLOB, e.APP_NAME]))'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(['dbadmin', 'pw-canary-9921', '5432', '{"sslmode":"verify-full"}', '', null, null, 'billing-app']);
  });

  it('a child that parses the JSON and prints a field shows *** (expanded or not)', async () => {
    const whole = await sb.run([
      'run',
      '--exclude',
      'BLOB',
      '--mask',
      ...node('const r = JSON.parse(process.env.RDS); console.log(`user=${r.username} pw=${r.password} host=${r.host} ssl=${r.opts.sslmode}`)'),
    ]);
    expect(whole.stdout).toBe('user=*** pw=*** host=*** ssl=***\n');
    const expanded = await sb.run(['run', '--expand', 'RDS', '--exclude', 'BLOB', '--mask', ...node('console.log(process.env.RDS_PASSWORD, process.env.RDS_ENGINE)')]);
    expect(expanded.stdout).toBe('*** ***\n');
  });

  it('with --only, expanded variables join the selection; errors name the key, never the value', async () => {
    const r = await sb.run([
      'run',
      '--only',
      'APP_NAME',
      '--expand',
      'RDS',
      '--no-mask',
      ...node('console.log(Object.keys(process.env).filter((k) => /^(RDS|APP|BLOB)/.test(k)).sort().join(" "))'),
    ]);
    expect(r.stdout).toBe('APP_NAME RDS_DBNAME RDS_ENGINE RDS_HOST RDS_OPTS RDS_PASSWORD RDS_PORT RDS_USERNAME\n');
    const notJson = await sb.run(['run', '--only', 'APP_NAME', '--expand', 'APP_NAME', ...node('0')]);
    expect(notJson.stderr).toMatch(/APP_NAME is given to both --expand and --only/);
    const notObject = await sb.run(['run', '--exclude', 'BLOB', '--expand', 'APP_NAME', ...node('0')]);
    expect(notObject).toMatchObject({
      code: 2,
      stderr: 'scoped: --expand APP_NAME: its value is not a JSON object; leave out --expand APP_NAME, or store the value as a JSON object\n',
    });
    const missing = await sb.run(['run', '--expand', 'NOPE', ...node('0')]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/key NOPE not visible/);
  });

  it('--exclude of a key the deployment does not see warns and goes on', async () => {
    const r = await sb.run(['run', '--exclude', 'BLOB', '--exclude', 'NOT_HERE', ...node('0')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: --exclude NOT_HERE: not visible to this deployment, nothing to leave out/);
  });
});

describe('export --expand / --exclude', () => {
  it('dotenv with fields, the JSON key itself replaced', async () => {
    const r = await sb.run(['export', '--expand', 'RDS', '--exclude', 'BLOB', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      APP_NAME: 'billing-app',
      RDS_USERNAME: 'dbadmin',
      RDS_PASSWORD: 'pw-canary-9921',
      RDS_HOST: 'db.internal',
      RDS_PORT: '5432',
      RDS_ENGINE: 'postgres',
      RDS_OPTS: '{"sslmode":"verify-full"}',
      RDS_DBNAME: '',
    });
  });
  it('a clash with another key names both', async () => {
    await seed(sb, { RDS_HOST: 'other-host' }, ['-p', 'web']);
    const r = await sb.run(['export', '-p', 'web', '--expand', 'RDS', '--exclude', 'BLOB']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe('scoped: variable RDS_HOST would be set twice: by field "host" of --expand RDS and by key RDS_HOST; choose another prefix with --expand RDS=PREFIX\n');
  });
});

describe('render a field', () => {
  it('{{ secret "RDS" "password" }}', async () => {
    const r = await sb.run(['render', '-'], {
      stdin: 'url=postgres://{{ secret "RDS" "username" }}:{{ secret "RDS" "password" }}@{{ secret "RDS" "host" }}:{{ secret "RDS" "port" }}/x\n',
    });
    expect(r).toMatchObject({ code: 0, stdout: 'url=postgres://dbadmin:pw-canary-9921@db.internal:5432/x\n' });
  });
});

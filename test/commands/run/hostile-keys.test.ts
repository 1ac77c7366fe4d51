import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planInjection } from '../../../src/run/plan.js';
import { inheritedEnv } from '../../../src/deploy/bindings.js';
import { sandbox, type Sandbox } from '../../helpers/io.js';

/** Keys every plain JavaScript object already "has": each must be a key like any other. */
const KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'] as const;
const value = (k: string): string => `val-of-${k}`;
const DEPLOY = ['-p', 'billing', '-d', 'prod'];

let sb: Sandbox;
beforeEach(async () => {
  sb = sandbox({ SCOPED_ORG: 'acme' });
  for (const k of KEYS) expect((await sb.run(['create', 'secret', k, ...DEPLOY], { stdin: value(k) })).code).toBe(0);
});
afterEach(() => sb.cleanup());

const node = (code: string): string[] => ['--', process.execPath, '-e', code];
const PRINT_ENV = `for (const k of ${JSON.stringify(KEYS)}) console.log(k + '=' + (Object.hasOwn(process.env, k) ? process.env[k] : '(unset)'))`;
const expected = (keys: readonly string[]): string => KEYS.map((k) => `${k}=${keys.includes(k) ? value(k) : '(unset)'}\n`).join('');

describe('keys named like Object.prototype members', () => {
  it('run hands every one to the child, with no false "override" line', async () => {
    const r = await sb.run(['run', ...DEPLOY, '--no-mask', ...node(PRINT_ENV)]);
    expect(r).toMatchObject({ code: 0, stdout: expected(KEYS), stderr: '' });
  });

  it('run --only __proto__ hands over that one (renamed too)', async () => {
    expect(await sb.run(['run', ...DEPLOY, '--only', '__proto__', '--no-mask', ...node(PRINT_ENV)])).toMatchObject({ code: 0, stdout: expected(['__proto__']), stderr: '' });
    const renamed = await sb.run(['run', ...DEPLOY, '--only', 'constructor=__proto__', '--no-mask', ...node('console.log(process.env.__proto__)')]);
    expect(renamed).toMatchObject({ code: 0, stdout: `${value('constructor')}\n`, stderr: '' });
  });

  it('a parent variable really named __proto__ is overridden and said so, or kept with --preserve-env', async () => {
    const env = JSON.parse('{"__proto__": "from-parent"}') as Record<string, string>;
    const over = await sb.run(['run', ...DEPLOY, '--only', '__proto__', '--no-mask', ...node('console.log(process.env.__proto__)')], { env });
    expect(over).toMatchObject({ code: 0, stdout: `${value('__proto__')}\n` });
    expect(over.stderr).toMatch(/secrets override __proto__ from the environment/);
    const kept = await sb.run(['run', ...DEPLOY, '--only', '__proto__', '--preserve-env', '--no-mask', ...node('console.log(process.env.__proto__)')], { env });
    expect(kept).toMatchObject({ code: 0, stdout: 'from-parent\n' });
    expect(kept.stderr).toMatch(/keeping __proto__ from the environment/);
  });

  it('planInjection and inheritedEnv see only own variables', () => {
    const values = new Map(KEYS.map((k) => [k, value(k)] as [string, string]));
    const plan = planInjection(values, { only: [], files: [], preserveEnv: false }, { PATH: '/bin' });
    expect(plan.overridden).toEqual([]);
    expect([...plan.env.keys()]).toEqual([...KEYS]);
    const parent = JSON.parse('{"__proto__": "p", "PATH": "/bin"}') as Record<string, string>;
    const env = inheritedEnv(parent);
    expect(Object.keys(env)).toEqual(['__proto__', 'PATH']);
    expect(env.toString).toBeUndefined();
  });

  it('export in every format keeps them all', async () => {
    const json = await sb.run(['export', ...DEPLOY, '--format', 'json']);
    expect(Object.entries(JSON.parse(json.stdout) as object)).toHaveLength(KEYS.length);
    expect(json.stdout).toContain(`"__proto__": "${value('__proto__')}"`);
    const dotenv = await sb.run(['export', ...DEPLOY]);
    for (const k of KEYS) expect(dotenv.stdout).toContain(`${k}='${value(k)}'\n`);
    const only = await sb.run(['export', ...DEPLOY, '--only', '__proto__=X', '--only', 'toString']);
    expect(only.stdout).toBe(`X='${value('__proto__')}'\ntoString='${value('toString')}'\n`);
  });

  it('import reads them back from dotenv, JSON and YAML: a re-import is unchanged', async () => {
    const dotenv = await sb.run(['export', ...DEPLOY]);
    writeFileSync(join(sb.dir, 'a.env'), dotenv.stdout);
    writeFileSync(join(sb.dir, 'a.json'), (await sb.run(['export', ...DEPLOY, '--format', 'json'])).stdout);
    writeFileSync(join(sb.dir, 'a.yaml'), (await sb.run(['export', ...DEPLOY, '--format', 'yaml'])).stdout);
    const rows = KEYS.map((k) => `${k}\tunchanged\n`);
    for (const file of ['a.env', 'a.json', 'a.yaml']) {
      const r = await sb.run(['import', file, ...DEPLOY]);
      expect({ file, code: r.code, rows: r.stdout.split(/(?<=\n)/).sort() }).toEqual({ file, code: 0, rows: [...rows].sort() });
    }
    const fresh = await sb.run(['import', 'a.env', '-p', 'web']);
    expect(fresh.stdout.split('\n').filter(Boolean).sort()).toEqual(KEYS.map((k) => `${k}\tcreate`).sort());
    expect((await sb.run(['get', 'secret', '__proto__', '-p', 'web', '--reveal'])).stdout).toBe(value('__proto__'));
  });

  it('pin, and reads of the pin, keep them', async () => {
    expect((await sb.run(['pin', ...DEPLOY, '--out', 'p.json'])).code).toBe(0);
    const pinned = await sb.run(['export', '--pinned', 'p.json', '--format', 'json']);
    expect(Object.keys(JSON.parse(pinned.stdout) as object).sort()).toEqual([...KEYS].sort());
    const run = await sb.run(['run', '--pinned', 'p.json', '--only', '__proto__', '--no-mask', ...node(PRINT_ENV)]);
    expect(run).toMatchObject({ code: 0, stdout: expected(['__proto__']), stderr: '' });
  });

  it('diff and check name them', async () => {
    const diff = await sb.run(['diff', 'billing/prod', 'billing/staging', '-o', 'json']);
    const keys = (JSON.parse(diff.stdout) as { keys: { key: string; status: string }[] }).keys;
    expect(keys.map((k) => `${k.key}:${k.status}`).sort()).toEqual(KEYS.map((k) => `${k}:missing`).sort());
    expect((await sb.run(['check', '--deployment', 'billing/prod', '--require', '__proto__', '--require', 'toString'])).code).toBe(0);
    expect((await sb.run(['check', '--deployment', 'billing/staging', '--require', '__proto__'])).code).not.toBe(0);
  });

  it('render fills them', async () => {
    writeFileSync(join(sb.dir, 't.tmpl'), '{{ secret "__proto__" }} {{ secret "constructor" }}');
    expect(await sb.run(['render', 't.tmpl', ...DEPLOY])).toMatchObject({ code: 0, stdout: `${value('__proto__')} ${value('constructor')}` });
  });

  it('a tag named __proto__ or toString is kept like any tag', async () => {
    expect((await sb.run(['create', 'secret', 'TAGGED', '--tag', '__proto__=x', '--tag', 'toString=y'], { stdin: 'v' })).code).toBe(0);
    const tags = (JSON.parse((await sb.run(['get', 'secret', 'TAGGED', '-o', 'json'])).stdout) as { tags: object }).tags;
    expect(Object.entries(tags)).toEqual(
      expect.arrayContaining([
        ['__proto__', 'x'],
        ['toString', 'y'],
      ]),
    );
  });
});

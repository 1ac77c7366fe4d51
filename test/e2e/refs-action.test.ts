/**
 * The GitHub Action (action.yml at the repository root), run as the runner runs a composite action: each
 * step's `run` in bash, its `env` with `${{ inputs.* }}` filled in from the inputs (or action.yml's
 * defaults), GITHUB_ACTION_PATH the repository, and GITHUB_ENV / GITHUB_STEP_SUMMARY / GITHUB_OUTPUT temp
 * files; against moto. Needs the build (dist/bundle), as the action does.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { scopeTags, secretName } from '../../src/core/naming.js';
import type { Scope } from '../../src/core/scope.js';
import { awsTestEnv, describeWithMoto, motoStore } from '../helpers/moto.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CANARY = 'canary-action-51c9-never-in-the-summary';

interface ActionYaml {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: { id?: string; shell: string; run: string; env?: Record<string, string> }[] };
}

/** Runs the action's steps with these inputs; returns the step's stdout (the log) and the runner's files. */
function runAction(inputs: Record<string, string>, env: Record<string, string>, dir: string) {
  const action = parseYaml(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYaml;
  expect(action.runs.using).toBe('composite');
  const files = { GITHUB_ENV: join(dir, 'env'), GITHUB_STEP_SUMMARY: join(dir, 'summary.md'), GITHUB_OUTPUT: join(dir, 'output') };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const logs: { code: number | null; stdout: string; stderr: string }[] = [];
  for (const step of action.runs.steps) {
    const stepEnv: Record<string, string> = {};
    for (const [k, v] of Object.entries(step.env ?? {})) {
      stepEnv[k] = v.replace(/\$\{\{\s*inputs\.([a-z-]+)\s*\}\}/g, (_, name: string) => {
        if (!(name in action.inputs)) throw new Error(`action.yml uses undeclared input ${name}`);
        return inputs[name] ?? action.inputs[name]?.default ?? '';
      });
    }
    expect(step.shell).toBe('bash');
    const r = spawnSync('bash', ['-e', '-c', step.run], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: dir, GITHUB_ACTION_PATH: ROOT, ...files, ...env, ...stepEnv },
    });
    logs.push({ code: r.status, stdout: r.stdout, stderr: r.stderr });
    if (r.status !== 0) break;
  }
  const read = (f: string) => readFileSync(f, 'utf8');
  return { logs, env: read(files.GITHUB_ENV), summary: read(files.GITHUB_STEP_SUMMARY), output: read(files.GITHUB_OUTPUT) };
}

/** The runner's reading of $GITHUB_ENV: NAME<<DELIM blocks. */
function envBlocks(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)<<(.+)$/.exec(lines[i] as string);
    if (!m) continue;
    const body: string[] = [];
    while (lines[++i] !== m[2]) body.push(lines[i] as string);
    out[m[1] as string] = body.join('\n');
  }
  return out;
}

const SEED: [Scope, string, string][] = [
  [{ org: 'acme' }, 'LOG_LEVEL', 'info'],
  [{ org: 'acme', domain: 'production' }, 'API_URL', 'https://prod.example'],
  [{ org: 'acme', project: 'billing' }, 'DB', JSON.stringify({ host: 'db.internal', password: `${CANARY}-db` })],
  [{ org: 'acme', project: 'billing', domain: 'production' }, 'STRIPE_KEY', `${CANARY}-stripe\nline two of it\nok`],
  [{ org: 'acme', project: 'billing' }, 'STRIPE_KEY', `${CANARY}-shadowed`],
];

describeWithMoto('the GitHub Action (action.yml) against moto', (moto) => {
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    await moto().reset();
    const store = await motoStore(moto().endpoint);
    for (const [scope, key, value] of SEED) await store.create({ name: secretName('scoped/', scope, key), value, tags: scopeTags(scope, key) });
    env = awsTestEnv(moto().endpoint);
  }, 60_000);
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'scoped-action-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exports the deployment with every line of every value masked first; the summary is resolve --explain, never a value', () => {
    const r = runAction({ org: 'acme', project: 'billing', domain: 'production', require: 'STRIPE_KEY, API_URL', expand: 'DB' }, env, dir);
    expect(
      r.logs.map((l) => l.code),
      r.logs.map((l) => l.stderr).join('\n'),
    ).toEqual([0]);
    const log = r.logs[0]?.stdout as string;
    const values = envBlocks(r.env);
    expect(values).toEqual({
      API_URL: 'https://prod.example',
      DB_HOST: 'db.internal',
      DB_PASSWORD: `${CANARY}-db`,
      LOG_LEVEL: 'info',
      STRIPE_KEY: `${CANARY}-stripe\nline two of it\nok`,
    });
    const masks = new Set(
      log
        .split('\n')
        .filter((l) => l.startsWith('::add-mask::'))
        .map((l) => l.slice('::add-mask::'.length)),
    );
    // Every line of every value of 4 characters or more (GitHub masks line by line; shorter ones are refused).
    for (const v of Object.values(values)) for (const line of v.split('\n')) if (line.length >= 4) expect(masks.has(line), line).toBe(true);
    // Nothing but masks in the log's stdout: no value printed any other way.
    expect(log.split('\n').filter((l) => l !== '' && !l.startsWith('::add-mask::'))).toEqual([]);
    expect(r.output).toBe('keys=API_URL,DB_HOST,DB_PASSWORD,LOG_LEVEL,STRIPE_KEY\n');
    expect(r.summary).toContain('### scoped: billing/production');
    expect(r.summary).toContain('| `STRIPE_KEY` | project-domain | project billing, domain production | project (project billing) |');
    expect(r.summary).toContain('| `API_URL` | domain | domain production | - |');
    for (const v of [...Object.values(values), 'db.internal', 'prod.example']) expect(r.summary).not.toContain(v.split('\n')[0]);
    expect(r.logs[0]?.stderr).not.toContain(CANARY);
  });

  it('a required key that is missing stops the job before anything is exported (check, exit 3)', () => {
    const r = runAction({ org: 'acme', project: 'billing', domain: 'production', require: 'NOT_THERE' }, env, dir);
    expect(r.logs.map((l) => l.code)).toEqual([3]);
    expect(r.logs[0]?.stderr).toMatch(/check failed: 1 problem/);
    expect([r.env, r.output, r.summary]).toEqual(['', '', '']);
  });

  it('--only and --exclude as inputs; the summary lists only those keys', () => {
    const r = runAction({ org: 'acme', project: 'billing', domain: 'production', only: 'LOG_LEVEL\nAPI_URL=URL' }, env, dir);
    expect(
      r.logs.map((l) => l.code),
      r.logs[0]?.stderr,
    ).toEqual([0]);
    expect(envBlocks(r.env)).toEqual({ LOG_LEVEL: 'info', URL: 'https://prod.example' });
    expect(
      r.summary
        .split('\n')
        .filter((l) => l.startsWith('| `'))
        .map((l) => l.split('`')[1]),
    ).toEqual(['API_URL', 'LOG_LEVEL']);
    const ex = runAction({ org: 'acme', project: 'billing', domain: 'production', exclude: 'DB STRIPE_KEY', summary: 'false' }, env, dir);
    expect(Object.keys(envBlocks(ex.env))).toEqual(['API_URL', 'LOG_LEVEL']);
    expect(ex.summary).toBe('');
  });

  it('a copy of the action without the built CLI fails with one ::error:: line saying what to use', () => {
    const copy = mkdtempSync(join(tmpdir(), 'scoped-action-copy-'));
    try {
      mkdirSync(join(copy, 'action'));
      copyFileSync(join(ROOT, 'action', 'run.cjs'), join(copy, 'action', 'run.cjs'));
      const r = spawnSync(process.execPath, [join(copy, 'action', 'run.cjs')], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', GITHUB_ENV: join(dir, 'env') } });
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/^::error title=scoped::this copy of the action has no built CLI \(dist\/bundle\/\): use a release tag/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("a pinned deployment: the pin's versions exported, the summary names the pin and each version", () => {
    const pin = spawnSync(process.execPath, [join(ROOT, 'bin', 'scoped.cjs'), 'pin', '--out', 'p.json', '-p', 'billing', '-d', 'production', '--org', 'acme', '--backend', 'aws'], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: dir, ...env },
    });
    expect(pin.status, pin.stderr).toBe(0);
    const r = runAction({ org: 'acme', pinned: 'p.json', only: 'LOG_LEVEL' }, env, dir);
    expect(
      r.logs.map((l) => l.code),
      r.logs[0]?.stderr,
    ).toEqual([0]);
    expect(envBlocks(r.env)).toEqual({ LOG_LEVEL: 'info' });
    expect(r.summary).toMatch(/### scoped: billing\/production pinned in p.json/);
    expect(r.summary).toMatch(/\| `LOG_LEVEL` \| org \| org acme, version [A-Za-z0-9-]+ \|/);
  });
});

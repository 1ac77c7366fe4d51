/**
 * The package as a user gets it: `npm pack`, then `npm install -g` of the tarball into a temp prefix with
 * an empty npm cache and --offline (so a runtime dependency, which would need the registry, fails the
 * install), then the installed `scoped` itself. Runs after `npm test`'s build, and packs with
 * --ignore-scripts so it never rebuilds dist/bundle under the other end-to-end tests' feet.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/bin.js';
import { resolveReporterHook } from '../helpers/load-hook.js';
import { awsTestEnv, describeWithMoto } from '../helpers/moto.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };

let tmp: string;
let files: string[];
let installed: string;
/** PATH with the node running these tests first: the installed bin's `#!/usr/bin/env node` finds it. */
let env: Record<string, string>;

function ok(r: SpawnSyncReturns<string>, what: string): string {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status ?? r.signal}: ${r.stderr}`);
  return r.stdout;
}

function npm(args: string[], cwd: string): string {
  return ok(spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: 120_000 }), `npm ${args.join(' ')}`);
}

function scoped(args: string[], input = '', extra: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(join(tmp, 'prefix', 'bin', 'scoped'), args, { cwd: tmp, env: { ...env, ...extra }, input, encoding: 'utf8', timeout: 30_000 });
}

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'scoped-pack-'));
  env = {
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: join(tmp, 'home'),
    LANG: 'C.UTF-8',
    npm_config_cache: join(tmp, 'npm-cache'),
    npm_config_update_notifier: 'false',
  };
  const packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], ROOT)) as { filename: string; files: { path: string }[] }[];
  files = (packed[0]?.files ?? []).map((f) => f.path).sort();
  const tarball = join(tmp, packed[0]?.filename ?? 'missing.tgz');
  npm(['install', '-g', '--prefix', join(tmp, 'prefix'), '--offline', '--no-audit', '--no-fund', tarball], tmp);
  installed = join(tmp, 'prefix', 'lib', 'node_modules', 'scoped-secrets');
}, 180_000);

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm pack', () => {
  it('ships the bundle, bin, completions, README, the pages it links and LICENSE only: no tsc output, no sources, no tests', () => {
    // The README links docs/ pages: they ship with it (the contributors' ARCHITECTURE.md does not).
    const pages = readdirSync(join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md') && f !== 'ARCHITECTURE.md')
      .map((f) => `docs/${f}`)
      .sort();
    expect(pages).toContain('docs/commands.md');
    expect(files.filter((f) => f.startsWith('docs/'))).toEqual(pages);
    const outside = files.filter((f) => !f.startsWith('dist/bundle/') && !f.startsWith('docs/'));
    expect(outside).toEqual(['LICENSE', 'README.md', 'bin/scoped.cjs', 'completions/_scoped', 'completions/scoped.bash', 'completions/scoped.fish', 'package.json']);
    const bundle = readdirSync(join(ROOT, 'dist', 'bundle'))
      .map((f) => `dist/bundle/${f}`)
      .sort();
    expect(files.filter((f) => f.startsWith('dist/bundle/'))).toEqual(bundle);
    expect(bundle).toContain('dist/bundle/scoped.js');
    // help and Tab answer from it without loading commander
    expect(bundle).toContain('dist/bundle/command-tree.json');
  });

  it('has no runtime dependencies: every library is in the bundle', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(readdirSync(installed).sort()).toEqual(['LICENSE', 'README.md', 'bin', 'completions', 'dist', 'docs', 'package.json']);
  });
});

describe('the installed scoped', () => {
  it('--version prints the package version', () => {
    const r = scoped(['--version']);
    expect(r).toMatchObject({ status: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('creates and resolves a secret on a fresh local store', () => {
    const canary = `canary-${randomBytes(8).toString('hex')}`;
    const c = scoped(['create', 'secret', 'DB_URL', '--project', 'billing'], `${canary}\n`);
    expect(c.stdout).toBe('');
    expect(c.stderr).toMatch(/Created DB_URL/);
    expect(c.stderr).not.toContain(canary);
    expect(c.status).toBe(0);
    const r = scoped(['resolve', 'DB_URL', '--project', 'billing', '--domain', 'production', '--reveal']);
    expect(r).toMatchObject({ status: 0, stdout: canary, stderr: '' });
  });

  it('prints its bash completion script, which calls back into scoped', () => {
    const r = scoped(['completion', 'bash']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/complete .*scoped/);
    expect(r.stdout).toContain('__complete');
  });

  it('--help, --version and completion (also a Tab on the AWS backend) load none of the SDK, prompts, tables or YAML', () => {
    // A module hook prints each file the process loads from the installed bundle.
    const hook = resolveReporterHook();
    const heavy = ['SecretsManagerClient', 'CloudTrailClient', 'SignatureV4', 'createPrompt', 'node_modules/cli-table3', 'node_modules/yaml'];
    // On AWS with an empty names cache, a Tab starts a background refresh (here against a closed loopback
    // port) and answers nothing; the foreground process must not load the SDK for it.
    const aws = ['__complete', 'bash', '--', '--backend', 'aws', '--region', 'us-east-1', '--endpoint-url', 'http://127.0.0.1:9', 'get', 'secret', '--project', ''];
    for (const args of [
      ['--help'],
      ['--version'],
      ['history', 'secret', '--help'],
      ['rollback', '--help'],
      ['completion', 'bash'],
      ['__complete', 'bash', '--', 'get', 'secret', '--pro'],
      aws,
    ]) {
      const r = spawnSync(process.execPath, ['--import', hook, join(installed, 'bin', 'scoped.cjs'), ...args], { cwd: tmp, env, encoding: 'utf8', timeout: 20_000 });
      expect(r.status).toBe(0);
      const loaded = [...r.stderr.matchAll(/^loaded file:\/\/(.+\/dist\/bundle\/.+)$/gm)].map((m) => m[1] as string);
      if (args[0] !== '--version') expect(loaded.length).toBeGreaterThan(0);
      for (const file of loaded) {
        const text = readFileSync(file, 'utf8');
        for (const marker of heavy) expect(text.includes(marker), `${args.join(' ')} loads ${file}, which holds ${marker}`).toBe(false);
      }
    }
  });
});

describeWithMoto('the installed scoped on AWS (moto)', (moto) => {
  // The bundled SDK, and its lazily loaded STS client for --role-arn, as they run from the tarball.
  it('creates, then exports a deployment, also through an assumed role', () => {
    const aws = { ...awsTestEnv(moto().endpoint), AWS_ENDPOINT_URL_STS: moto().endpoint, SCOPED_BACKEND: 'aws', SCOPED_ORG: 'pkg' };
    const canary = `canary-${randomBytes(8).toString('hex')}`;
    expect(scoped(['create', 'secret', 'DB_URL', '--project', 'billing'], canary, aws)).toMatchObject({ status: 0, stdout: '' });
    const plain = scoped(['export', '-p', 'billing', '-d', 'production', '--format', 'json'], '', aws);
    expect(plain).toMatchObject({ status: 0, stderr: '' });
    expect(JSON.parse(plain.stdout)).toEqual({ DB_URL: canary });
    const role = scoped(['--role-arn', 'arn:aws:iam::123456789012:role/deploy', 'export', '-p', 'billing', '-d', 'production', '--format', 'json'], '', aws);
    expect(role).toMatchObject({ status: 0, stderr: '' });
    expect(JSON.parse(role.stdout)).toEqual({ DB_URL: canary });
    // ...and the role really goes through STS: with STS unreachable, the same command fails saying so.
    const noSts = scoped(['--role-arn', 'arn:aws:iam::123456789012:role/deploy', 'export', '-p', 'billing', '-d', 'production'], '', {
      ...aws,
      AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
    });
    expect(noSts).toMatchObject({ status: 6, stdout: '' });
    expect(noSts.stderr).toMatch(/cannot assume role .*cannot reach STS/);
  });
});

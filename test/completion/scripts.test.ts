import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHELLS } from '../../src/completion/protocol.js';
import { SCRIPT_FILES } from '../../src/completion/scripts.js';
import { binSandbox, BIN } from '../helpers/bin.js';
import { sandbox } from '../helpers/io.js';
import { COMPLETIONS } from './shell-harness.js';
import { resolveReporterHook } from '../helpers/load-hook.js';

const sb = sandbox();
afterAll(() => sb.cleanup());

describe('completions/', () => {
  it.each(SHELLS)('%s: the shipped file equals `scoped completion %s` (regenerate with npm run completions)', async (shell) => {
    const r = await sb.run(['completion', shell]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(COMPLETIONS, SCRIPT_FILES[shell]), 'utf8')).toBe(r.stdout);
  });

  it('an unknown shell is a usage error', async () => {
    const r = await sb.run(['completion', 'tcsh']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/bash, zsh, fish/);
  });
});

/**
 * Every package module and bundle file a loaded URL names: a lazy chunk (`chunk:local-store`), or an entry
 * (`chunk:fast` for dist/bundle/fast.cjs, `chunk:program`, `chunk:store`).
 */
function loadedName(url: string): string | undefined {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const chunk = /dist\/bundle\/([a-z-]+?)(?:-[A-Z0-9]{8})?\.c?js$/.exec(url);
  return chunk ? `chunk:${chunk[1]}` : undefined;
}

/** The bundle files among what a process loaded. */
const bundleFiles = (packages: Set<string>): string[] => [...packages].filter((p) => p.startsWith('chunk:')).sort();

const HOOK = resolveReporterHook();

function loadedBy(words: string[], env: Record<string, string> = {}, seed: string[][] = []): { stdout: string; packages: Set<string> } {
  return loadedByRun(['__complete', 'bash', '--', ...words], env, seed);
}

/** `args` run in sandbox `e2e` (its home as the working folder), with what the process loaded. */
function loadsIn(e2e: ReturnType<typeof binSandbox>, args: string[], env: Record<string, string> = {}): { stdout: string; stderr: string; packages: Set<string> } {
  const r = spawnSync(process.execPath, ['--import', HOOK, BIN, ...args], {
    cwd: e2e.home,
    env: { ...e2e.env, ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  const packages = new Set([...r.stderr.matchAll(/^loaded (.+)$/gm)].flatMap((m) => loadedName(m[1] as string) ?? []));
  return { stdout: r.stdout, stderr: r.stderr, packages };
}

/** `seed`: commands run first (secrets to find), not watched. */
function loadedByRun(args: string[], env: Record<string, string> = {}, seed: string[][] = []): { stdout: string; stderr: string; packages: Set<string> } {
  const e2e = binSandbox();
  try {
    for (const s of seed) expect(e2e.run(s, { stdin: 'value' }).code).toBe(0);
    return loadsIn(e2e, args, env);
  } finally {
    e2e.cleanup();
  }
}

describe('what a Tab loads', () => {
  const heavy = ['@aws-sdk/client-secrets-manager', '@aws-sdk/credential-providers', '@inquirer/prompts', 'cli-table3'];

  // commander, chalk and proper-lockfile are bundled (scripts/bundle.mjs). Help, Tab and the completion
  // scripts are answered by one self-contained file, dist/bundle/fast.cjs (src/fast-entry.ts): no chunk,
  // no commander (chunk:program), no store (chunk:local-store), no SDK.
  it('commands and flags: fast.cjs alone', () => {
    const r = loadedBy(['get', 'secret', '--pro']);
    expect(r.stdout).toBe('--project\n--profile\n');
    expect(bundleFiles(r.packages)).toEqual(['chunk:fast']);
    for (const p of [...heavy, 'yaml']) expect(r.packages).not.toContain(p);
  });

  it('--help and completion <shell>: fast.cjs alone, no commander', () => {
    const help = loadedByRun(['get', 'secret', '--help']);
    expect(help.stdout).toMatch(/^Usage: scoped get secret /);
    const script = loadedByRun(['completion', 'zsh']);
    expect(script.stdout).toMatch(/^#compdef scoped/);
    for (const r of [help, script]) {
      expect(bundleFiles(r.packages)).toEqual(['chunk:fast']);
      for (const p of [...heavy, 'yaml', 'chalk']) expect(r.packages).not.toContain(p);
    }
  });

  it('what the fast file declines goes to the full CLI, once: `completion tcsh` is a usage error', () => {
    const r = loadedByRun(['completion', 'tcsh']);
    expect(r.stdout).toBe('');
    expect(r.packages).toContain('chunk:fast');
    // The full CLI (dist/bundle/cli.cjs, which bin/scoped.cjs compiles itself, out of the load hook's sight) answered.
    expect(r.stderr).toMatch(/^scoped: command-argument value 'tcsh' is invalid .* \(see: scoped completion --help\)$/m);
  });

  it('keys on the local store: fast.cjs alone, no commander either', () => {
    const r = loadedBy(['resolve', ''], {}, [['create', 'secret', 'API_TOKEN']]);
    expect(r.stdout).toBe('API_TOKEN\n');
    expect(bundleFiles(r.packages)).toEqual(['chunk:fast']);
  });

  it('keys in a folder with a .scoped.yaml: the first Tab parses it (yaml.cjs, CommonJS too), later ones read the parse back', () => {
    const e2e = binSandbox();
    try {
      const config = join(e2e.home, '.scoped.yaml');
      writeFileSync(config, 'org: acme\nproject: billing\n');
      for (const p of ['billing', 'web']) expect(e2e.run(['create', 'secret', `${p.toUpperCase()}_TOKEN`, '-p', p], { stdin: 'value' }).code).toBe(0);
      const tab = () => {
        const r = loadsIn(e2e, ['__complete', 'bash', '--', 'resolve', '']);
        return { stdout: r.stdout, files: bundleFiles(r.packages) };
      };
      expect(tab()).toEqual({ stdout: 'BILLING_TOKEN\n', files: ['chunk:fast', 'chunk:yaml'] });
      expect(tab()).toEqual({ stdout: 'BILLING_TOKEN\n', files: ['chunk:fast'] });
      // Another text is parsed again: an edit is seen at once.
      writeFileSync(config, 'org: acme\nproject: web\n');
      expect(tab()).toEqual({ stdout: 'WEB_TOKEN\n', files: ['chunk:fast', 'chunk:yaml'] });
    } finally {
      e2e.cleanup();
    }
  });

  it('projects on the local store: the names reader, not the store (key, lock, cipher), the SDK, prompts or tables', () => {
    const r = loadedBy(['get', 'secret', '--project', ''], {}, [['create', 'secret', 'API_TOKEN', '--project', 'billing']]);
    expect(r.stdout).toBe('billing\n');
    expect(bundleFiles(r.packages)).toEqual(['chunk:fast']);
    for (const p of heavy) expect(r.packages).not.toContain(p);
  });

  it('projects on the AWS backend: no SDK in the foreground', () => {
    // The cache is empty, so a background refresh starts: point it at a closed loopback port, never AWS.
    const r = loadedBy(['--backend', 'aws', 'get', 'secret', '--project', ''], {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:9',
    });
    expect(r.stdout).toBe('');
    expect(bundleFiles(r.packages)).toEqual(['chunk:fast']);
    for (const p of heavy) expect(r.packages).not.toContain(p);
  });
});

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

/** Every package module and lazy bundle chunk (`chunk:local-store`) a loaded URL names. */
function loadedName(url: string): string | undefined {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const chunk = /dist\/bundle\/([a-z-]+?)-[A-Z0-9]{8}\.js$/.exec(url);
  return chunk ? `chunk:${chunk[1]}` : undefined;
}

const HOOK = resolveReporterHook();

function loadedBy(words: string[], env: Record<string, string> = {}, seed: string[][] = []): { stdout: string; packages: Set<string> } {
  return loadedByRun(['__complete', 'bash', '--', ...words], env, seed);
}

/** `seed`: commands run first (secrets to find), not watched. */
function loadedByRun(args: string[], env: Record<string, string> = {}, seed: string[][] = []): { stdout: string; packages: Set<string> } {
  const e2e = binSandbox();
  try {
    for (const s of seed) expect(e2e.run(s, { stdin: 'value' }).code).toBe(0);
    const r = spawnSync(process.execPath, ['--import', HOOK, BIN, ...args], {
      cwd: e2e.home,
      env: { ...e2e.env, ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    const packages = new Set([...r.stderr.matchAll(/^loaded (.+)$/gm)].flatMap((m) => loadedName(m[1] as string) ?? []));
    return { stdout: r.stdout, packages };
  } finally {
    e2e.cleanup();
  }
}

describe('what a Tab loads', () => {
  const heavy = ['@aws-sdk/client-secrets-manager', '@aws-sdk/credential-providers', '@inquirer/prompts', 'cli-table3'];

  // commander, chalk and proper-lockfile are bundled (scripts/bundle.mjs); the store is a lazy chunk.
  // chunk:program is commander and every command module: a Tab and --help read the tree's JSON instead.
  it('commands and flags: never the store, the SDK, prompts, tables or commander', () => {
    const r = loadedBy(['get', 'secret', '--pro']);
    expect(r.stdout).toBe('--project\n--profile\n');
    for (const p of [...heavy, 'yaml', 'chunk:local-store', 'chunk:aws-store', 'chunk:program', 'chunk:store-source']) expect(r.packages).not.toContain(p);
  });

  it('--help: nothing but the help chunk, no commander', () => {
    const r = loadedByRun(['get', 'secret', '--help']);
    expect(r.stdout).toMatch(/^Usage: scoped get secret /);
    expect(r.packages.has('chunk:fast-path')).toBe(true);
    for (const p of [...heavy, 'yaml', 'chalk', 'chunk:local-store', 'chunk:program', 'chunk:store-source']) expect(r.packages).not.toContain(p);
  });

  it('keys on the local store: no commander either', () => {
    const r = loadedBy(['resolve', '']);
    expect(r.packages.has('chunk:store-source')).toBe(true);
    expect(r.packages).not.toContain('chunk:program');
  });

  it('projects on the local store: the names reader, not the store (key, lock, cipher), the SDK, prompts or tables', () => {
    const r = loadedBy(['get', 'secret', '--project', ''], {}, [['create', 'secret', 'API_TOKEN', '--project', 'billing']]);
    expect(r.stdout).toBe('billing\n');
    expect(r.packages.has('chunk:store-source')).toBe(true);
    for (const p of [...heavy, 'chunk:local-store', 'chunk:program']) expect(r.packages).not.toContain(p);
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
    for (const p of heavy) expect(r.packages).not.toContain(p);
  });
});

/**
 * A fleet of CI jobs: many concurrent `scoped export` runs of the built binary against moto behind the
 * rate proxy. Shared by the fleet test and `npm run bench`.
 */
import { spawn } from 'node:child_process';
import { secretName, scopeTags } from '../../../src/core/naming.js';
import type { Scope } from '../../../src/core/scope.js';
import type { SecretStore, WriteOp } from '../../../src/store/types.js';
import { BIN } from '../../helpers/bin.js';
import { awsTestEnv } from '../../helpers/aws-env.js';

export const FLEET_DEPLOYMENT: Scope = { org: 'acme', project: 'billing', domain: 'production' };

/** `keys` keys spread over the deployment's four scopes (with some shadowed), and the values it should see. */
export async function seedDeployment(store: SecretStore, keys: number): Promise<Record<string, string>> {
  const { org, project, domain } = FLEET_DEPLOYMENT;
  const scopes: Scope[] = [{ org }, { org, domain }, { org, project }, { org, project, domain }];
  const ops: WriteOp[] = [];
  const expected: Record<string, string> = {};
  for (let i = 0; i < keys; i++) {
    const key = `KEY_${String(i).padStart(3, '0')}`;
    // Every key at org scope; some also narrower, so the winner differs by key.
    for (const [j, scope] of scopes.entries()) {
      if (j > 0 && i % (j + 1) !== 0) continue;
      const value = `value-${i}-${j}-canary`;
      ops.push({ kind: 'create', input: { name: secretName('scoped/', scope, key), value, tags: scopeTags(scope, key) } });
      expected[key] = value;
    }
  }
  const result = await store.writeMany(ops);
  if (result.errors.size > 0) throw new Error(`seeding failed: ${[...result.errors.keys()].join(', ')}`);
  return expected;
}

export interface JobResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of one job: AWS backend on `endpoint`, the deployment, an optional time limit. */
export function jobEnv(home: string, endpoint: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    ...awsTestEnv(endpoint),
    SCOPED_BACKEND: 'aws',
    SCOPED_ORG: 'acme',
    SCOPED_PROJECT: 'billing',
    SCOPED_DOMAIN: 'production',
    ...extra,
  };
}

/** One run of the binary, killed after `killMs` (a bound for the test, not a timing assertion). */
export function runJob(args: string[], env: Record<string, string>, cwd: string, killMs = 170_000): Promise<JobResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const kill = setTimeout(() => child.kill('SIGKILL'), killMs);
    child.on('close', (code) => {
      clearTimeout(kill);
      resolve({ code, stdout, stderr });
    });
  });
}

/** `jobs` concurrent `export --format json` runs (plus `extra` args), and how long they took together. */
export async function runFleet(jobs: number, extra: string[], env: Record<string, string>, cwd: string): Promise<{ results: JobResult[]; seconds: number }> {
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: jobs }, () => runJob(['export', '--format', 'json', ...extra], env, cwd)));
  return { results, seconds: (performance.now() - started) / 1000 };
}

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalStore } from '../../../src/store/local/local-store.js';
import { binSandbox } from '../../helpers/bin.js';

/**
 * What a deployment command reads is its own scopes: with every other scope's file damaged, resolve,
 * run, export, a Tab on a scope's keys and a write at a deployment scope still work, and commands that
 * do read the damaged file say so (never answering from stale data).
 */
let sb: ReturnType<typeof binSandbox>;
let env: Record<string, string>;
const KEY = Buffer.alloc(32, 5).toString('base64');
beforeEach(async () => {
  sb = binSandbox();
  env = { SCOPED_HOME: join(sb.home, 'store'), SCOPED_LOCAL_KEY: KEY, SCOPED_ORG: 'acme' };
  const store = new LocalStore({ home: env.SCOPED_HOME as string, envKey: KEY });
  const at = (scope: string, k: string) => ({ name: `scoped/acme/${scope}/${k}`, value: `${scope}-${k}`, tags: {} });
  await store.createMany([
    at('_/_', 'ORG'),
    at('_/production', 'DOM'),
    at('billing/_', 'PROJ'),
    at('billing/production', 'PD'),
    at('other/production', 'ELSE'),
    at('other/_', 'ELSE2'),
  ]);
  for (const scope of [
    ['other', 'production'],
    ['other', '_'],
  ])
    writeFileSync(join(env.SCOPED_HOME as string, 'secrets', 'scoped', 'acme', `${scope.join('/')}.shard`), 'damaged\n');
});
afterEach(() => sb.cleanup());

const d = ['-p', 'billing', '-d', 'production'];

describe('a deployment reads its own scopes only', () => {
  it('resolve, export, run, render and a write at the deployment work beside damaged scopes', () => {
    expect(sb.run(['resolve', ...d, '-o', 'json'], { env }).code).toBe(0);
    const out = sb.run(['export', ...d, '--format', 'dotenv'], { env });
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("PD='billing/production-PD'");
    expect(sb.run(['run', ...d, '--', 'true'], { env }).code).toBe(0);
    expect(sb.run(['update', 'secret', 'PD', ...d, 'new'], { env }).code).toBe(0);
  });

  it("a Tab on a scope's keys reads that scope only", () => {
    const tab = sb.run(['__complete', 'bash', '--', 'get', 'secret', ...d, ''], { env });
    expect(tab.stdout.split('\n')).toContain('PD');
    const only = sb.run(['__complete', 'bash', '--', 'run', ...d, '--only', ''], { env });
    expect(only.stdout.split('\n')).toEqual(expect.arrayContaining(['ORG', 'DOM', 'PROJ', 'PD']));
  });

  it('a listing of the whole org reports the damaged file', () => {
    const r = sb.run(['get', 'secret', '--all'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/local store file .*other\/(production|_)\.shard has a damaged index/);
    expect(r.stdout).toBe('');
  });
});

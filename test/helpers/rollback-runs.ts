/**
 * What the rollback tests through main share: a local-store sandbox made afresh for each test, a run
 * that must succeed, a key's versions as `history` prints them, and the check that a dry run refuses
 * what the real run refuses (same exit code, same stderr, stdout empty, no value in either). On moto: one
 * sandbox on the aws backend and one store for the whole describe block, and a fresh number for each test
 * (tests there share one server, so each names its keys and projects with it).
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { SecretStore } from '../../src/store/types.js';
import { sandbox, type Sandbox } from './io.js';
import { awsTestEnv, motoStore, type Moto } from './moto.js';

/** A local-store sandbox (store key: 32 bytes of `fill`, org acme) for each test of the file; the getter gives the current one. */
export function localSandboxEach(fill: number): { sb: () => Sandbox; key: string } {
  const key = Buffer.alloc(32, fill).toString('base64');
  let current: Sandbox | undefined;
  beforeEach(() => {
    current = sandbox({ SCOPED_LOCAL_KEY: key, SCOPED_ORG: 'acme' });
  });
  afterEach(() => {
    current?.cleanup();
    current = undefined;
  });
  return {
    key,
    sb: () => {
      if (current === undefined) throw new Error('the sandbox exists inside a test only');
      return current;
    },
  };
}

/** Inside describeWithMoto: moto reset, a sandbox on the aws backend and a store on it for the block; `n()` is 1, 2, … one per test. */
export function motoSandboxAll(moto: () => Moto): { sb: () => Sandbox; store: () => SecretStore; n: () => number } {
  let sb: Sandbox | undefined;
  let store: SecretStore | undefined;
  let n = 0;
  beforeAll(async () => {
    await moto().reset();
    store = await motoStore(moto().endpoint);
    sb = sandbox({ ...awsTestEnv(moto().endpoint), SCOPED_BACKEND: 'aws', SCOPED_ORG: 'acme' });
  }, 60_000);
  afterAll(() => sb?.cleanup());
  beforeEach(() => {
    n++;
  });
  const made = <T>(x: T | undefined): T => {
    if (x === undefined) throw new Error('moto is not set up yet');
    return x;
  };
  return { sb: () => made(sb), store: () => made(store), n: () => n };
}

export interface RollbackRuns {
  /** Runs argv (stdin given when defined), expects exit 0, gives stdout. */
  ok(argv: string[], stdin?: string): Promise<string>;
  /** KEY's versions, newest first, as `history secret KEY -o json` gives them. */
  stagesOf(key: string, ...where: string[]): Promise<{ versionId: string; stages: string[] }[]>;
  /** The dry run and the real run (--yes) of the same refused plan: `code` for both, the same stderr, stdout empty, `canary` nowhere. Gives the stderr. */
  sameRefusal(argv: string[], code: number): Promise<string>;
}

export function rollbackRuns(sb: () => Sandbox, canary: string): RollbackRuns {
  const ok = async (argv: string[], stdin?: string): Promise<string> => {
    const r = await sb().run(argv, stdin !== undefined ? { stdin } : {});
    expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout;
  };
  return {
    ok,
    stagesOf: async (key, ...where) =>
      (JSON.parse(await ok(['history', 'secret', key, ...where, '-o', 'json'])) as { versions: { versionId: string; stages: string[] }[] }).versions,
    async sameRefusal(argv, code) {
      const dry = await sb().run([...argv, '--dry-run']);
      const real = await sb().run([...argv, '--yes']);
      expect([real.code, real.stdout], real.stderr).toEqual([code, '']);
      expect([dry.code, dry.stdout], dry.stderr).toEqual([code, '']);
      expect(dry.stderr).toBe(real.stderr);
      expect(dry.stderr).not.toContain('dry run');
      expect(dry.stderr + real.stderr).not.toContain(canary);
      return dry.stderr;
    },
  };
}

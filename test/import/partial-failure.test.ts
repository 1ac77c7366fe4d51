import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Context } from '../../src/cli/context.js';
import { AccessDeniedError, ConflictError, ScopedError, UnavailableError } from '../../src/errors.js';
import { transfer } from '../../src/import/transfer.js';
import { printTransfer } from '../../src/cli/transfer-output.js';
import { LocalStore } from '../../src/store/local/local-store.js';
import type { SecretStore, WriteOp } from '../../src/store/types.js';
import { testIO } from '../helpers/io.js';

let dir: string;
let store: LocalStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-partial-'));
  store = new LocalStore({ home: join(dir, 'home') });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The real store, except that writeMany fails the named keys with the given errors (writing the rest). */
function failing(failures: Record<string, Error>): SecretStore & { calls: number } {
  const wrapped = Object.create(store) as SecretStore & { calls: number };
  wrapped.calls = 0;
  wrapped.writeMany = async (ops: readonly WriteOp[]) => {
    wrapped.calls++;
    const keyOf = (op: WriteOp) => (op.kind === 'create' ? op.input.name : op.name).split('/').pop() as string;
    const result = await store.writeMany(ops.filter((op) => failures[keyOf(op)] === undefined));
    for (const op of ops) if (failures[keyOf(op)]) result.errors.set(op.kind === 'create' ? op.input.name : op.name, failures[keyOf(op)] as Error);
    return result;
  };
  return wrapped;
}

const desired = ['A', 'B', 'C', 'D'].map((key) => ({ key, value: `value-canary-${key}` }));
const scope = { org: 'acme', project: 'web' };
const run = async (s: SecretStore) => {
  const io = testIO();
  const ctx = new Context(io, { color: false, debug: false, quiet: false, yes: false });
  const err = await transfer(s, { verb: 'import', scope, prefix: 'scoped/', desired, onConflict: 'fail', dryRun: false }, ctx).then(
    (r) => printTransfer(ctx, r),
    (e: unknown) => e,
  );
  return { err: err as ScopedError | undefined, io };
};

describe('a partial failure', () => {
  it('names each failed key with its reason and what was written, exits with the most significant code, and a re-run finishes', async () => {
    const s = failing({
      B: new ConflictError('changed', 'secret scoped/acme/web/_/B changed concurrently'),
      C: new UnavailableError('Secrets Manager throttled the request past the deadline'),
      D: new AccessDeniedError('not allowed to create scoped/acme/web/_/D'),
    });
    const { err, io } = await run(s);
    expect(s.calls).toBe(1);
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err?.exitCode).toBe(6);
    expect(err?.line()).toBe(
      'import into org acme, project web: 3 of 4 write(s) failed; written: A; run the same command again to finish: what was written now counts as unchanged',
    );
    expect(io.stderr.text).toContain('warning: B not written: secret scoped/acme/web/_/B changed concurrently\n');
    expect(io.stderr.text).toContain('warning: C not written: Secrets Manager throttled the request past the deadline\n');
    expect(io.stderr.text).toContain('warning: D not written: not allowed to create scoped/acme/web/_/D\n');
    expect(io.stdout.text).toBe('');
    expect(`${io.stderr.text}${err?.line()}`).not.toMatch(/value-canary/);

    const denied = await run(failing({ D: new AccessDeniedError('denied'), B: new ConflictError('changed', 'changed') }));
    expect(denied.err?.exitCode).toBe(5);
    expect(denied.err?.line()).toMatch(/2 of 3 write\(s\) failed; written: C;/);

    const rerun = await run(store);
    expect(rerun.err).toBeUndefined();
    expect(rerun.io.stdout.text).toBe('A\tunchanged\nB\tcreate\nC\tunchanged\nD\tcreate\n');
  });

  it('conflict only: exit 4', async () => {
    // (An `exists` conflict on a create is another writer overtaking the plan: planned again, see test/store/local/local-store-import-race.test.ts.)
    const { err } = await run(failing({ A: new ConflictError('changed', 'secret scoped/acme/web/_/A changed concurrently') }));
    expect(err?.exitCode).toBe(4);
    expect(err?.line()).toBe(
      'import into org acme, project web: 1 of 4 write(s) failed: secret scoped/acme/web/_/A changed concurrently; written: B, C, D; run the same command again to finish: what was written now counts as unchanged',
    );
  });

  it('one cause shared by every failed key is said once, in the error, with its own hint when nothing was written', async () => {
    const full = () => new UnavailableError('cannot write in folder /s of the local store: no space left on the device', 'free some space and retry; nothing was changed');
    const { err, io } = await run(failing({ A: full(), B: full(), C: full(), D: full() }));
    expect(err?.exitCode).toBe(6);
    expect(io.stderr.text).toBe('');
    expect(err?.line()).toBe(
      'import into org acme, project web: 4 of 4 write(s) failed: cannot write in folder /s of the local store: no space left on the device; nothing written; free some space and retry; nothing was changed',
    );
  });

  it('many causes: one warning line per cause, at most five, then how many more', async () => {
    const keys = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'];
    const s = failing(Object.fromEntries(keys.map((k, i) => [k, new ConflictError('changed', `cause ${i % 7}`)])));
    const io = testIO();
    const ctx = new Context(io, { color: false, debug: false, quiet: false, yes: false });
    const err = await transfer(s, { verb: 'import', scope, prefix: 'scoped/', desired: keys.map((key) => ({ key, value: 'v' })), onConflict: 'fail', dryRun: false }, ctx).then(
      () => undefined,
      (e: unknown) => e as ScopedError,
    );
    expect(err?.line()).toMatch(/^import into org acme, project web: 8 of 8 write\(s\) failed; nothing written;/);
    expect(io.stderr.text).toBe(
      'warning: A, H not written: cause 0\nwarning: B not written: cause 1\nwarning: C not written: cause 2\nwarning: D not written: cause 3\nwarning: E not written: cause 4\nwarning: and 2 more cause(s) of failure\n',
    );
  });
});

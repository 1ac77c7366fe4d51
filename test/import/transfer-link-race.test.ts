/**
 * A key another writer makes a link between the plan and the write (the plan saw no key there): planned
 * again, the link is found and never written through. Under `update` the key fails (exit 2, the others
 * written) and the re-run is refused before any write, naming the link; under `skip` the link is skipped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Context } from '../../src/cli/context.js';
import { printTransfer } from '../../src/cli/transfer-output.js';
import { scopeTags, secretName } from '../../src/core/naming.js';
import type { ScopedError } from '../../src/errors.js';
import type { OnConflict } from '../../src/import/plan.js';
import { transfer } from '../../src/import/transfer.js';
import { createLink, LinkingStore } from '../../src/store/links.js';
import { LocalStore } from '../../src/store/local/local-store.js';
import type { SecretStore, WriteOp } from '../../src/store/types.js';
import { testIO } from '../helpers/io.js';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0a1b2c3d-AbCdEf';
const scope = { org: 'acme', project: 'web' };
const desired = ['A', 'B', 'C'].map((key) => ({ key, value: `value-canary-${key}` }));
let dir: string;
let local: LocalStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-link-race-'));
  local = new LocalStore({ home: join(dir, 'home') });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The linking store, whose first writeMany finds B made a link by another writer just before it. */
function overtakenByLink(): SecretStore & { calls: number } {
  const store = new LinkingStore(local);
  const wrapped = Object.create(store) as SecretStore & { calls: number };
  wrapped.calls = 0;
  wrapped.writeMany = async (ops: readonly WriteOp[]) => {
    if (wrapped.calls++ === 0) await createLink(local, { name: secretName('scoped/', scope, 'B'), tags: scopeTags(scope, 'B'), target: { arn: ARN } });
    return store.writeMany(ops);
  };
  return wrapped;
}

const run = async (s: SecretStore, onConflict: OnConflict) => {
  const io = testIO();
  const ctx = new Context(io, { color: false, debug: false, quiet: false, yes: false });
  const err = await transfer(s, { verb: 'import', scope, prefix: 'scoped/', desired, onConflict, dryRun: false }, ctx).then(
    (r) => printTransfer(ctx, r),
    (e: unknown) => e,
  );
  return { err: err as ScopedError | undefined, io };
};

describe('a key made a link between the plan and the write', () => {
  it('--on-conflict update: that key fails (exit 2) naming the link, the others are written; the re-run refuses before any write', async () => {
    const s = overtakenByLink();
    const { err, io } = await run(s, 'update');
    expect(s.calls).toBe(1); // planned again: nothing left to write
    expect(err?.exitCode).toBe(2);
    expect(err?.line()).toMatch(/^import into org acme, project web: 1 of 3 write\(s\) failed: made a link by another writer since the plan; written: A, C; /);
    expect(io.stdout.text).toBe('');
    expect(`${io.stderr.text}${err?.line()}`).not.toMatch(/value-canary/);

    const again = await run(new LinkingStore(local), 'update');
    expect(again.err?.exitCode).toBe(2);
    expect(again.err?.line()).toMatch(/^B at org acme, project web is a link, and scoped never writes through a link; nothing written; leave it out/);
  });

  it('--on-conflict skip: the link is skipped, the others written (exit 0)', async () => {
    const s = overtakenByLink();
    const { err, io } = await run(s, 'skip');
    expect(err).toBeUndefined();
    expect(io.stdout.text).toBe('A\tcreate\nB\tskip\nC\tcreate\n');
  });
});

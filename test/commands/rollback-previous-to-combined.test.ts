/**
 * `rollback secret KEY --previous --to ID`: a usage error (exit 2) saying the two cannot be combined, one
 * line with what to do; not 'needs either', which is what neither flag gets. Nothing moves.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';

const KEY = Buffer.alloc(32, 24).toString('base64');
const CANARY = 'canary-previous-to-5d90';

let sb: Sandbox;
beforeEach(() => {
  sb = sandbox({ SCOPED_LOCAL_KEY: KEY, SCOPED_ORG: 'acme' });
});
afterEach(() => sb.cleanup());

async function ok(argv: string[], stdin?: string): Promise<string> {
  const r = await sb.run(argv, stdin !== undefined ? { stdin } : {});
  expect(r.code, `${argv.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

const stagesOf = async (key: string, ...where: string[]) =>
  (JSON.parse(await ok(['history', 'secret', key, ...where, '-o', 'json'])) as { versions: { versionId: string; stages: string[] }[] }).versions;

describe('rollback secret --previous --to (local)', () => {
  it('both given: exit 2, "cannot be combined" with what to do, in one line; neither still "needs either"; nothing moved', async () => {
    await ok(['create', 'secret', 'BOTH', '-p', 'dd'], `${CANARY}-v0`);
    await ok(['update', 'secret', 'BOTH', '-p', 'dd'], `${CANARY}-v1`);
    const before = await stagesOf('BOTH', '-p', 'dd');
    const r = await sb.run(['rollback', 'secret', 'BOTH', '-p', 'dd', '--previous', '--to', (before[1] as { versionId: string }).versionId, '--yes']);
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toContain('--previous and --to cannot be combined');
    expect(r.stderr).not.toContain('needs either');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    const neither = await sb.run(['rollback', 'secret', 'BOTH', '-p', 'dd', '--yes']);
    expect([neither.code, neither.stderr]).toEqual([2, expect.stringContaining('needs either --previous or --to')]);
    expect(await stagesOf('BOTH', '-p', 'dd')).toEqual(before);
  });
});

/**
 * A command reads its config files once: a context derived for a deployment's flags (`withDeploymentFlags`) layers
 * them over the files its parent read, instead of finding and parsing them again. One view of the files per command
 * (a file edited while it runs cannot give it two), and one discovery's syscalls instead of two on `resolve`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Context } from '../../src/cli/context.js';
import { testIO } from '../helpers/io.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-config-once-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const global = { color: false, debug: false, quiet: false, yes: false };

describe('the config files of a command', () => {
  it('are read once: a derived context layers its flags over what its parent read', async () => {
    const file = join(dir, '.scoped.yaml');
    writeFileSync(file, 'org: acme\ndomain: staging\n');
    const io = testIO({ cwd: dir, env: { HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') } });
    const ctx = new Context(io, global);
    const first = await ctx.config();
    expect([first.org.value, first.domain.value, first.files]).toEqual(['acme', 'staging', [file]]);
    // Edited after the command read it: the command goes on with what it read.
    writeFileSync(file, 'org: other\ndomain: dev\n');
    const derived = await ctx.withDeploymentFlags({ project: 'billing' }).config();
    expect([derived.org.value, derived.project.value, derived.domain.value]).toEqual(['acme', 'billing', 'staging']);
    expect([derived.org.source, derived.project.source]).toEqual([`file ${file}`, 'flag --project']);
    // A new command reads the file as it is now.
    const next = await new Context(io, global).config();
    expect([next.org.value, next.domain.value]).toEqual(['other', 'dev']);
  });

  it('a file that is refused is refused for the derived context too, with the same error', async () => {
    writeFileSync(join(dir, '.scoped.yaml'), 'org: [not, a, name]\n');
    const ctx = new Context(testIO({ cwd: dir, env: { HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') } }), global);
    const error = await ctx.config().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(Error);
    await expect(ctx.withDeploymentFlags({ project: 'billing' }).config()).rejects.toBe(error);
  });
});

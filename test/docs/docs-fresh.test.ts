/**
 * docs/commands.md is generated (scripts/docs.mjs, `npm run docs`) from the command tree: this renders the
 * tree of the current sources, as the build writes it, and fails when the committed page differs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUT_PATH, renderCommands, slug } from '../../scripts/docs.mjs';
import type { CommandSpec } from '../../src/completion/tree.js';
import { TREE_FILE } from '../../src/completion/tree-data.js';
import { writeCommandTree } from '../../src/completion/write-tree.js';
import { ROOT } from '../helpers/bin.js';

/** The commands a user runs, by path: `create secret`, `resolve`. */
function leafPaths(c: CommandSpec, path: string[] = []): string[] {
  return c.subcommands.length === 0 ? [path.join(' ')] : c.subcommands.flatMap((s) => leafPaths(s, [...path, s.name]));
}

let dir: string;
let tree: CommandSpec;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scoped-docs-'));
  await writeCommandTree(dir);
  tree = JSON.parse(readFileSync(join(dir, TREE_FILE), 'utf8')) as CommandSpec;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('docs/commands.md', () => {
  it('is what `npm run docs` writes from the command tree', () => {
    const committed = readFileSync(OUT_PATH, 'utf8');
    expect(committed, 'docs/commands.md is stale: run `npm run docs` and commit docs/commands.md').toBe(renderCommands(tree));
  });

  it('has a section for every command, with its usage, options and examples', () => {
    const doc = renderCommands(tree);
    const paths = leafPaths(tree);
    expect(paths.length).toBeGreaterThan(15);
    for (const p of paths) expect(doc).toContain(`\n## ${p}\n`);
    // A verb with options of its own (`rollback --pinned FILE`) has a section too.
    for (const verb of tree.subcommands.filter((c) => c.subcommands.length > 0 && c.options.some((o) => o.long !== '--help'))) {
      expect(doc).toContain(`\n## ${verb.name}\n`);
    }
    expect(doc).toContain('| `-p, --project <project>` |');
    expect(doc).toContain('scoped run [options] -- CMD [ARGS...]');
    expect(doc).toContain('scoped resolve -p billing -d production --explain');
    // Global options once, at the end (-h among them); a command's -h is not repeated in every table.
    expect(doc).toContain('\n## Global options\n');
    expect(doc.match(/`-h, --help` \|/g)).toHaveLength(1);
  });

  it("the README's command table has a row for every command, linking its section", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const missing = leafPaths(tree).filter((p) => !readme.includes(`| [\`${p}\`](docs/commands.md#${slug(p)}) |`));
    expect(missing, 'add a row for each of these to the command table in README.md').toEqual([]);
  });

  it('changes when the tree changes, and holds no date or path', () => {
    const changed = structuredClone(tree);
    changed.subcommands.find((c) => c.name === 'resolve')!.description = 'something else';
    expect(renderCommands(changed)).not.toBe(renderCommands(tree));
    const doc = renderCommands(tree);
    expect(renderCommands(structuredClone(tree))).toBe(doc);
    expect(doc).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(doc).not.toContain(ROOT);
  });

  it('`node scripts/docs.mjs` writes it, and `--check` fails on a stale page saying what to run', () => {
    const script = join(ROOT, 'scripts', 'docs.mjs');
    const treeFile = join(dir, TREE_FILE);
    const out = join(dir, 'commands.md');
    const run = (...args: string[]) => spawnSync(process.execPath, [script, '--tree', treeFile, '--out', out, ...args], { encoding: 'utf8' });
    expect(run()).toMatchObject({ status: 0, stdout: '' });
    expect(readFileSync(out, 'utf8')).toBe(renderCommands(tree));
    expect(run('--check')).toMatchObject({ status: 0, stderr: '' });
    writeFileSync(out, readFileSync(out, 'utf8').replace('## resolve', '## resolved'));
    expect(run('--check')).toMatchObject({ status: 1, stderr: 'docs: docs/commands.md is stale; run npm run docs and commit it\n' });
    const missing = spawnSync(process.execPath, [script, '--tree', join(dir, 'none.json'), '--out', out], { encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/none\.json is missing; run npm run build first/);
  });
});

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import madge from 'madge';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layers (docs/ARCHITECTURE.md, "Layers"), read from the imports of every file in src/: static,
 * type-only, re-exports and dynamic `import('...')`, as TypeScript's own pre-parser finds them.
 *
 *   command line   cli/, commands/, completion/, main.ts, entry.ts, fast-entry.ts
 *   application    service/, deploy/, pin/, import/, diff/, run/, export/, refs/, ... (plain inputs and results)
 *   store          store/ (backends: store/aws/, store/local/, imported only inside store/)
 *   below          core/ (pure rules), support/ (text, file and stream helpers), config/, io.ts, errors.ts, version.ts
 *
 * Imports point down only. An exception would be listed in EXCEPTIONS with its reason; there are none.
 */

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');

/** `from -> to` pairs (paths relative to the repository) allowed despite a rule, each with its reason. */
const EXCEPTIONS: Record<string, string> = {};

/** The modules every import of `text` names: relative ones as they are written, packages and `node:` too. */
function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((f) => f.fileName);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path] : [];
  });
}

interface Edge {
  /** `src/deploy/expand.ts` */
  from: string;
  /** `src/cli/context.ts` for a file of ours; the specifier as written (`yaml`, `node:fs`) otherwise. */
  to: string;
}

/** Every import of every file in `dir`, a relative one resolved to the .ts file it loads. */
function edgesOf(dir: string): Edge[] {
  return sourceFiles(dir).flatMap((file) =>
    importsOf(readFileSync(file, 'utf8')).map((spec) => ({
      from: relative(root, file),
      to: spec.startsWith('.') ? relative(root, resolve(dirname(file), spec)).replace(/\.js$/, '.ts') : spec,
    })),
  );
}

const COMMAND_LINE = ['src/cli/', 'src/commands/', 'src/completion/', 'src/main.ts', 'src/entry.ts', 'src/fast-entry.ts'];
/** What every layer stands on: settings, streams, errors, the version. */
const FOUNDATION = ['src/config/', 'src/config.ts', 'src/io.ts', 'src/errors.ts', 'src/version.ts'];
const under = (path: string, places: readonly string[]): boolean => places.some((p) => (p.endsWith('/') ? path.startsWith(p) : path === p));

interface Rule {
  name: string;
  /** True when `e` breaks the rule. */
  broken(e: Edge): boolean;
}

const RULES: Rule[] = [
  {
    name: 'only the command line imports cli/ and commands/',
    broken: (e) => under(e.to, ['src/cli/', 'src/commands/']) && !under(e.from, COMMAND_LINE),
  },
  {
    name: 'only store/ imports a backend (store/aws/, store/local/)',
    broken: (e) => under(e.to, ['src/store/aws/', 'src/store/local/']) && !e.from.startsWith('src/store/'),
  },
  {
    // Pure rules: no files, no network, no packages; errors.ts for the errors they throw.
    name: 'core/ imports only core/ and errors.ts',
    broken: (e) => e.from.startsWith('src/core/') && !under(e.to, ['src/core/', 'src/errors.ts']),
  },
  {
    // Below the application layer: support/ knows no command, store, setting or application module.
    name: 'support/ imports only support/, errors.ts, io.ts, Node and packages',
    broken: (e) => e.from.startsWith('src/support/') && e.to.startsWith('src/') && !under(e.to, ['src/support/', 'src/errors.ts', 'src/io.ts']),
  },
  {
    name: 'config, io.ts, errors.ts and version.ts import only each other, core/ and support/',
    broken: (e) => under(e.from, FOUNDATION) && e.to.startsWith('src/') && !under(e.to, [...FOUNDATION, 'src/core/', 'src/support/']),
  },
];

/** Each rule's broken imports, as `from -> to` lines (none expected). */
function violations(edges: readonly Edge[]): Record<string, string[]> {
  return Object.fromEntries(
    RULES.map((r) => [
      r.name,
      edges
        .filter((e) => r.broken(e))
        .map((e) => `${e.from} -> ${e.to}`)
        .filter((line) => EXCEPTIONS[line] === undefined),
    ]),
  );
}

describe('architecture', () => {
  const edges = edgesOf(src);

  it.each(RULES.map((r) => [r.name]))('%s', (name) => {
    expect(violations(edges)[name]).toEqual([]);
  });

  it('lists no exception that is not needed', () => {
    const lines = new Set(edges.map((e) => `${e.from} -> ${e.to}`));
    expect(Object.keys(EXCEPTIONS).filter((line) => !lines.has(line))).toEqual([]);
  });

  it('reads every kind of import: static, type-only, re-export, dynamic, side effect', () => {
    const text = [
      "import { a } from '../cli/a.js';",
      "import type { B } from '../commands/b.js';",
      "export { c } from '../store/aws/c.js';",
      "import '../store/local/d.js';",
      "const e = await import('../cli/e.js');",
      'const f = () => import(`../cli/f.js`);',
    ].join('\n');
    expect(importsOf(text)).toEqual(['../cli/a.js', '../commands/b.js', '../store/aws/c.js', '../store/local/d.js', '../cli/e.js', '../cli/f.js']);
  });

  it('each rule catches what it forbids', () => {
    const bad: Edge[] = [
      { from: 'src/deploy/expand.ts', to: 'src/cli/context.ts' },
      { from: 'src/config.ts', to: 'src/commands/shared.ts' },
      { from: 'src/pin/versions.ts', to: 'src/store/aws/convert.ts' },
      { from: 'src/completion/org-names.ts', to: 'src/store/local/names-reader.ts' },
      { from: 'src/core/scope.ts', to: 'src/config.ts' },
      { from: 'src/core/scope.ts', to: 'node:fs' },
      { from: 'src/support/few-names.ts', to: 'src/store/types.ts' },
      { from: 'src/config/file.ts', to: 'src/import/parse-errors.ts' },
      { from: 'src/io.ts', to: 'src/cli/direct-stdout.ts' },
    ];
    const good: Edge[] = [
      { from: 'src/commands/run.ts', to: 'src/cli/context.ts' },
      { from: 'src/completion/engine.ts', to: 'src/commands/options.ts' },
      { from: 'src/store/create-store.ts', to: 'src/store/aws/aws-store.ts' },
      { from: 'src/core/policy.ts', to: 'src/core/scope.ts' },
      { from: 'src/support/read-input.ts', to: 'node:fs' },
      { from: 'src/config/file.ts', to: 'src/support/parse-errors.ts' },
      { from: 'src/config.ts', to: 'src/config/layers.ts' },
    ];
    expect(bad.filter((e) => !RULES.some((r) => r.broken(e)))).toEqual([]);
    expect(good.filter((e) => RULES.some((r) => r.broken(e)))).toEqual([]);
  });

  // A cycle means a helper lives in the file that imports its users: move it to a module both import.
  it('src has no import cycles', async () => {
    const graph = await madge(src, { fileExtensions: ['ts'] });
    expect(graph.circular()).toEqual([]);
  });
});

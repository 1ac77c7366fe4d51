/**
 * Every relative link in README.md and docs/*.md points at a file that exists, and an anchor at a heading
 * of that file (as GitHub names it); the README links every page under docs/; the source and test files
 * the pages name exist.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { slug } from '../../scripts/docs.mjs';
import { ROOT } from '../helpers/bin.js';

/** The text outside fenced code blocks. */
function prose(md: string): string[] {
  let fence = false;
  return md.split('\n').filter((line) => {
    if (/^\s*```/.test(line)) {
      fence = !fence;
      return false;
    }
    return !fence;
  });
}

/** The anchors of a markdown file's headings, with GitHub's -1, -2 for repeats. */
export function anchors(md: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of prose(md)) {
    const m = /^#{1,6} (.+)$/.exec(line);
    if (!m?.[1]) continue;
    const base = slug(m[1].trim());
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** The link targets in a markdown file's prose (code spans and fenced blocks left out). */
export function links(md: string): string[] {
  const text = prose(md)
    .join('\n')
    .replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

/** Problems with the relative links of the file at `file` (absolute path), one line each. */
function broken(file: string, read: (path: string) => string | undefined): string[] {
  const problems: string[] = [];
  for (const target of links(read(file) ?? '')) {
    if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
    const [path = '', anchor] = target.split('#');
    const to = path === '' ? file : resolve(dirname(file), path);
    const text = read(to);
    const name = relative(ROOT, file);
    if (text === undefined) problems.push(`${name}: ${target}: no such file`);
    else if (anchor !== undefined && !anchors(text).has(anchor)) problems.push(`${name}: ${target}: no such heading`);
  }
  return problems;
}

const readDisk = (path: string): string | undefined => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);
const DOCS = readdirSync(join(ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .sort();

describe('documentation links', () => {
  it('every relative link in README.md and docs/*.md points at an existing file and heading', () => {
    const files = [join(ROOT, 'README.md'), ...DOCS.map((f) => join(ROOT, 'docs', f))];
    expect(files.flatMap((f) => broken(f, readDisk))).toEqual([]);
  });

  it('the README links every page under docs/', () => {
    const targets = new Set(links(readFileSync(join(ROOT, 'README.md'), 'utf8')).map((t) => t.split('#')[0]));
    expect(DOCS.filter((f) => !targets.has(`docs/${f}`))).toEqual([]);
  });

  it('every repository path README.md and the topic pages name in code (`test/...`, `src/...`) exists', () => {
    // docs/ARCHITECTURE.md is kept true by its own owners; the generated reference names no paths.
    const files = ['README.md', ...DOCS.filter((f) => f !== 'ARCHITECTURE.md').map((f) => `docs/${f}`)];
    const named = files.flatMap((f) =>
      [...readFileSync(join(ROOT, f), 'utf8').matchAll(/`((?:test|src|bench|scripts|bin|action|completions|\.ci)\/[\w./-]*)`/g)].map((m) => ({ f, path: m[1]! })),
    );
    expect(named.length).toBeGreaterThan(5);
    // A file git ignores is one a run writes (bench/results.partial.json): named, never committed.
    const written = (path: string) => spawnSync('git', ['check-ignore', '-q', path], { cwd: ROOT }).status === 0;
    expect(named.filter(({ path }) => !existsSync(join(ROOT, path)) && !written(path)).map(({ f, path }) => `${f}: ${path}`)).toEqual([]);
  });

  it('finds a missing file, a missing heading and a repeated heading, and skips code', () => {
    const files: Record<string, string> = {
      [join(ROOT, 'a.md')]: [
        '# A',
        '## Same',
        '## Same',
        'see [b](b.md#its-heading) and [c](c.md) and [x](#same-1) and [y](#same-2)',
        '`[not](a link.md)`',
        '```',
        '[nor](this.md)',
        '```',
        '[web](https://example.com/x)',
      ].join('\n'),
      [join(ROOT, 'b.md')]: '# Its heading (`--raw`)\n',
    };
    expect(broken(join(ROOT, 'a.md'), (p) => files[p])).toEqual(['a.md: b.md#its-heading: no such heading', 'a.md: c.md: no such file', 'a.md: #same-2: no such heading']);
    expect(anchors(files[join(ROOT, 'b.md')]!)).toEqual(new Set(['its-heading---raw']));
  });
});

import { linkSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';

// render --out over its own template (same path, symlink, hard link) is refused, through main on the local store.
let sb: Sandbox;
beforeEach(async () => {
  sb = sandbox({ SCOPED_ORG: 'acme' });
  expect((await sb.run(['create', 'secret', 'DB_URL'], { stdin: 'first' })).code).toBe(0);
});
afterEach(() => sb.cleanup());

describe('render --out that is the template', () => {
  const template = () => {
    const path = join(sb.dir, 'app.tmpl');
    writeFileSync(path, 'url={{ secret "DB_URL" }}\n');
    return path;
  };

  it.each([
    ['the same path', (t: string) => t, 'is the template'],
    ['the same path spelt differently', (_t: string) => join(sb.dir, '.', 'app.tmpl'), 'is the template'],
    ['a symlink to it', (t: string) => (symlinkSync(t, join(sb.dir, 'link')), 'link'), 'is the same file as the template'],
    ['a hard link to it', (t: string) => (linkSync(t, join(sb.dir, 'hard')), 'hard'), 'is the same file as the template'],
  ])('%s: exit 2, the template unchanged', async (_label, outFor, says) => {
    const t = template();
    const out = outFor(t);
    const r = await sb.run(['render', 'app.tmpl', '--out', out]);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(`scoped: --out ${out} ${says} app.tmpl: writing it would replace the template; write the result to another file\n`);
    expect(readFileSync(t, 'utf8')).toBe('url={{ secret "DB_URL" }}\n');
  });

  it('a template given through a symlink, --out the file itself: refused too', async () => {
    symlinkSync(template(), join(sb.dir, 'via'));
    expect((await sb.run(['render', 'via', '--out', 'app.tmpl'])).code).toBe(2);
  });

  it('another file, and --out - (stdout), are written', async () => {
    template();
    expect((await sb.run(['render', 'app.tmpl', '--out', 'app.conf'])).code).toBe(0);
    expect(readFileSync(join(sb.dir, 'app.conf'), 'utf8')).toBe('url=first\n');
    expect((await sb.run(['render', 'app.tmpl', '--out', '-'])).stdout).toBe('url=first\n');
  });
});

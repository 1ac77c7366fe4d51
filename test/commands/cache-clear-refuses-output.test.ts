import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from '../helpers/io.js';

// `cache clear` has no output shape (its one line is a message on stderr): `-o` is refused, exit 2, before
// anything is removed, as run, render and completion refuse it (review s28, finding 9: it was ignored).
let sb: Sandbox;
let kept: string;
beforeEach(() => {
  sb = sandbox();
  sb.env.XDG_CACHE_HOME = join(sb.dir, 'cache');
  mkdirSync(join(sb.env.XDG_CACHE_HOME, 'scoped', 'values'), { recursive: true });
  kept = join(sb.env.XDG_CACHE_HOME, 'scoped', 'values', 'entry');
  writeFileSync(kept, 'x');
});
afterEach(() => sb.cleanup());

describe('cache clear and -o', () => {
  it.each(['json', 'yaml', 'table'])('-o %s (before or after the command): exit 2, one line, nothing removed', async (format) => {
    for (const argv of [
      ['-o', format, 'cache', 'clear'],
      ['cache', 'clear', '-o', format],
    ]) {
      const r = await sb.run(argv);
      expect(r).toMatchObject({ code: 2, stdout: '', stderr: `scoped: -o ${format} does not apply to cache clear; it prints no data, only a line on stderr; leave -o out\n` });
      expect(existsSync(kept)).toBe(true);
    }
  });

  it('-o markdown: refused too', async () => {
    expect(await sb.run(['-o', 'markdown', 'cache', 'clear'])).toMatchObject({ code: 2, stdout: '' });
    expect(existsSync(kept)).toBe(true);
  });

  it('without -o it clears, as before', async () => {
    const r = await sb.run(['cache', 'clear']);
    expect(r).toMatchObject({ code: 0, stdout: '' });
    expect(r.stderr).toContain('removed 1 kept value file(s)');
    expect(existsSync(kept)).toBe(false);
  });
});

import { expect } from 'vitest';
import type { Sandbox } from './io.js';

/** Stores each value exactly as given (bytes too) at the scope of `flags`. */
export async function seed(sb: Sandbox, values: Record<string, string | Uint8Array>, flags: string[] = []): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    const r = await sb.run(['create', 'secret', key, '--from-file', '-', ...flags], { stdin: Buffer.from(value) });
    expect(r.code, r.stderr).toBe(0);
  }
}

/** `-- node -e SCRIPT`: a real child process. */
export function node(script: string): string[] {
  return ['--', process.execPath, '-e', script];
}

/** Values that break naive quoting, each one a dotenv file can hold. */
export const NASTY: [string, string][] = [
  ['SINGLE', "it's"],
  ['DOUBLE', 'say "hi"'],
  ['BACKTICK', 'run `id` now'],
  ['DOLLAR', '$HOME ${PATH} $(whoami) $'],
  ['BACKSLASH', 'C:\\new\\table \\n \\\\'],
  ['NEWLINES', 'line 1\nline 2\n\nline 4\n'],
  ['CRLF', 'a\r\nb\r'],
  ['UNICODE', 'pässwörd ✓ 密码 🔑'],
  ['MIXED', 'it\'s "both"\nand $more'],
  ['ALL_QUOTES', `one line: '"\``],
  ['SPACES', '  padded  '],
  ['HASH', 'value # not a comment'],
  ['EQUALS', 'a=b=c'],
  ['TRAILING_BACKSLASH', 'ends with \\'],
  ['EMPTY', ''],
];

/** A small seeded generator, so a failing case can be replayed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

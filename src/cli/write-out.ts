import type { Context } from './context.js';
import { writeRevealed } from './reveal.js';

export interface WriteOutOptions {
  /** `--out PATH`; undefined or `-`: stdout. */
  out: string | undefined;
  /** --raw (stdout on a terminal only). */
  raw: boolean;
  /** The line on stderr after the file is written, naming it. */
  wrote: (path: string) => string;
}

/**
 * The tail of the commands that write a document (`export`, `render`, `pin`): `--out PATH` replaces PATH
 * atomically with a file of mode 0600 (export/private-file.ts) and says so on stderr; without --out, or
 * with `--out -`, the text goes to stdout as stored text (cli/reveal.ts).
 */
export async function writeOut(ctx: Context, text: string, o: WriteOutOptions): Promise<void> {
  if (o.out === undefined || o.out === '-') return writeRevealed(ctx, text, { raw: o.raw });
  // Loaded here: node:crypto (temp names) only for the path that writes a file.
  const { writeOutFile } = await import('../export/private-file.js');
  writeOutFile(ctx.io.cwd, o.out, text);
  ctx.info(o.wrote(o.out));
}

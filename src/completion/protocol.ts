import type { Candidate } from './engine.js';

/**
 * What `scoped __complete <shell> -- <words...>` prints, read by the scripts in completions/: one
 * candidate a line (`value<TAB>description` for zsh and fish, the value alone for bash), and a last line
 * with a directive when the shell should complete the word itself: `:files` for file names, `:command N`
 * when the words from the Nth on (counted from 0 among the words the script passed, as it passed them)
 * are a command line of their own (`run -- CMD ARGS...`), which the shell completes as if it had been
 * typed alone (commands, then that command's completion).
 */
export type Shell = 'bash' | 'zsh' | 'fish';
export const SHELLS: readonly Shell[] = ['bash', 'zsh', 'fish'];
export const FILES_DIRECTIVE = ':files';
export const commandDirective = (at: number) => `:command ${at}` as const;
export type Directive = typeof FILES_DIRECTIVE | ReturnType<typeof commandDirective>;

const BREAK_WORD = /^[=:]+$/;

/**
 * bash splits words at `=` and `:` (COMP_WORDBREAKS), so `--output=js` arrives as `--output` `=` `js`.
 * Glue them back, and unquote the finished words. Readline then replaces only the text after the last
 * break, so when the word at the cursor was glued, `cut` says how much of each candidate to drop.
 * `starts`: where each word began among bash's.
 */
export function joinBashWords(words: readonly string[]): { words: string[]; cut: number | undefined; starts: number[] } {
  const out: string[] = [];
  /** Where each joined word starts among the words bash passed. */
  const starts: number[] = [];
  let glueNext = false;
  let lastGlued = false;
  for (const [i, w] of words.entries()) {
    if (out.length > 0 && (BREAK_WORD.test(w) || glueNext)) {
      out[out.length - 1] += w;
      glueNext = BREAK_WORD.test(w);
      lastGlued = true;
      continue;
    }
    out.push(w);
    starts.push(i);
    glueNext = false;
    lastGlued = false;
  }
  // zsh and fish hand over finished words unquoted; bash as typed.
  for (let i = 0; i < out.length - 1; i++) out[i] = unquote(out[i] as string);
  const last = out[out.length - 1] ?? '';
  const cut = lastGlued ? Math.max(last.lastIndexOf('='), last.lastIndexOf(':')) + 1 : undefined;
  return { words: out, cut, starts };
}

/** `'a b'`, `"a b"` and `a\ b` as the shell would pass them on. */
function unquote(word: string): string {
  if (/^'[^']*'$/.test(word)) return word.slice(1, -1);
  if (/^"([^"\\]|\\.)*"$/.test(word)) return word.slice(1, -1).replace(/\\(.)/g, '$1');
  return word.replace(/\\(.)/g, '$1');
}

/** A description on one line with no tab, short enough for a completion menu. */
function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

export function formatCandidates(shell: Shell, candidates: readonly Candidate[], directive: Directive | undefined, cut = 0): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const c of candidates) {
    if (seen.has(c.value)) continue;
    seen.add(c.value);
    if (shell === 'bash') lines.push(c.value.slice(cut));
    else lines.push(c.description ? `${c.value}\t${oneLine(c.description)}` : c.value);
  }
  if (directive) lines.push(directive);
  return lines.map((l) => `${l}\n`).join('');
}

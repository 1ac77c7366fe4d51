/**
 * "did you mean …?" for words commander does not check itself (a verb's resource). commander suggests
 * commands and options with the same rule (at most 2 edits, and not more than ~60% of the word), so
 * every typo is answered alike: `main.ts` puts its suggestions in the same words.
 */

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 0; j <= b.length; j++) (d[0] as number[])[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i] as number[];
    for (let j = 1; j <= b.length; j++) {
      const prev = d[i - 1] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

/** The closest candidates (ties all kept), or none when nothing is close. */
export function closest(word: string, candidates: readonly string[]): string[] {
  let best = 2;
  let found: string[] = [];
  for (const c of new Set(candidates)) {
    const dist = distance(word, c);
    const length = Math.max(word.length, c.length);
    if ((length - dist) / length <= 0.4 || dist > best) continue;
    if (dist < best) found = [];
    best = dist;
    found.push(c);
  }
  return found;
}

/** ` -- did you mean X?` (or `X or Y`), or nothing. */
export function didYouMean(words: readonly string[]): string {
  return words.length === 0 ? '' : ` -- did you mean ${words.join(' or ')}?`;
}

/**
 * Options that do something of their own instead of the command they are typed with: `--version` prints the
 * version and exits. Offered for a mistyped option only on a line with no command (`scoped --verison`); after
 * a command (`history secret K --versions`) taking the hint would do something unrelated.
 */
const STANDALONE: ReadonlySet<string> = new Set(['--version', '-V']);

/**
 * Options an unknown one may have meant: those it begins (`--deploy` -> `--deployment`, too many edits for
 * commander's rule), when it is long enough to mean something; else the closest by that rule. `command`:
 * the line names a command, so STANDALONE options are not offered.
 */
export function suggestOption(word: string, options: readonly string[], command = false): string[] {
  const offered = command ? options.filter((o) => !STANDALONE.has(o)) : options;
  const begun = word.startsWith('--') && word.length >= 5 ? [...new Set(offered.filter((o) => o.startsWith(word)))] : [];
  return begun.length > 0 ? begun : closest(word, offered);
}

/**
 * A guard before the yaml package composes a document. Its composer recurses once per level: a few
 * thousand levels (`[[[[...`, `- - - -`) exhaust the stack, and where that happens inside a regular
 * expression's compilation V8 aborts the whole process (seen with 200,000 `[`). The yaml package's own
 * syntax tree is built without recursion but takes seconds per 100,000 levels, so this counts characters
 * instead, in one pass: brackets not yet closed (quotes are not looked at, so it may overcount, never
 * undercount) and the `- `/`? `/`: ` indicators that open a block collection on one line. A source scoped
 * reads (a flat mapping, a config file with lists) never nests deeper than a few levels.
 */
export const MAX_YAML_DEPTH = 64;

/** A run of block indicators on one line, each opening a collection inside the one before. */
const INLINE_BLOCKS = /^(?:[ \t]*[-?:](?=[ \t]|$))+/gm;

/** The offset at which the text nests deeper than `max`, or undefined when it does not. */
export function tooDeep(text: string, max = MAX_YAML_DEPTH): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  for (const m of text.matchAll(INLINE_BLOCKS)) {
    if (m[0].replace(/[ \t]/g, '').length > max) return m.index;
  }
  return undefined;
}

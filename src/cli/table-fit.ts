import { wrapWords } from './help-text.js';

/**
 * Fitting a table to the terminal (pure; output.ts draws it). A table that fits is drawn as it is. One
 * that does not keeps its first column (KEY, SETTING, VERSION: what a row is) whole and shortens the
 * widest other columns first, cells cut with an ellipsis. When even that cannot fit (a narrow terminal),
 * each row is shown as a block of `HEADER value` lines, wrapped, as psql's expanded display does.
 */
export type Layout = { kind: 'table'; widths?: number[] | undefined } | { kind: 'records' };

/** cli-table3 as we draw it: one space of padding each side and a border between and around columns. */
export const tableWidth = (widths: readonly number[]): number => widths.reduce((a, w) => a + w, 0) + 3 * widths.length + 1;

/** A column is not shortened below its header, nor below a few characters of content. */
const MIN_WIDTH = 8;

/** Terminal columns a string takes: East Asian wide and emoji characters count two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (c >= 0x300 && c <= 0x36f) continue; // combining marks
    const wide =
      (c >= 0x1100 && c <= 0x115f) ||
      (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) ||
      (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) ||
      (c >= 0x1f300 && c <= 0x1faff) ||
      (c >= 0x20000 && c <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

/**
 * Shortens the widest columns first: the largest cap that fits `budget`, then what the cap leaves over
 * to the columns closest to whole (a SCOPE column a character or two short gets them).
 */
function waterFill(natural: readonly number[], mins: readonly number[], budget: number): number[] {
  const at = (c: number) => natural.map((w, i) => Math.max(Math.min(w, c), mins[i] as number));
  let cap = Math.max(...natural);
  while (cap > 0 && at(cap).reduce((a, w) => a + w, 0) > budget) cap--;
  const widths = at(cap);
  let spare = budget - widths.reduce((a, w) => a + w, 0);
  const order = widths.map((_, i) => i).sort((a, b) => (natural[a] as number) - (widths[a] as number) - ((natural[b] as number) - (widths[b] as number)));
  for (const i of order) {
    const add = Math.min(spare, (natural[i] as number) - (widths[i] as number));
    widths[i] = (widths[i] as number) + add;
    spare -= add;
  }
  return widths;
}

export function fitTable(headers: readonly string[], rows: readonly (readonly string[])[], columns: number | undefined): Layout {
  const natural = headers.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  if (columns === undefined || columns <= 0 || tableWidth(natural) <= columns) return { kind: 'table' };
  const [first = 0, ...rest] = natural;
  const mins = rest.map((w, i) => Math.min(w, Math.max(displayWidth(headers[i + 1] ?? ''), MIN_WIDTH)));
  const budget = columns - tableWidth([first, ...rest.map(() => 0)]);
  if (budget < mins.reduce((a, w) => a + w, 0)) return { kind: 'records' };
  return { kind: 'table', widths: [first, ...waterFill(rest, mins, budget)] };
}

/** The expanded display: each row a block of `HEADER  value` lines, values wrapped (never cut). */
export function recordLines(headers: readonly string[], rows: readonly (readonly string[])[], columns: number, bold: (s: string) => string): string {
  const pad = Math.max(...headers.map(displayWidth));
  const room = Math.max(columns - pad - 2, 10);
  const blocks = rows.map((row) =>
    headers
      .flatMap((h, i) => {
        // The first column (the key) whole; other values wrapped, words longer than a line cut into lines.
        const [line = '', ...more] = i === 0 ? [row[i] ?? ''] : wrapWords(row[i] ?? '', room);
        return [`${bold(h.padEnd(pad))}  ${line}`, ...more.map((l) => `${' '.repeat(pad + 2)}${l}`)];
      })
      .join('\n'),
  );
  return `${blocks.join('\n\n')}\n`;
}

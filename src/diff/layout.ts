/**
 * Plain aligned columns for a terminal, kept within a width: headers wrap at `/` (a deployment address
 * becomes two lines), and when the columns still do not fit they are split into blocks, each repeating
 * the key column. Keys are never truncated (a key wider than the terminal makes its own lines longer).
 */

export interface LayoutColumn {
  header: string;
  /** One cell per row. */
  cells: string[];
  /** A style per cell (colour on a terminal), applied inside the padding. */
  styles?: (((text: string) => string) | undefined)[];
}

export interface LayoutInput {
  keyHeader: string;
  keys: string[];
  columns: LayoutColumn[];
  width: number;
  bold?: (text: string) => string;
}

const GAP = 2;

/** `billing/production` -> [`billing/`, `production`]; text without `/` stays one line. */
function wrapHeader(header: string): string[] {
  const at = header.indexOf('/');
  return at < 0 ? [header] : [header.slice(0, at + 1), header.slice(at + 1)];
}

interface Sized {
  lines: string[];
  cells: string[];
  styles: LayoutColumn['styles'];
  width: number;
}

function size(column: LayoutColumn, wrap: boolean): Sized {
  const lines = wrap ? wrapHeader(column.header) : [column.header];
  const width = Math.max(...lines.map((l) => l.length), ...column.cells.map((c) => c.length));
  return { lines, cells: column.cells, styles: column.styles, width };
}

const total = (keyWidth: number, cols: readonly Sized[]): number => cols.reduce((sum, c) => sum + GAP + c.width, keyWidth);

/** Columns packed greedily into blocks that fit the width (at least one column per block). */
function blocks(keyWidth: number, cols: readonly Sized[], width: number): Sized[][] {
  const out: Sized[][] = [];
  let current: Sized[] = [];
  for (const col of cols) {
    if (current.length > 0 && total(keyWidth, [...current, col]) > width) {
      out.push(current);
      current = [];
    }
    current.push(col);
  }
  if (current.length > 0) out.push(current);
  return out;
}

function renderBlock(input: LayoutInput, keyWidth: number, cols: readonly Sized[]): string[] {
  const bold = input.bold ?? ((t: string) => t);
  const headerLines = Math.max(...cols.map((c) => c.lines.length));
  const lines: string[] = [];
  for (let i = 0; i < headerLines; i++) {
    // Multi-line headers sit at the bottom, so the last header line is the one above the cells.
    const key = i === headerLines - 1 ? input.keyHeader : '';
    const parts = cols.map((c) => c.lines[i - (headerLines - c.lines.length)] ?? '');
    lines.push(join(key, keyWidth, parts, cols, bold));
  }
  input.keys.forEach((key, row) =>
    lines.push(
      join(
        key,
        keyWidth,
        cols.map((c) => c.cells[row] ?? ''),
        cols,
        undefined,
        cols.map((c) => c.styles?.[row]),
      ),
    ),
  );
  return lines;
}

/** Padding outside the style, so escape codes never count towards a width. */
function join(key: string, keyWidth: number, parts: string[], cols: readonly Sized[], style?: (t: string) => string, partStyles: LayoutColumn['styles'] = []): string {
  const plain = (t: string) => t;
  const pad = (text: string, width: number, s: (t: string) => string) => (text === '' ? ' '.repeat(width) : `${s(text)}${' '.repeat(Math.max(0, width - text.length))}`);
  const cells = parts.map((p, i) => pad(p, cols[i]?.width ?? 0, partStyles[i] ?? style ?? plain));
  return [pad(key, keyWidth, style ?? plain), ...cells].join(' '.repeat(GAP)).trimEnd();
}

/** The table as lines (no trailing newline), within `width` wherever the keys allow. */
export function layoutColumns(input: LayoutInput): string[] {
  const keyWidth = Math.max(input.keyHeader.length, ...input.keys.map((k) => k.length));
  for (const wrap of [false, true]) {
    const cols = input.columns.map((c) => size(c, wrap));
    if (total(keyWidth, cols) <= input.width) return renderBlock(input, keyWidth, cols);
  }
  const split = blocks(
    keyWidth,
    input.columns.map((c) => size(c, true)),
    input.width,
  );
  return split.flatMap((cols, i) => [...(i > 0 ? [''] : []), ...renderBlock(input, keyWidth, cols)]);
}

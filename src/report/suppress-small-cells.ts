/**
 * Small-cell suppression for a published table of counts, with complementary
 * suppression so a hidden cell cannot be recovered from the totals printed beside it.
 *
 * Primary suppression hides every cell (and every total) describing fewer than
 * `threshold` students, zero included: "no student here" is a statement about fewer
 * than ten students too. Complementary suppression then looks at every line whose sum is
 * published (a row with its row total, a column with its column total, and the row or
 * column of totals with the grand total): a line with exactly one hidden member would
 * give it away by subtraction, and hidden parts adding up to 0 would each be 0, so the
 * smallest visible non-zero member of that line is hidden as well, and this repeats until
 * no line gives a hidden member away (the usual
 * iterative heuristic, e.g. Federal Committee on Statistical Methodology, Statistical
 * Policy Working Paper 22, 2005, ch. 4).
 */

/** A count as published: the number, or `null` where it is suppressed. */
export type PublishedCount = number | null;

export interface CountTable {
  /** `cells[r][c]`: the number of students in row r and column c. */
  readonly cells: readonly (readonly number[])[];
  /** Whether the row totals are printed (then each row is a line). */
  readonly rowTotals: boolean;
  /** Whether the column totals are printed. */
  readonly columnTotals: boolean;
}

export interface SuppressedTable {
  readonly cells: PublishedCount[][];
  /** Row totals (empty when not published). */
  readonly rowTotals: PublishedCount[];
  /** Column totals (empty when not published). */
  readonly columnTotals: PublishedCount[];
  /** The grand total, when both kinds of totals are published; otherwise undefined. */
  readonly total?: PublishedCount;
  /** How many published numbers were hidden. */
  readonly suppressed: number;
}

export const SUPPRESSION_THRESHOLD = 10;

/**
 * Suppresses the small cells of a table of counts and the cells needed to protect them.
 *
 * @example
 * suppressSmallCells({ cells: [[40, 3, 25], [50, 60, 70]], rowTotals: true, columnTotals: true }).cells
 * // [[40, null, null], [50, null, null]]: the 3, the 25 that would reveal it through its
 * // row total, and the 60 and 70 that would reveal those through their column totals
 */
export function suppressSmallCells(table: CountTable, threshold: number = SUPPRESSION_THRESHOLD): SuppressedTable {
  const rows = table.cells.length;
  const cols = rows === 0 ? 0 : table.cells[0].length;
  for (const row of table.cells) {
    if (row.length !== cols) throw new RangeError(`suppressSmallCells: every row must have ${cols} cells, got ${row.length}`);
  }
  // A grid with one extra row and column for the totals; `shown` marks what is printed.
  const value: number[][] = [];
  const shown: boolean[][] = [];
  for (let r = 0; r <= rows; r++) {
    value.push([]);
    shown.push([]);
    for (let c = 0; c <= cols; c++) {
      const isCell = r < rows && c < cols;
      const v = isCell
        ? table.cells[r][c]
        : r < rows
          ? sum(table.cells[r])
          : c < cols
            ? sum(table.cells.map((row) => row[c]))
            : sum(table.cells.map(sum));
      value[r].push(v);
      shown[r].push(
        isCell ||
          (c === cols && r < rows && table.rowTotals) ||
          (r === rows && c < cols && table.columnTotals) ||
          (r === rows && c === cols && table.rowTotals && table.columnTotals),
      );
    }
  }
  const hidden = value.map((row, r) => row.map((v, c) => shown[r][c] && v < threshold));

  // Each line: its members (the parts, then the total). Only lines whose total is printed constrain.
  const lines: [number, number][][] = [];
  for (let r = 0; r <= rows; r++) if (shown[r][cols]) lines.push(range(cols + 1).map((c) => [r, c] as [number, number]));
  for (let c = 0; c <= cols; c++) if (shown[rows][c]) lines.push(range(rows + 1).map((r) => [r, c] as [number, number]));
  // A line gives its hidden members away when exactly one is hidden (by subtraction), or
  // when its total is printed and its hidden parts add up to 0 (each is then 0).
  const exposed = (members: readonly [number, number][]) => {
    const hiddenMembers = members.filter(([r, c]) => hidden[r][c]);
    if (hiddenMembers.length === 1) return true;
    const [tr, tc] = members[members.length - 1];
    return hiddenMembers.length > 1 && !hidden[tr][tc] && hiddenMembers.every(([r, c]) => value[r][c] === 0);
  };
  let changed = true;
  while (changed) {
    changed = false;
    for (const line of lines) {
      const members = line.filter(([r, c]) => shown[r][c]);
      if (!exposed(members)) continue;
      // Hide the smallest visible part that is not 0 (a 0 would not protect a hidden 0);
      // then any visible part; only when no part is left, the total itself.
      const parts = members.slice(0, -1).filter(([r, c]) => !hidden[r][c]);
      const nonzero = parts.filter(([r, c]) => value[r][c] > 0);
      const candidates = nonzero.length > 0 ? nonzero : parts.length > 0 ? parts : members.filter(([r, c]) => !hidden[r][c]);
      if (candidates.length === 0) continue;
      const [r, c] = candidates.reduce((best, m) => (value[m[0]][m[1]] < value[best[0]][best[1]] ? m : best));
      hidden[r][c] = true;
      changed = true;
    }
  }
  const publish = (r: number, c: number): PublishedCount => (hidden[r][c] ? null : value[r][c]);
  let suppressed = 0;
  for (let r = 0; r <= rows; r++) for (let c = 0; c <= cols; c++) if (shown[r][c] && hidden[r][c]) suppressed++;
  return {
    cells: range(rows).map((r) => range(cols).map((c) => publish(r, c))),
    rowTotals: table.rowTotals ? range(rows).map((r) => publish(r, cols)) : [],
    columnTotals: table.columnTotals ? range(cols).map((c) => publish(rows, c)) : [],
    total: table.rowTotals && table.columnTotals ? publish(rows, cols) : undefined,
    suppressed,
  };
}

export interface MergedRows {
  /** The rows after merging: the rows before `from` as they were, then the merged tail. */
  readonly cells: number[][];
  /** For each row of `cells`, the rows of the input it adds up. */
  readonly groups: number[][];
}

/**
 * Merges the last rows of a table of counts (from row `from` on) into one, two at a time
 * from the bottom, while some row of that tail still has a cell under `threshold`: an
 * ordered scale's open top (20 to 49.99% and 50% or more of days missed) is where small
 * cells live, and one row "20% or more" that can be printed says more than two rows
 * hidden by suppression (which would hide a third cell beside them too). Merging goes no
 * higher than row `from`; what is still small after is left to `suppressSmallCells`.
 * Merging is decided before suppression and is itself no disclosure: it tells only that
 * some count of the tail was small, as a suppressed cell would.
 *
 * @example
 * mergeSmallTailRows([[400, 380], [100, 90], [40, 35], [6, 2]], 2).cells; // [[400, 380], [100, 90], [46, 37]]
 */
export function mergeSmallTailRows(
  cells: readonly (readonly number[])[],
  from: number,
  threshold: number = SUPPRESSION_THRESHOLD,
): MergedRows {
  if (!Number.isInteger(from) || from < 0 || from > cells.length)
    throw new RangeError(`mergeSmallTailRows: from must be a row index 0..${cells.length}, got ${from}`);
  const rows = cells.map((row) => [...row]);
  const groups = cells.map((_, r) => [r]);
  const small = (r: number) => rows[r].some((n) => n < threshold);
  while (rows.length - from > 1 && rows.slice(from).some((_, i) => small(from + i))) {
    const last = rows.pop()!;
    const lastGroup = groups.pop()!;
    rows[rows.length - 1] = rows[rows.length - 1].map((n, c) => n + last[c]);
    groups[groups.length - 1] = [...groups[groups.length - 1], ...lastGroup];
  }
  return { cells: rows, groups };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

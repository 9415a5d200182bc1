import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SuppressedTable } from '../../src/report/suppress-small-cells.js';
import { mergeSmallTailRows, suppressSmallCells } from '../../src/report/suppress-small-cells.js';

/**
 * An attacker's audit: which suppressed cells and totals can change while every visible
 * cell and printed total stays as published and every cell stays a non-negative whole
 * number. The constraints (row sums, column sums, the grand total: two laminar families)
 * form a totally unimodular matrix, so any other solution is reached by a conformal sum of
 * moves of +1/-1 on the hidden cells, each feasible on its own: trying every such move is
 * exact. A hidden value no move changes is recoverable.
 */
function changeableByMoves(
  cells: readonly (readonly number[])[],
  published: SuppressedTable,
  rowTotals: boolean,
  columnTotals: boolean,
): Map<string, boolean> {
  const rows = cells.length;
  const cols = cells[0].length;
  const unknown: [number, number][] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (published.cells[r][c] === null) unknown.push([r, c]);
  const changed = new Map<string, boolean>(unknown.map(([r, c]) => [`cell ${r},${c}`, false]));
  if (rowTotals) published.rowTotals.forEach((t, r) => t === null && changed.set(`row total ${r}`, false));
  if (columnTotals) published.columnTotals.forEach((t, c) => t === null && changed.set(`column total ${c}`, false));
  if (published.total === null) changed.set('grand total', false);
  const move = new Array<number>(unknown.length).fill(0);
  for (let code = 1; code < 3 ** unknown.length; code++) {
    let rest = code;
    for (let i = 0; i < unknown.length; i++, rest = Math.floor(rest / 3)) move[i] = (rest % 3) - 1;
    if (unknown.some(([r, c], i) => cells[r][c] + move[i] < 0)) continue;
    const rowShift = new Array<number>(rows).fill(0);
    const colShift = new Array<number>(cols).fill(0);
    unknown.forEach(([r, c], i) => {
      rowShift[r] += move[i];
      colShift[c] += move[i];
    });
    const all = rowShift.reduce((a, b) => a + b, 0);
    if (rowTotals && rowShift.some((d, r) => d !== 0 && published.rowTotals[r] !== null)) continue;
    if (columnTotals && colShift.some((d, c) => d !== 0 && published.columnTotals[c] !== null)) continue;
    if (all !== 0 && published.total !== null && published.total !== undefined) continue;
    unknown.forEach(([r, c], i) => move[i] !== 0 && changed.set(`cell ${r},${c}`, true));
    rowShift.forEach((d, r) => d !== 0 && changed.has(`row total ${r}`) && changed.set(`row total ${r}`, true));
    colShift.forEach((d, c) => d !== 0 && changed.has(`column total ${c}`) && changed.set(`column total ${c}`, true));
    if (all !== 0 && changed.has('grand total')) changed.set('grand total', true);
  }
  return changed;
}

describe('suppressSmallCells', () => {
  it('hides a 3 and the cells that would give it away (worked by hand)', () => {
    // Row 0 has one hidden cell (3), so its smallest visible non-zero part (25) goes too;
    // then columns 1 and 2 each have one hidden cell, so 60 and 70 go. All totals stay.
    const t = suppressSmallCells({
      cells: [
        [40, 3, 25],
        [50, 60, 70],
      ],
      rowTotals: true,
      columnTotals: true,
    });
    expect(t.cells).toEqual([
      [40, null, null],
      [50, null, null],
    ]);
    expect(t.rowTotals).toEqual([68, 180]);
    expect(t.columnTotals).toEqual([90, 63, 95]);
    expect(t.total).toBe(248);
    expect(t.suppressed).toBe(4);
  });

  it('a 2 x 2 table with one small cell and every total printed hides all four cells', () => {
    const t = suppressSmallCells({
      cells: [
        [40, 3],
        [50, 60],
      ],
      rowTotals: true,
      columnTotals: true,
    });
    expect(t.cells).toEqual([
      [null, null],
      [null, null],
    ]);
    // 43 = 40 + 3 is printed, but with both its parts hidden it reveals neither.
    expect([t.rowTotals, t.columnTotals, t.total]).toEqual([[43, 110], [90, 63], 153]);
  });

  it('hidden zeros are protected by a non-zero cell: two hidden 0s with the row total would each be 0', () => {
    const t = suppressSmallCells({
      cells: [
        [0, 0, 50],
        [20, 30, 40],
      ],
      rowTotals: true,
      columnTotals: true,
    });
    expect(t.cells).toEqual([
      [null, null, null],
      [null, null, null],
    ]);
    expect([t.rowTotals, t.columnTotals, t.total]).toEqual([[50, 90], [20, 30, 90], 140]);
  });

  it('suppresses small totals too, and only what is printed', () => {
    const t = suppressSmallCells({ cells: [[4], [3], [50]], rowTotals: false, columnTotals: true });
    // 4 and 3 are small; the column then has two hidden members: nothing more to hide.
    expect(t.cells).toEqual([[null], [null], [50]]);
    expect(t.columnTotals).toEqual([57]);
    expect(t.rowTotals).toEqual([]);
    expect(t.total).toBeUndefined();
    const one = suppressSmallCells({ cells: [[4], [30], [50]], rowTotals: false, columnTotals: true });
    expect(one.cells).toEqual([[null], [null], [50]]);
  });

  it('leaves a table with no small cell alone', () => {
    const t = suppressSmallCells({
      cells: [
        [10, 11],
        [12, 13],
      ],
      rowTotals: true,
      columnTotals: true,
    });
    expect(t.suppressed).toBe(0);
    expect(t.cells).toEqual([
      [10, 11],
      [12, 13],
    ]);
  });

  it('property: no suppressed value can be derived from the published cells and totals', () => {
    const value = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 10, max: 30 }));
    const table = fc.record({ rows: fc.integer({ min: 1, max: 3 }), cols: fc.integer({ min: 1, max: 3 }) }).chain(({ rows, cols }) =>
      fc.record({
        cells: fc.array(fc.array(value, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows }),
        rowTotals: fc.boolean(),
        columnTotals: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(table, ({ cells, rowTotals, columnTotals }) => {
        const published = suppressSmallCells({ cells, rowTotals, columnTotals });
        // Every small published number is hidden.
        for (const v of [...published.cells.flat(), ...published.rowTotals, ...published.columnTotals, published.total])
          if (typeof v === 'number') expect(v).toBeGreaterThanOrEqual(10);
        for (const [key, canChange] of changeableByMoves(cells, published, rowTotals, columnTotals)) {
          expect(
            canChange,
            `hidden ${key} of ${JSON.stringify(cells)} (row totals ${rowTotals}, column totals ${columnTotals}) is recoverable`,
          ).toBe(true);
        }
      }),
      { numRuns: 500, seed: 20261123 },
    );
  });
});

describe('mergeSmallTailRows', () => {
  it('merges "20 to 49.99%" and "50% or more" when one is small, and stops there (worked by hand)', () => {
    // Tiers of 2,000 students per arm: 50% or more has 6 and 2 students, under ten.
    const tiers = [
      [1200, 1150],
      [450, 480],
      [250, 270],
      [94, 98],
      [6, 2],
    ];
    const merged = mergeSmallTailRows(tiers, 2);
    expect(merged.cells).toEqual([
      [1200, 1150],
      [450, 480],
      [250, 270],
      [100, 100],
    ]);
    expect(merged.groups).toEqual([[0], [1], [2], [3, 4]]);
    // Suppressed alone, the 6 and 2 would take two more cells with them.
    expect(suppressSmallCells({ cells: tiers, rowTotals: false, columnTotals: true }).suppressed).toBe(4);
    expect(suppressSmallCells({ cells: merged.cells, rowTotals: false, columnTotals: true }).suppressed).toBe(0);
  });

  it('merges on down to row `from` while the tail is still small, and no further', () => {
    const merged = mergeSmallTailRows(
      [
        [500, 500],
        [40, 45],
        [5, 3],
        [1, 0],
        [0, 2],
      ],
      2,
    );
    // [1,0]+[0,2] = [1,2], still small; + [5,3] = [6,5], still small, but row 2 is the limit.
    expect(merged.cells).toEqual([
      [500, 500],
      [40, 45],
      [6, 5],
    ]);
    expect(merged.groups).toEqual([[0], [1], [2, 3, 4]]);
    // A small row inside the tail merges the rows below it too: row 2 below ten takes 3 and 4.
    expect(
      mergeSmallTailRows(
        [
          [500, 500],
          [40, 45],
          [8, 30],
          [20, 20],
          [15, 12],
        ],
        2,
      ).cells,
    ).toEqual([
      [500, 500],
      [40, 45],
      [43, 62],
    ]);
  });

  it('leaves a table whose tail has no small cell alone, and a small row above `from` to suppression', () => {
    const cells = [
      [500, 500],
      [4, 45],
      [30, 30],
      [20, 20],
    ];
    expect(mergeSmallTailRows(cells, 2)).toEqual({ cells, groups: [[0], [1], [2], [3]] });
    expect(() => mergeSmallTailRows(cells, 5)).toThrow(RangeError);
  });

  it('property: counts are kept, rows above `from` untouched, and the tail is merged only as far as needed', () => {
    const value = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 10, max: 300 }));
    const table = fc
      .integer({ min: 1, max: 3 })
      .chain((cols) => fc.array(fc.array(value, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 6 }));
    fc.assert(
      fc.property(table, fc.nat(6), (cells, at) => {
        const from = Math.min(at, cells.length - 1);
        const { cells: merged, groups } = mergeSmallTailRows(cells, from);
        expect(groups.flat()).toEqual(cells.map((_, r) => r));
        groups.forEach((rows, i) => expect(merged[i]).toEqual(cells[0].map((_, c) => rows.reduce((s, r) => s + cells[r][c], 0))));
        expect(merged.slice(0, from)).toEqual(cells.slice(0, from));
        const tail = merged.slice(from);
        // Either nothing in the tail is small, or it is all one row.
        expect(tail.length === 1 || tail.every((row) => row.every((n) => n >= 10))).toBe(true);
        // Before the last merge (the merged group's top row apart from the rows below it,
        // which were merged first) the tail still had a small cell: it merged no more than it had to.
        if (groups.length < cells.length) {
          const [top, ...below] = groups[groups.length - 1];
          const rest = cells[0].map((_, c) => below.reduce((sum, r) => sum + cells[r][c], 0));
          const before = [...merged.slice(from, -1), cells[top], rest];
          expect(before.some((row) => row.some((n) => n < 10))).toBe(true);
        }
      }),
      { numRuns: 300, seed: 20261207 },
    );
  });
});

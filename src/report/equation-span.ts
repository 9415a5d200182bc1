/**
 * The counts a set of published counts gives away by arithmetic. Each count is a sum
 * over base cells (the students of one district, arm and finest category); a reader who
 * knows the published sums knows exactly those quantities whose coefficient vector lies in
 * the span of theirs (the row space of the published equations), and nothing else exactly.
 * The span is kept in echelon form by exact integer (fraction-free) Gaussian elimination,
 * each row remembering which published counts it combines, so a recoverable quantity comes
 * with the counts that give it away.
 */

/** A linear form over base cells: `[cell, coefficient]` pairs, integer coefficients. */
export type CellForm = readonly (readonly [cell: number, coefficient: number])[];

interface Row {
  /** `[cell, coefficient]`, sorted by cell, no zero coefficient; the first cell is the pivot. */
  readonly entries: [number, bigint][];
  /** The published counts (by index) this row adds up, with their coefficients. */
  readonly combination: Map<number, bigint>;
}

export class EquationSpan {
  private readonly rows = new Map<number, Row>();

  /** The span of `equations` (published counts, referred to by their index here). */
  constructor(equations: readonly (CellForm | undefined)[]) {
    equations.forEach((form, index) => {
      if (form) this.add(form, index);
    });
  }

  /**
   * The published counts (by index, ascending) whose combination gives `form`, or
   * undefined when the published counts do not determine it.
   *
   * @example
   * new EquationSpan([[[0, 1], [1, 1]], [[0, 1]]]).express([[1, 1]]); // [0, 1]: b = (a + b) - a
   */
  express(form: CellForm): number[] | undefined {
    const reduced = this.reduce({ entries: toEntries(form), combination: new Map() });
    if (reduced.entries.length > 0) return undefined;
    return [...reduced.combination]
      .filter(([, c]) => c !== 0n)
      .map(([index]) => index)
      .sort((a, b) => a - b);
  }

  private add(form: CellForm, index: number): void {
    const reduced = this.reduce({ entries: toEntries(form), combination: new Map([[index, 1n]]) });
    if (reduced.entries.length > 0) this.rows.set(reduced.entries[0][0], reduced);
  }

  /** Eliminates pivots from the front of `row` until its first cell is no pivot (or it is empty). */
  private reduce(row: Row): Row {
    let current = row;
    for (;;) {
      const first = current.entries[0];
      const pivot = first === undefined ? undefined : this.rows.get(first[0]);
      if (pivot === undefined) return current;
      current = combine(current, pivot, first[1]);
    }
  }
}

/** `p x row - c x pivot`, where p is the pivot's first coefficient and c is row's: the pivot cell drops out. */
function combine(row: Row, pivot: Row, c: bigint): Row {
  const p = pivot.entries[0][1];
  const entries: [number, bigint][] = [];
  let i = 0;
  let j = 0;
  while (i < row.entries.length || j < pivot.entries.length) {
    const a = row.entries[i];
    const b = pivot.entries[j];
    if (b === undefined || (a !== undefined && a[0] < b[0])) {
      entries.push([a[0], p * a[1]]);
      i++;
    } else if (a === undefined || b[0] < a[0]) {
      entries.push([b[0], -c * b[1]]);
      j++;
    } else {
      const v = p * a[1] - c * b[1];
      if (v !== 0n) entries.push([a[0], v]);
      i++;
      j++;
    }
  }
  const combination = new Map<number, bigint>();
  for (const [k, v] of row.combination) combination.set(k, p * v);
  for (const [k, v] of pivot.combination) {
    const sum = (combination.get(k) ?? 0n) - c * v;
    if (sum === 0n) combination.delete(k);
    else combination.set(k, sum);
  }
  return normalized({ entries, combination });
}

/** The row divided by the gcd of its coefficients, so they stay small. */
function normalized(row: Row): Row {
  let g = 0n;
  for (const [, v] of row.entries) g = gcd(g, v);
  for (const v of row.combination.values()) g = gcd(g, v);
  if (g <= 1n) return row;
  return {
    entries: row.entries.map(([k, v]) => [k, v / g]),
    combination: new Map([...row.combination].map(([k, v]) => [k, v / g])),
  };
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function toEntries(form: CellForm): [number, bigint][] {
  const sums = new Map<number, number>();
  for (const [cell, c] of form) sums.set(cell, (sums.get(cell) ?? 0) + c);
  return [...sums]
    .filter(([, c]) => c !== 0)
    .sort((a, b) => a[0] - b[0])
    .map(([cell, c]) => [cell, BigInt(c)]);
}

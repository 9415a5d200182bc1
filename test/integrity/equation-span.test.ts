/**
 * EquationSpan: which quantities a set of published sums determines, worked by hand
 * (cells a = 0, b = 1, c = 2).
 */
import { describe, expect, it } from 'vitest';
import { EquationSpan } from '../../src/report/equation-span.js';

describe('EquationSpan', () => {
  it('gives b from a + b and a, naming both', () => {
    expect(
      new EquationSpan([
        [
          [0, 1],
          [1, 1],
        ],
        [[0, 1]],
      ]).express([[1, 1]]),
    ).toEqual([0, 1]);
  });

  it('does not give a or b from a + b alone, but gives a + b itself', () => {
    const span = new EquationSpan([
      [
        [0, 1],
        [1, 1],
      ],
    ]);
    expect(span.express([[0, 1]])).toBeUndefined();
    expect(span.express([[1, 1]])).toBeUndefined();
    expect(
      span.express([
        [1, 1],
        [0, 1],
      ]),
    ).toEqual([0]);
  });

  it('works with integer coefficients: 2a + c = (a + b + c) + (a - b)', () => {
    const span = new EquationSpan([
      [
        [0, 1],
        [1, 1],
        [2, 1],
      ],
      [
        [0, 1],
        [1, -1],
      ],
    ]);
    expect(
      span.express([
        [0, 2],
        [2, 1],
      ]),
    ).toEqual([0, 1]);
    // a + c alone is not determined: (a + b + c) and (a - b) give a + c only with b.
    expect(
      span.express([
        [0, 1],
        [2, 1],
      ]),
    ).toBeUndefined();
  });

  it('skips equations left out (hidden) and ones already in the span', () => {
    // a + b, (hidden) a, a + b again, b + c: c is not determined, b + c is (the fourth).
    const span = new EquationSpan([
      [
        [0, 1],
        [1, 1],
      ],
      undefined,
      [
        [0, 1],
        [1, 1],
      ],
      [
        [1, 1],
        [2, 1],
      ],
    ]);
    expect(span.express([[2, 1]])).toBeUndefined();
    expect(
      span.express([
        [2, 1],
        [1, 1],
      ]),
    ).toEqual([3]);
  });

  it('table of 2 x 2 with row and column totals: no cell is determined, the grand total is', () => {
    // cells x00 = 0, x01 = 1, x10 = 2, x11 = 3; rows, then columns
    const span = new EquationSpan([
      [
        [0, 1],
        [1, 1],
      ],
      [
        [2, 1],
        [3, 1],
      ],
      [
        [0, 1],
        [2, 1],
      ],
      [
        [1, 1],
        [3, 1],
      ],
    ]);
    for (let cell = 0; cell < 4; cell++) expect(span.express([[cell, 1]])).toBeUndefined();
    expect(
      span.express([
        [0, 1],
        [1, 1],
        [2, 1],
        [3, 1],
      ]),
    ).toEqual([0, 1]);
  });
});

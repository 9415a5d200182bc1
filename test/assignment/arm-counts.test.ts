import { describe, expect, it } from 'vitest';
import { armCounts } from '../../src/assignment/arm-counts.js';
import { createRng } from '../../src/random.js';

describe('armCounts', () => {
  it('gives each arm the floor or ceiling of its share, adding up to n', () => {
    const rng = createRng(1);
    for (const [n, p] of [
      [7, [0.5, 0.5]],
      [10, [1 / 3, 1 / 3, 1 / 3]],
      [5, [0.2, 0.3, 0.5]],
      [1, [0.5, 0.5]],
      [13, [0.25, 0.75]],
    ] as const) {
      for (let rep = 0; rep < 50; rep++) {
        const counts = armCounts(n, p, rng);
        expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
        counts.forEach((c, a) => expect([Math.floor(n * p[a] + 1e-9), Math.ceil(n * p[a] - 1e-9)]).toContain(c));
      }
    }
  });

  it('matches the expected count n * p on average (randomizr complete_ra behaviour)', () => {
    // With n = 5 and p = (0.2, 0.3, 0.5): expected counts 1, 1.5, 2.5. The middle arms get
    // their extra unit half the time each, and never both, as randomizr's complete_ra does.
    const rng = createRng(2);
    const totals = [0, 0, 0];
    const draws = 20_000;
    for (let i = 0; i < draws; i++) armCounts(5, [0.2, 0.3, 0.5], rng).forEach((c, a) => (totals[a] += c));
    const means = totals.map((t) => t / draws);
    expect(means[0]).toBe(1);
    expect(means[1]).toBeCloseTo(1.5, 1);
    expect(means[2]).toBeCloseTo(2.5, 1);
  });
});

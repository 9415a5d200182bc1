import type { Rng } from '../random.js';

/**
 * How many of `n` units each arm gets: the floor of its expected share `n * p`, plus one
 * for some arms so the counts add up to `n`. Which arms get the extra unit is drawn by
 * systematic sampling on the fractional parts, so arm `a` gets it with probability
 * exactly `frac(n * p_a)`; the expected count is then exactly `n * p_a` and every unit,
 * after a uniform shuffle, lands in arm `a` with probability exactly `p_a`. This is the
 * behaviour of randomizr's `complete_ra`/`block_ra` when `n * p` is not whole.
 *
 * @example armCounts(7, [0.5, 0.5], rng) // [3, 4] or [4, 3], each with probability 1/2
 */
export function armCounts(n: number, probabilities: readonly number[], rng: Rng): number[] {
  const expected = probabilities.map((p) => n * p);
  const counts = expected.map((e) => Math.floor(e + 1e-9));
  const fractions = expected.map((e, i) => Math.max(0, e - counts[i]));
  const leftover = n - counts.reduce((a, b) => a + b, 0);
  if (leftover === 0) return counts;
  // Points u, u+1, ..., u+leftover-1 on the line of stacked fractions; each fraction is
  // below 1, so a point falls in arm a's segment with probability fractions[a].
  const total = fractions.reduce((a, b) => a + b, 0);
  const scale = leftover / total; // corrects float drift so the segments span [0, leftover)
  let point = rng();
  let edge = 0;
  for (let a = 0; a < counts.length && point < leftover; a++) {
    edge += fractions[a] * scale;
    if (point < edge) {
      counts[a]++;
      point++;
    }
  }
  return counts;
}

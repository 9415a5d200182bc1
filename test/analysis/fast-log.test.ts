import { describe, expect, it } from 'vitest';
import { fastLog } from '../../src/analysis/model/fast-log.js';
import { createRng } from '../../src/random.js';

// The likelihood sums tens of thousands of `(y + phi) log(mu + phi)` terms, so what
// matters is fastLog's absolute error against Math.log: it must stay at the level of
// Math.log's own rounding (a few 1e-16 times max(1, |log v|)).
const TOLERANCE = 1e-15;

function worstError(values: Iterable<number>): number {
  let worst = 0;
  for (const v of values) worst = Math.max(worst, Math.abs(fastLog(v) - Math.log(v)) / Math.max(1, Math.abs(Math.log(v))));
  return worst;
}

function* logUniform(seed: string, from: number, to: number, count: number): Generator<number> {
  const rng = createRng(seed);
  for (let i = 0; i < count; i++) yield Math.exp(Math.log(from) + rng() * (Math.log(to) - Math.log(from)));
}

describe('fastLog', () => {
  it('agrees with Math.log over the range the likelihood uses, 1e-3 to 1e6', () => {
    expect(worstError(logUniform('fast-log', 1e-3, 1e6, 200_000))).toBeLessThan(TOLERANCE);
  });

  it('agrees near 1, where log v is small and only absolute error counts', () => {
    const rng = createRng('fast-log-near-1');
    const near = Array.from({ length: 100_000 }, () => 1 + (rng() - 0.5) * 1e-2);
    expect(worstError(near)).toBeLessThan(TOLERANCE);
  });

  it('is right at the edges of its table and of its exponent reduction', () => {
    const edges: number[] = [];
    for (let k = -32; k < 32; k++) for (const m of [1, 1 + 1 / 1024, 1.5, 2 - 1 / 1024, 2 - 2 ** -52]) edges.push(m * 2 ** k);
    edges.push(2 ** -32 * (1 - 2 ** -53), 2 ** 32 * (1 - 2 ** -53));
    expect(worstError(edges)).toBeLessThan(TOLERANCE);
    expect(Math.abs(fastLog(1))).toBeLessThan(1e-16);
    expect(fastLog(Math.E)).toBeCloseTo(1, 15);
  });

  it('falls back to Math.log outside [2^-32, 2^32) and for special values', () => {
    for (const v of [1e-300, 2 ** -40, 2 ** 40, 1e300, Number.MAX_VALUE, Number.MIN_VALUE]) expect(fastLog(v)).toBe(Math.log(v));
    expect(fastLog(0)).toBe(-Infinity);
    expect(fastLog(Infinity)).toBe(Infinity);
    expect(fastLog(-1)).toBeNaN();
    expect(fastLog(NaN)).toBeNaN();
  });
});

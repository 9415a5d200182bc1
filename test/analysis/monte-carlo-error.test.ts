import { describe, expect, it } from 'vitest';
import { certaintyMcError, computeCertaintyMcError, mcErrorOfShare } from '../../src/analysis/monte-carlo-error.js';
import { createRng, randomNormal } from '../../src/random.js';

/** `chains` AR(1) chains of `n` draws, x_t = rho x_{t-1} + sqrt(1 - rho^2) e_t, e ~ N(0, 1), started at stationarity, shifted by `shift`. */
function ar1Chains(seed: number, chains: number, n: number, rho: number, shift: number): Float64Array[] {
  const rng = createRng(seed);
  return Array.from({ length: chains }, () => {
    const c = new Float64Array(n);
    let x = randomNormal(rng);
    for (let i = 0; i < n; i++) {
      c[i] = x + shift;
      x = rho * x + Math.sqrt(1 - rho * rho) * randomNormal(rng);
    }
    return c;
  });
}

describe('certaintyMcError', () => {
  it('is sqrt(p (1 - p) / ESS): 0.83 with 4000 effective draws gives 0.00594', () => {
    // sqrt(0.83 * 0.17 / 4000) = sqrt(3.5275e-5) = 0.0059393...
    expect(mcErrorOfShare(0.83, 4000)).toBeCloseTo(0.0059393, 6);
    expect(mcErrorOfShare(0.5, 100)).toBe(0.05);
  });

  it('is 0 when every draw is on one side of the threshold, NaN with a non-finite draw', () => {
    const chains = [Float64Array.from([0.1, 0.2, 0.3, 0.4]), Float64Array.from([0.2, 0.3, 0.4, 0.5])];
    expect(certaintyMcError(chains, 0)).toBe(0);
    expect(certaintyMcError(chains, 1)).toBe(0);
    expect(certaintyMcError([Float64Array.from([0.1, Number.NaN, 0.3, 0.4])], 0)).toBeNaN();
    expect(computeCertaintyMcError(chains, [0, 1])).toEqual({ '0': 0, '1': 0 });
  });

  it('for independent draws is close to the binomial standard error sqrt(p (1 - p) / S)', () => {
    const chains = ar1Chains(11, 4, 1000, 0, 0.95); // P(x > 0) = Phi(0.95) = 0.829
    const p = chains.flatMap((c) => [...c]).filter((v) => v > 0).length / 4000;
    const binomial = Math.sqrt((p * (1 - p)) / 4000);
    expect(certaintyMcError(chains, 0) / binomial).toBeGreaterThan(0.85);
    expect(certaintyMcError(chains, 0) / binomial).toBeLessThan(1.15);
  });

  it('matches the spread of the certainty over 200 repeated autocorrelated runs (rho = 0.8)', () => {
    // With rho = 0.8 the draws are worth far fewer than 4000: the error must grow to match
    // how much the certainty really varies from one run (seed) to the next.
    const certainties: number[] = [];
    const errors: number[] = [];
    for (let run = 0; run < 200; run++) {
      const chains = ar1Chains(1000 + run, 4, 1000, 0.8, 0.95);
      certainties.push(chains.flatMap((c) => [...c]).filter((v) => v > 0).length / 4000);
      errors.push(certaintyMcError(chains, 0));
    }
    const mean = certainties.reduce((s, v) => s + v, 0) / certainties.length;
    const sd = Math.sqrt(certainties.reduce((s, v) => s + (v - mean) ** 2, 0) / (certainties.length - 1));
    const meanError = errors.reduce((s, v) => s + v, 0) / errors.length;
    // The sd of 200 values is itself uncertain by about 1/sqrt(2 * 199) = 5%: 15% is three of those.
    expect(meanError / sd).toBeGreaterThan(0.85);
    expect(meanError / sd).toBeLessThan(1.15);
    // And well above the independent-draws error it would be without the ESS.
    expect(meanError).toBeGreaterThan(1.8 * Math.sqrt((0.829 * 0.171) / 4000));
  });
});

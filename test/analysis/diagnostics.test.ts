import { describe, expect, it } from 'vitest';
import { autocovariance, fftNextGoodSize } from '../../src/analysis/diagnostics/autocovariance.js';
import { quantileSorted, splitChains } from '../../src/analysis/diagnostics/chain-draws.js';
import { computeConvergence } from '../../src/analysis/diagnostics/convergence.js';
import { computeEbfmi } from '../../src/analysis/diagnostics/ebfmi.js';
import { computeEssBasic, computeEssBulk, computeEssTail } from '../../src/analysis/diagnostics/ess.js';
import { normalQuantile } from '../../src/analysis/diagnostics/normal-quantile.js';
import { rankNormalize } from '../../src/analysis/diagnostics/rank-normalize.js';
import { computeRhat, computeRhatBasic } from '../../src/analysis/diagnostics/rhat.js';
import type { Rng } from '../../src/random.js';
import { createRng, randomNormal } from '../../src/random.js';

function iidChains(rng: Rng, chains: number, n: number): Float64Array[] {
  return Array.from({ length: chains }, () => Float64Array.from({ length: n }, () => randomNormal(rng)));
}

function ar1Chains(rng: Rng, chains: number, n: number, phi: number): Float64Array[] {
  return Array.from({ length: chains }, () => {
    const x = new Float64Array(n);
    x[0] = randomNormal(rng) / Math.sqrt(1 - phi * phi);
    for (let i = 1; i < n; i++) x[i] = phi * x[i - 1] + randomNormal(rng);
    return x;
  });
}

describe('diagnostics', () => {
  it('normalQuantile matches R qnorm', () => {
    // R: qnorm(c(0.5, 0.975, 0.025, 1e-10, 0.9)) .
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 8);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 7);
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446, 8);
  });

  it('quantileSorted is R type 7 and splitChains drops the middle of odd chains', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBe(1.75); // R: quantile(1:4, 0.25)
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(splitChains([[1, 2, 3, 4, 5]]).map((c) => [...c])).toEqual([
      [1, 2],
      [4, 5],
    ]);
  });

  it('computeRhatBasic equals the hand computation', () => {
    // Chains (1,2,3) and (2,3,4): means 2 and 3, variances 1 and 1; B = 3 var(2, 3) = 1.5,
    // W = 1, R-hat = sqrt((1.5 / 1 + 2) / 3) = 1.0801234.
    expect(
      computeRhatBasic([
        [1, 2, 3],
        [2, 3, 4],
      ]),
    ).toBeCloseTo(Math.sqrt(3.5 / 3), 12);
    expect(
      computeRhatBasic([
        [1, 1],
        [1, 1],
      ]),
    ).toBe(1);
    expect(
      computeRhatBasic([
        [1, NaN],
        [1, 2],
      ]),
    ).toBeNaN();
  });

  it('autocovariance by FFT equals the direct sum', () => {
    const x = iidChains(createRng('acov'), 1, 37)[0];
    const n = x.length;
    const mean = x.reduce((s, v) => s + v, 0) / n;
    const acov = autocovariance(x);
    const scale = fftNextGoodSize(n) / n; // posterior's normalization (40 / 37 here)
    for (const lag of [0, 1, 5, 36]) {
      let s = 0;
      for (let i = 0; i + lag < n; i++) s += (x[i] - mean) * (x[i + lag] - mean);
      expect(acov[lag]).toBeCloseTo((scale * s) / n, 12);
    }
    expect(fftNextGoodSize(1000)).toBe(1000);
    expect(fftNextGoodSize(37)).toBe(40);
  });

  it('iid normal draws: ESS near the number of draws, R-hat near 1', () => {
    const chains = iidChains(createRng('iid'), 4, 1000);
    const bulk = computeEssBulk(chains);
    expect(bulk).toBeGreaterThan(3400);
    expect(bulk).toBeLessThan(4600);
    expect(computeEssTail(chains)).toBeGreaterThan(3000);
    expect(computeRhat(chains)).toBeLessThan(1.005);
  });

  it('AR(1) chains: ESS near N (1 - phi) / (1 + phi)', () => {
    // The integrated autocorrelation time of AR(1) is (1 + phi) / (1 - phi): 3 for phi = 0.5,
    // 19 for phi = 0.9.
    for (const [phi, tolerance] of [
      [0.5, 0.1],
      [0.9, 0.2],
    ]) {
      const chains = ar1Chains(createRng(`ar1-${phi}`), 4, 5000, phi);
      const expected = (20000 * (1 - phi)) / (1 + phi);
      expect(Math.abs(computeEssBasic(splitChains(chains)) / expected - 1)).toBeLessThan(tolerance);
    }
  });

  it('antithetic chains get ESS above N, capped at N log10(N)', () => {
    const chains = [Float64Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? 1 : -1) + 0.01 * Math.sin(i))];
    const ess = computeEssBasic(chains);
    expect(ess).toBeGreaterThan(1000);
    expect(ess).toBeLessThanOrEqual(1000 * Math.log10(1000) + 1e-9);
  });

  it('flags chains stuck in different places', () => {
    const rng = createRng('stuck');
    const chains = iidChains(rng, 4, 500);
    chains[3] = chains[3].map((v) => v + 2);
    expect(computeRhat(chains)).toBeGreaterThan(1.1);
    // Same location, one chain with 3x the scale: the folded (tail) R-hat catches it.
    const scaled = iidChains(rng, 4, 1000);
    scaled[0] = scaled[0].map((v) => 3 * v);
    expect(computeRhat(scaled)).toBeGreaterThan(1.01);
  });

  it('rankNormalize gives each draw the Blom score of its average rank over all chains', () => {
    // Rounded draws, so that many are tied (including -0 and 0, which are equal).
    const chains = ar1Chains(createRng('ranks'), 3, 301, 0.7).map((c) => c.map((v) => Math.round(v * 4) / 4));
    chains[0][0] = -0;
    chains[1][0] = 0;
    const all = chains.flatMap((c) => [...c]);
    const s = all.length;
    const normalized = rankNormalize(chains);
    chains.forEach((chain, j) =>
      chain.forEach((v, i) => {
        // R's rank(ties.method = "average"), 1-based, by counting.
        const below = all.filter((w) => w < v).length;
        const equal = all.filter((w) => w === v).length;
        const rank = below + (equal + 1) / 2;
        expect(normalized[j][i]).toBe(normalQuantile((rank - 3 / 8) / (s + 1 / 4)));
      }),
    );
  });

  it('computeConvergence equals computeRhat, computeEssBulk and computeEssTail', () => {
    for (const [label, length, round] of [
      ['even', 1000, false],
      ['odd with ties', 777, true],
    ] as const) {
      const chains = ar1Chains(createRng(`convergence-${label}`), 4, length, 0.8).map((c) =>
        round ? c.map((v) => Math.round(v * 10) / 10) : c,
      );
      chains[2] = chains[2].map((v) => 1.5 * v + 0.2);
      expect(computeConvergence(chains)).toEqual({
        rhat: computeRhat(chains),
        essBulk: computeEssBulk(chains),
        essTail: computeEssTail(chains),
      });
    }
  });

  it('every diagnostic is NaN when a draw is not finite, as in posterior', () => {
    const chains = iidChains(createRng('nan'), 4, 100);
    chains[1][50] = NaN;
    expect(computeConvergence(chains)).toEqual({ rhat: NaN, essBulk: NaN, essTail: NaN });
    expect(computeRhat(chains)).toBeNaN();
    expect(computeEssBulk(chains)).toBeNaN();
    expect(computeEssTail(chains)).toBeNaN();
  });

  it('E-BFMI of iid energies is near 2, of a random walk near 0', () => {
    const rng = createRng('ebfmi');
    const iid = Float64Array.from({ length: 4000 }, () => randomNormal(rng));
    expect(computeEbfmi(iid)).toBeGreaterThan(1.8);
    const walk = new Float64Array(4000);
    for (let i = 1; i < walk.length; i++) walk[i] = walk[i - 1] + randomNormal(rng);
    expect(computeEbfmi(walk)).toBeLessThan(0.05);
  });
});

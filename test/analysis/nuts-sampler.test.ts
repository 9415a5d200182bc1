import { describe, expect, it } from 'vitest';
import { computeEssBulk } from '../../src/analysis/diagnostics/ess.js';
import { computeRhat } from '../../src/analysis/diagnostics/rhat.js';
import type { LogDensity } from '../../src/analysis/sampler/log-density.js';
import type { ChainOptions, ChainOutput } from '../../src/analysis/sampler/sample-chain.js';
import { chainEndOf, sampleChain } from '../../src/analysis/sampler/sample-chain.js';
import { deriveRng } from '../../src/random.js';

function runChainsOf(density: LogDensity, options: Partial<ChainOptions>, seed: string, chains = 4): ChainOutput[] {
  return Array.from({ length: chains }, (_, i) => sampleChain(density, options, deriveRng(seed, `chain-${i}`)));
}

/** Draws of coordinate j, one array per chain. */
function coordinate(outputs: readonly ChainOutput[], j: number, map: (v: number) => number = (v) => v): Float64Array[] {
  return outputs.map((o) => Float64Array.from({ length: o.draws.length / o.dimension }, (_, i) => map(o.draws[i * o.dimension + j])));
}

function moments(chains: readonly Float64Array[]): { mean: number; sd: number } {
  const all = chains.flatMap((c) => [...c]);
  const mean = all.reduce((s, v) => s + v, 0) / all.length;
  return { mean, sd: Math.sqrt(all.reduce((s, v) => s + (v - mean) ** 2, 0) / (all.length - 1)) };
}

const standardNormal = (dimension: number): LogDensity => ({
  dimension,
  logDensityGradient(q, grad) {
    let lp = 0;
    for (let i = 0; i < dimension; i++) {
      lp -= 0.5 * q[i] * q[i];
      grad[i] = -q[i];
    }
    return lp;
  },
});

/** Bivariate normal, sds 1 and 10, correlation 0.95. */
const SIGMA = [1, 0.95 * 10, 0.95 * 10, 100];
const det = SIGMA[0] * SIGMA[3] - SIGMA[1] * SIGMA[2];
const PRECISION = [SIGMA[3] / det, -SIGMA[1] / det, -SIGMA[2] / det, SIGMA[0] / det];
const correlatedNormal: LogDensity = {
  dimension: 2,
  logDensityGradient(q, grad) {
    grad[0] = -(PRECISION[0] * q[0] + PRECISION[1] * q[1]);
    grad[1] = -(PRECISION[2] * q[0] + PRECISION[3] * q[1]);
    return 0.5 * (q[0] * grad[0] + q[1] * grad[1]);
  },
};

describe('NUTS (sampleChain)', () => {
  for (const dimension of [1, 5, 25]) {
    it(`recovers a standard normal in ${dimension} dimensions`, () => {
      const outputs = runChainsOf(standardNormal(dimension), { warmup: 500, draws: 1000 }, `normal-${dimension}`);
      for (const j of [0, dimension - 1]) {
        const chains = coordinate(outputs, j);
        const { mean, sd } = moments(chains);
        // 4000 draws with ESS > 2000: the mean's Monte Carlo sd is below 0.025.
        expect(Math.abs(mean)).toBeLessThan(0.1);
        expect(Math.abs(sd - 1)).toBeLessThan(0.06);
        expect(computeRhat(chains)).toBeLessThan(1.01);
        expect(computeEssBulk(chains)).toBeGreaterThan(1500);
      }
      expect(outputs.every((o) => o.divergent.every((d) => d === 0))).toBe(true);
      // Adapted inverse metric near the unit variances (last window of 200 draws: ~15% noise each).
      for (const o of outputs) for (const v of o.inverseMetric) expect(Math.abs(v - 1)).toBeLessThan(0.5);
    });
  }

  it('recovers a correlated normal, and the dense metric needs fewer steps', () => {
    const dense = runChainsOf(correlatedNormal, { warmup: 1000, draws: 1000, metric: 'dense' }, 'correlated');
    const diag = runChainsOf(correlatedNormal, { warmup: 1000, draws: 1000, metric: 'diag' }, 'correlated');
    for (const outputs of [dense, diag]) {
      const x = moments(coordinate(outputs, 0));
      const y = moments(coordinate(outputs, 1));
      expect(Math.abs(x.mean)).toBeLessThan(0.1);
      expect(Math.abs(y.mean)).toBeLessThan(1);
      expect(x.sd).toBeGreaterThan(0.92);
      expect(x.sd).toBeLessThan(1.08);
      expect(y.sd).toBeGreaterThan(9.2);
      expect(y.sd).toBeLessThan(10.8);
    }
    const meanSteps = (outputs: ChainOutput[]) =>
      outputs.reduce((s, o) => s + o.nLeapfrog.reduce((a, b) => a + b, 0), 0) / (outputs.length * 1000);
    expect(meanSteps(dense)).toBeLessThan(meanSteps(diag));
    // The adapted dense inverse metric estimates the covariance (Stan's shrinkage is tiny here).
    const m = dense[0].inverseMetric;
    expect(m[1] / Math.sqrt(m[0] * m[3])).toBeGreaterThan(0.9);
  });

  // A normal with sds 0.01 to 100: from the identity, Stan's first 75 iterations search
  // with long trajectories; from the right metric and a point in the typical set, the
  // chain samples well at once.
  const badlyScaled: LogDensity = {
    dimension: 3,
    logDensityGradient(q, grad) {
      let lp = 0;
      for (let i = 0; i < 3; i++) {
        const s = 10 ** (2 * i - 2);
        lp -= 0.5 * (q[i] / s) ** 2;
        grad[i] = -q[i] / (s * s);
      }
      return lp;
    },
  };
  const scales = [0.01, 1, 100];

  it('starts from a given point, inverse metric and step size (a warm start)', () => {
    const initInverseMetric = Float64Array.from(scales, (s) => s * s);
    const start = { init: Float64Array.from([0.005, -0.5, 50]), initInverseMetric, initStepSize: 0.9 };
    const warm = runChainsOf(badlyScaled, { ...start, warmup: 0, draws: 1000 }, 'warm');
    // No warmup: the metric is the one given, and every draw comes from it.
    for (const o of warm) expect([...o.inverseMetric]).toEqual([...initInverseMetric]);
    for (let j = 0; j < 3; j++) {
      const { mean, sd } = moments(coordinate(warm, j));
      expect(Math.abs(mean) / scales[j]).toBeLessThan(0.1);
      expect(Math.abs(sd / scales[j] - 1)).toBeLessThan(0.08);
    }
    const cold = runChainsOf(badlyScaled, { warmup: 200, draws: 10 }, 'warm');
    const warmup = runChainsOf(badlyScaled, { ...start, warmup: 200, draws: 10 }, 'warm');
    const gradients = (outputs: ChainOutput[]) => outputs.reduce((s, o) => s + o.gradientEvaluations, 0);
    expect(gradients(warmup)).toBeLessThan(gradients(cold) / 3);
    expect(() => sampleChain(badlyScaled, { initInverseMetric: new Float64Array(2) }, deriveRng('x', 'y'))).toThrow(
      'initInverseMetric has 2 entries for 3 parameters',
    );
    expect(() => sampleChain(badlyScaled, { initInverseMetric: Float64Array.from([1, 0, 1]) }, deriveRng('x', 'y'))).toThrow(
      'initInverseMetric must be finite and above 0, got 0',
    );
    expect(() => sampleChain(badlyScaled, { initStepSize: 0 }, deriveRng('x', 'y'))).toThrow(
      'initStepSize must be finite and above 0, got 0',
    );
  });

  it('chainEndOf: the last draw, the adapted metric and step size', () => {
    const [output] = runChainsOf(standardNormal(3), { warmup: 100, draws: 20 }, 'end', 1);
    const end = chainEndOf(output);
    expect([...end.position]).toEqual([...output.draws.subarray(19 * 3)]);
    expect([...end.inverseMetric]).toEqual([...output.inverseMetric]);
    expect(end.stepSize).toBe(output.stepSize);
    const [dense] = runChainsOf(standardNormal(3), { warmup: 100, draws: 20, metric: 'dense' }, 'end', 1);
    expect([...chainEndOf(dense).inverseMetric]).toEqual([0, 4, 8].map((i) => dense.inverseMetric[i]));
  });

  it('recovers the conjugate gamma-Poisson posterior', () => {
    // lambda ~ Gamma(2, 1), y_1..y_10 ~ Poisson(lambda), sum y = 37: posterior Gamma(39, 11)
    // (mean 3.5455, sd 0.5677), sampled on log(lambda) with its Jacobian.
    const shape = 2 + 37;
    const rate = 1 + 10;
    const density: LogDensity = {
      dimension: 1,
      logDensityGradient(q, grad) {
        const lambda = Math.exp(q[0]);
        grad[0] = shape - rate * lambda;
        return shape * q[0] - rate * lambda;
      },
    };
    const outputs = runChainsOf(density, { warmup: 1000, draws: 2000 }, 'gamma-poisson');
    const lambda = coordinate(outputs, 0, Math.exp);
    const { mean, sd } = moments(lambda);
    expect(mean).toBeCloseTo(shape / rate, 1);
    expect(Math.abs(sd - Math.sqrt(shape) / rate)).toBeLessThan(0.03);
    const sorted = lambda.flatMap((c) => [...c]).sort((a, b) => a - b);
    const fractionBelow = (x: number) => sorted.filter((v) => v < x).length / sorted.length;
    // Gamma(39, 11) quantiles (R: qgamma(c(0.05, 0.95), 39, 11) = 2.6630, 4.5171).
    expect(Math.abs(fractionBelow(2.663) - 0.05)).toBeLessThan(0.015);
    expect(Math.abs(fractionBelow(4.5171) - 0.95)).toBeLessThan(0.015);
  });

  it("detects divergences in Neal's funnel", () => {
    // v ~ Normal(0, 3), x_i ~ Normal(0, exp(v / 2)), 9 of them (Neal 2003).
    const funnel: LogDensity = {
      dimension: 10,
      logDensityGradient(q, grad) {
        const v = q[0];
        let lp = -(v * v) / 18;
        grad[0] = -v / 9;
        const precision = Math.exp(-v);
        for (let i = 1; i < 10; i++) {
          lp += -0.5 * q[i] * q[i] * precision - 0.5 * v;
          grad[i] = -q[i] * precision;
          grad[0] += 0.5 * q[i] * q[i] * precision - 0.5;
        }
        return lp;
      },
    };
    const outputs = runChainsOf(funnel, { warmup: 500, draws: 500 }, 'funnel');
    const divergences = outputs.reduce((s, o) => s + o.divergent.reduce((a, b) => a + b, 0), 0);
    expect(divergences).toBeGreaterThan(0);
  });

  it('gives identical draws for the same seed', () => {
    const a = sampleChain(standardNormal(3), { warmup: 100, draws: 100 }, deriveRng(5, 'chain-0'));
    const b = sampleChain(standardNormal(3), { warmup: 100, draws: 100 }, deriveRng(5, 'chain-0'));
    const c = sampleChain(standardNormal(3), { warmup: 100, draws: 100 }, deriveRng(6, 'chain-0'));
    expect(b.draws).toEqual(a.draws);
    expect(c.draws).not.toEqual(a.draws);
  });
});

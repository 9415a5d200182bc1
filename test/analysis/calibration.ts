import type { EstimateEffectOptions } from '../../src/analysis/estimate-effect.js';
import { estimateEffect } from '../../src/analysis/estimate-effect.js';
import type { Rng } from '../../src/random.js';
import { deriveRng } from '../../src/random.js';
import type { SimulatedModelTable } from '../../src/simulate/simulate-model-table.js';

/**
 * Probability of k successes in n Bernoulli(p) trials, summed in log space so that
 * n in the hundreds does not underflow.
 */
function binomialProbability(k: number, n: number, p: number): number {
  let logChoose = 0;
  for (let i = 1; i <= k; i++) logChoose += Math.log(n - k + i) - Math.log(i);
  return Math.exp(logChoose + k * Math.log(p) + (n - k) * Math.log1p(-p));
}

/**
 * Exact two-sided binomial test p-value, defined as R's `binom.test` does: the total
 * probability of every outcome no more likely than the one observed (with R's relative
 * tolerance 1 + 1e-7 for ties).
 *
 * @example
 * binomialTestPValue(84, 100, 0.9); // 0.0451, as binom.test(84, 100, 0.9)$p.value in R
 */
export function binomialTestPValue(successes: number, trials: number, p: number): number {
  const observed = binomialProbability(successes, trials, p);
  let total = 0;
  for (let k = 0; k <= trials; k++) {
    const probability = binomialProbability(k, trials, p);
    if (probability <= observed * (1 + 1e-7)) total += probability;
  }
  return Math.min(1, total);
}

/** One simulated data set's fit against its truth. */
export interface CalibrationRun {
  readonly index: number;
  /** True effect `1 - exp(theta)` (or `1 - exp(mu_theta)` in a network). */
  readonly truth: number;
  readonly q05: number;
  readonly q95: number;
  readonly q025: number;
  readonly q975: number;
  readonly flagged: boolean;
  readonly refits: number;
  readonly divergences: number;
}

export interface CalibrationSummary {
  readonly runs: readonly CalibrationRun[];
  /** Truth inside the 90% equal-tailed interval. */
  readonly covered90: number;
  readonly covered95: number;
  /** Truth below the 5% quantile, above the 95% quantile. */
  readonly missedLow: number;
  readonly missedHigh: number;
  readonly flagged: number;
  readonly refitted: number;
  readonly seconds: number;
}

/**
 * Exact two-sided binomial p-values of the interval coverage (90%, 95%) and of each
 * tail's misses (about 5% each for an equal-tailed 90% interval, not all on one side).
 */
export function coveragePValues(summary: CalibrationSummary): Record<'covered90' | 'covered95' | 'missedLow' | 'missedHigh', number> {
  const n = summary.runs.length;
  return {
    covered90: binomialTestPValue(summary.covered90, n, 0.9),
    covered95: binomialTestPValue(summary.covered95, n, 0.95),
    missedLow: binomialTestPValue(summary.missedLow, n, 0.05),
    missedHigh: binomialTestPValue(summary.missedHigh, n, 0.05),
  };
}

/**
 * Simulates `count` data sets (data set i from its own stream `deriveRng(seed, 'data-<i>')`),
 * fits each with the real sampler, and counts how often the posterior intervals of the
 * effect cover the effect the data were simulated with.
 */
export async function runCalibration(
  seed: string,
  count: number,
  simulate: (rng: Rng) => SimulatedModelTable,
  fitOptions: Omit<EstimateEffectOptions, 'seed'>,
): Promise<CalibrationSummary> {
  const started = Date.now();
  const runs: CalibrationRun[] = [];
  for (let index = 0; index < count; index++) {
    const { table, truth } = simulate(deriveRng(seed, `data-${index}`));
    const result = await estimateEffect(table, { ...fitOptions, seed: index + 1 });
    const { q05, q95, q025, q975 } = result.effect;
    runs.push({
      index,
      truth: truth.effect,
      q05,
      q95,
      q025,
      q975,
      flagged: result.diagnostics.flagged,
      refits: result.diagnostics.refits.length,
      divergences: result.diagnostics.divergences,
    });
  }
  const count_ = (test: (run: CalibrationRun) => boolean) => runs.filter(test).length;
  return {
    runs,
    covered90: count_((r) => r.q05 <= r.truth && r.truth <= r.q95),
    covered95: count_((r) => r.q025 <= r.truth && r.truth <= r.q975),
    missedLow: count_((r) => r.truth < r.q05),
    missedHigh: count_((r) => r.truth > r.q95),
    flagged: count_((r) => r.flagged),
    refitted: count_((r) => r.refits > 0),
    seconds: (Date.now() - started) / 1000,
  };
}

import * as ss from 'simple-statistics';
import type { PosteriorSummary } from '../analysis/analysis-result.js';

/** The posterior density of the effect on a grid, and where it came from. */
export interface EffectDensity {
  /** `draws`: a kernel density of the posterior draws; `normal-approximation`: drawn from the summary. */
  readonly source: 'draws' | 'normal-approximation';
  readonly points: readonly { readonly effect: number; readonly density: number }[];
}

const GRID = 161;

/**
 * A Gaussian kernel density estimate of the effect's posterior draws on an even grid over
 * the 0.1st to 99.9th percentiles (padded), with Silverman's rule-of-thumb bandwidth
 * (Silverman 1986, eq. 3.31: 0.9 min(sd, IQR/1.34) n^(-1/5)).
 *
 * @example
 * densityFromDraws([0.01, 0.02, 0.03, ...]).points[80]; // { effect: ~0.02, density: ~... }
 */
export function densityFromDraws(draws: readonly number[]): EffectDensity {
  if (draws.length < 2) throw new RangeError(`densityFromDraws: needs at least 2 draws, got ${draws.length}`);
  const sorted = [...draws].sort((a, b) => a - b);
  const n = sorted.length;
  // R's type-7 quantiles, as the analysis summarizes the draws.
  const quantile = (p: number) => ss.quantileSorted(sorted, p);
  const sd = ss.sampleStandardDeviation(sorted);
  const iqr = quantile(0.75) - quantile(0.25);
  const spread = Math.min(sd, iqr / 1.34) || sd || 1e-3;
  const bandwidth = 0.9 * spread * n ** -0.2;
  const lo = quantile(0.001) - 2 * bandwidth;
  const hi = quantile(0.999) + 2 * bandwidth;
  // Bin the draws finely first so the estimate costs O(grid^2), not O(grid * draws).
  const bins = 1024;
  const counts = new Float64Array(bins);
  const width = (hi - lo) / bins;
  for (const x of sorted) {
    const b = Math.floor((x - lo) / width);
    if (b >= 0 && b < bins) counts[b]++;
  }
  const points = grid(lo, hi).map((effect) => {
    let total = 0;
    for (let b = 0; b < bins; b++) {
      if (counts[b] === 0) continue;
      const z = (effect - (lo + (b + 0.5) * width)) / bandwidth;
      total += counts[b] * Math.exp(-0.5 * z * z);
    }
    return { effect, density: total / (n * bandwidth * Math.sqrt(2 * Math.PI)) };
  });
  return { source: 'draws', points };
}

/**
 * The effect's density when only the summary is at hand: the effect parameter
 * (theta, a log rate ratio) taken as Normal(mean, sd), carried to `effect = 1 - exp(theta)`
 * by the change of variables `f(e) = phi((log(1 - e) - m) / s) / (s (1 - e))`.
 * An approximation, and the report says so.
 */
export function densityFromSummary(parameter: PosteriorSummary): EffectDensity {
  const { mean: m, sd: s } = parameter;
  if (!(s > 0)) throw new RangeError(`densityFromSummary: the effect parameter's sd must be > 0, got ${s}`);
  const effectAt = (theta: number) => 1 - Math.exp(theta);
  const lo = effectAt(m + 4 * s);
  const hi = effectAt(m - 4 * s);
  const points = grid(lo, hi).map((effect) => {
    const z = (Math.log(1 - effect) - m) / s;
    return { effect, density: Math.exp(-0.5 * z * z) / (s * Math.sqrt(2 * Math.PI) * (1 - effect)) };
  });
  return { source: 'normal-approximation', points };
}

function grid(lo: number, hi: number): number[] {
  return Array.from({ length: GRID }, (_, i) => lo + ((hi - lo) * i) / (GRID - 1));
}

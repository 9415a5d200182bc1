import * as ss from 'simple-statistics';
import type { Certainty, PosteriorSummary } from './analysis-result.js';
import type { ChainDraws } from './diagnostics/chain-draws.js';
import { pooledDraws, quantileSorted } from './diagnostics/chain-draws.js';

/** Mean, sd (n - 1), median and equal-tailed 90% and 95% interval ends (R's type-7 quantiles). */
export function summarizeDraws(chains: ChainDraws): PosteriorSummary {
  // simple-statistics only indexes its arguments: the pooled typed array is handed over as it is.
  const all = pooledDraws(chains);
  const draws = all as unknown as readonly number[];
  const mean = all.length > 0 ? ss.mean(draws) : NaN;
  const sd = all.length > 1 ? ss.sampleStandardDeviation(draws) : NaN;
  const sorted = all.sort();
  return {
    mean,
    sd,
    median: quantileSorted(sorted, 0.5),
    q025: quantileSorted(sorted, 0.025),
    q05: quantileSorted(sorted, 0.05),
    q95: quantileSorted(sorted, 0.95),
    q975: quantileSorted(sorted, 0.975),
  };
}

/** `P(x > t)` for each threshold, keyed by the threshold as written (`"0"`, `"0.05"`). */
export function computeCertainty(chains: ChainDraws, thresholds: readonly number[]): Certainty {
  const all = pooledDraws(chains);
  const out: Record<string, number> = {};
  for (const t of thresholds) {
    let above = 0;
    for (let i = 0; i < all.length; i++) if (all[i] > t) above++;
    out[String(t)] = above / all.length;
  }
  return out;
}

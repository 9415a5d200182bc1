import type { ChainDraws } from './chain-draws.js';
import { hasNonFinite, isConstant, pooledDraws, quantileSorted, splitChains } from './chain-draws.js';
import { rankNormalize } from './rank-normalize.js';

/**
 * The basic potential scale reduction factor of chains already split (Gelman et al. 2013,
 * BDA3 eq. 11.4; `posterior::rhat_basic`): `sqrt((B/W + n - 1) / n)` with B/n the variance
 * of chain means and W the mean within-chain variance. NaN with non-finite draws, 1 for constants.
 */
export function computeRhatBasic(chains: ChainDraws): number {
  if (hasNonFinite(chains)) return NaN;
  if (isConstant(chains)) return 1;
  const m = chains.length;
  const n = chains[0].length;
  const means = chains.map((c) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i];
    return s / n;
  });
  const variances = chains.map((c, j) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += (c[i] - means[j]) ** 2;
    return s / (n - 1);
  });
  const grand = means.reduce((s, v) => s + v, 0) / m;
  const varMeans = m > 1 ? means.reduce((s, v) => s + (v - grand) ** 2, 0) / (m - 1) : 0;
  const between = n * varMeans;
  const within = variances.reduce((s, v) => s + v, 0) / m;
  return Math.sqrt((between / within + n - 1) / n);
}

/**
 * Rank-normalized split R-hat (Vehtari et al. 2021, sec. 4.2; `posterior::rhat`): the
 * larger of the split R-hat of the rank-normalized draws (bulk) and of the rank-normalized
 * draws folded about the median (tails).
 */
export function computeRhat(chains: ChainDraws): number {
  const bulk = computeRhatBasic(rankNormalize(splitChains(chains)));
  const median = quantileSorted(pooledDraws(chains).sort(), 0.5);
  const folded = chains.map((c) => Float64Array.from(c, (v) => Math.abs(v - median)));
  const tail = computeRhatBasic(rankNormalize(splitChains(folded)));
  return Math.max(bulk, tail);
}

import type { ChainDraws } from './chain-draws.js';
import { hasNonFinite, pooledDraws, quantileSorted, splitChains } from './chain-draws.js';
import { computeEssBasic, indicatorChains } from './ess.js';
import { rankNormalize } from './rank-normalize.js';
import { computeRhatBasic } from './rhat.js';

/** The convergence diagnostics of one quantity (`posterior::rhat`, `ess_bulk`, `ess_tail`). */
export interface Convergence {
  readonly rhat: number;
  readonly essBulk: number;
  readonly essTail: number;
}

/**
 * Rank-normalized split R-hat, bulk-ESS and tail-ESS of one quantity: the same values as
 * `computeRhat`, `computeEssBulk` and `computeEssTail`, with the chains split, sorted and
 * rank-normalized once instead of once per diagnostic (a fit diagnoses every parameter).
 */
export function computeConvergence(chains: ChainDraws): Convergence {
  if (chains.length === 0 || hasNonFinite(chains)) return { rhat: NaN, essBulk: NaN, essTail: NaN };
  const split = splitChains(chains);
  const sorted = pooledDraws(chains).sort();
  const bulk = rankNormalize(split);
  const median = quantileSorted(sorted, 0.5);
  const tails = rankNormalize(split.map((c) => Float64Array.from(c, (v) => Math.abs(v - median))));
  const essQuantile = (p: number) => computeEssBasic(indicatorChains(split, quantileSorted(sorted, p)));
  return {
    rhat: Math.max(computeRhatBasic(bulk), computeRhatBasic(tails)),
    essBulk: computeEssBasic(bulk),
    essTail: Math.min(essQuantile(0.05), essQuantile(0.95)),
  };
}

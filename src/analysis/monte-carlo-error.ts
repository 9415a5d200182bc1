import type { Certainty } from './analysis-result.js';
import type { ChainDraws } from './diagnostics/chain-draws.js';
import { hasNonFinite, splitChains } from './diagnostics/chain-draws.js';
import { computeEssBasic } from './diagnostics/ess.js';

/**
 * Monte Carlo standard error of a certainty `p = P(x > threshold)` estimated from
 * correlated draws: `sqrt(p (1 - p) / ESS)`, where ESS is the effective sample size of
 * the indicator `x > threshold` over split chains (the MCSE of a mean, as `posterior`'s
 * `mcse_mean` computes it for an indicator; Vehtari et al. 2021, sec. 4). It says how
 * far the certainty could move were the sampler run again with another seed. A certainty
 * of exactly 0 or 1 (every draw on one side) gives 0: reports show those as "under 1%"
 * or "over 99%" without a margin. NaN when a draw is not finite.
 *
 * @example
 * // 4 chains of 1000 independent draws with p = 0.83: about sqrt(0.83 * 0.17 / 4000) = 0.0059
 * certaintyMcError(chains, 0);
 */
export function certaintyMcError(chains: ChainDraws, threshold: number): number {
  if (hasNonFinite(chains)) return NaN;
  const indicator = chains.map((c) => Float64Array.from(c, (v) => (v > threshold ? 1 : 0)));
  let above = 0;
  let total = 0;
  for (const c of indicator) {
    total += c.length;
    for (let i = 0; i < c.length; i++) above += c[i];
  }
  const p = total > 0 ? above / total : NaN;
  if (!(p > 0 && p < 1)) return p === 0 || p === 1 ? 0 : NaN;
  return mcErrorOfShare(p, computeEssBasic(splitChains(indicator)));
}

/** `sqrt(p (1 - p) / ess)`: the Monte Carlo error of a share `p` with `ess` effective draws. */
export function mcErrorOfShare(p: number, ess: number): number {
  return Math.sqrt((p * (1 - p)) / ess);
}

/** `certaintyMcError` at each threshold, keyed as `computeCertainty` keys the certainties. */
export function computeCertaintyMcError(chains: ChainDraws, thresholds: readonly number[]): Certainty {
  const out: Record<string, number> = {};
  for (const t of thresholds) out[String(t)] = certaintyMcError(chains, t);
  return out;
}

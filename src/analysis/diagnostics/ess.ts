import { LazyAutocovariance } from './autocovariance.js';
import type { ChainDraws } from './chain-draws.js';
import { hasNonFinite, isConstant, pooledDraws, quantileSorted, splitChains } from './chain-draws.js';
import { rankNormalize } from './rank-normalize.js';

/**
 * Effective sample size of chains as given (split them first for split-ESS), exactly as
 * `posterior`'s `.ess` (Vehtari et al. 2021, sec. 3.2; Geyer 1992): autocorrelations
 * from the multi-chain variance estimate, summed in pairs while the pair sums stay
 * positive (initial positive sequence), made monotone (initial monotone sequence), with
 * the last positive even lag added (the "improved" estimate), and tau capped below at
 * 1/log10(S) so ESS <= S log10(S).
 */
export function computeEssBasic(chains: ChainDraws): number {
  const m = chains.length;
  const n = chains[0]?.length ?? 0;
  if (n < 3 || hasNonFinite(chains)) return NaN;
  if (isConstant(chains)) return m * n;

  const acov = chains.map((c) => new LazyAutocovariance(c));
  const acovMean = (lag: number) => {
    let s = 0;
    for (let j = 0; j < m; j++) s += acov[j].at(lag);
    return s / m;
  };
  const chainMeans = chains.map((c) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += c[i];
    return s / n;
  });
  const meanVar = (acovMean(0) * n) / (n - 1);
  let varPlus = (meanVar * (n - 1)) / n;
  if (m > 1) {
    const grand = chainMeans.reduce((s, v) => s + v, 0) / m;
    varPlus += chainMeans.reduce((s, v) => s + (v - grand) ** 2, 0) / (m - 1);
  }

  // rho[t] for t = 0.. (R's rho_hat_t[t + 1]).
  const rho = new Float64Array(n);
  let t = 0;
  let rhoEven = 1;
  rho[0] = rhoEven;
  let rhoOdd = 1 - (meanVar - acovMean(1)) / varPlus;
  rho[1] = rhoOdd;
  while (t < n - 5 && !Number.isNaN(rhoEven + rhoOdd) && rhoEven + rhoOdd > 0) {
    t += 2;
    rhoEven = 1 - (meanVar - acovMean(t)) / varPlus;
    rhoOdd = 1 - (meanVar - acovMean(t + 1)) / varPlus;
    if (rhoEven + rhoOdd >= 0) {
      rho[t] = rhoEven;
      rho[t + 1] = rhoOdd;
    }
  }
  const maxT = t;
  if (rhoEven > 0) rho[maxT] = rhoEven;

  // Initial monotone sequence: pair sums may not increase.
  t = 0;
  while (t <= maxT - 4) {
    t += 2;
    if (rho[t] + rho[t + 1] > rho[t - 2] + rho[t - 1]) {
      rho[t] = (rho[t - 2] + rho[t - 1]) / 2;
      rho[t + 1] = rho[t];
    }
  }
  const s = m * n;
  let sum = 0;
  for (let k = 0; k < maxT; k++) sum += rho[k];
  let tau = -1 + 2 * sum + rho[maxT];
  tau = Math.max(tau, 1 / Math.log10(s));
  return s / tau;
}

/** Bulk-ESS: ESS of the rank-normalized split chains (Vehtari et al. 2021; `posterior::ess_bulk`). */
export function computeEssBulk(chains: ChainDraws): number {
  return computeEssBasic(rankNormalize(splitChains(chains)));
}

/** ESS of the indicator `x <= quantile(x, p)` over split chains (`posterior::ess_quantile`). */
export function computeEssQuantile(chains: ChainDraws, p: number): number {
  if (hasNonFinite(chains)) return NaN;
  const cut = quantileSorted(pooledDraws(chains).sort(), p);
  return computeEssBasic(indicatorChains(splitChains(chains), cut));
}

/** The chains of the indicator `x <= cut`, whose ESS is the ESS of the quantile at `cut`. */
export function indicatorChains(chains: ChainDraws, cut: number): Float64Array[] {
  return chains.map((c) => Float64Array.from(c, (v) => (v <= cut ? 1 : 0)));
}

/** Tail-ESS: the smaller ESS of the 5% and 95% quantiles (Vehtari et al. 2021; `posterior::ess_tail`). */
export function computeEssTail(chains: ChainDraws): number {
  return Math.min(computeEssQuantile(chains, 0.05), computeEssQuantile(chains, 0.95));
}

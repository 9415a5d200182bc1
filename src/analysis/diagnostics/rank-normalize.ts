import type { ChainDraws } from './chain-draws.js';
import { pooledDraws } from './chain-draws.js';
import { normalQuantile } from './normal-quantile.js';

/**
 * Rank normalization (Vehtari et al. 2021, eq. 14): every draw is replaced by its average
 * rank `r` over all chains (ties averaged), then by `qnorm((r - 3/8) / (S + 1/4))`, the
 * Blom transform `posterior` uses. Chain shapes are kept. A non-finite draw becomes NaN,
 * so that every diagnostic computed from the result is NaN, as in `posterior`.
 */
export function rankNormalize(chains: ChainDraws): Float64Array[] {
  // One native numeric sort, then each draw's rank by binary search: a fit has hundreds of
  // parameters, each normalized twice, and sorting indices with a JavaScript comparator
  // made this the slowest step of the diagnostics.
  const sorted = pooledDraws(chains).sort();
  const s = sorted.length;
  const scores = untiedScores(s);
  return chains.map((chain) => {
    const z = new Float64Array(chain.length);
    for (let i = 0; i < chain.length; i++) {
      const v = chain[i];
      if (!Number.isFinite(v)) {
        z[i] = NaN;
        continue;
      }
      const first = lowerBound(sorted, v);
      let last = first;
      while (last + 1 < s && sorted[last + 1] === v) last++;
      z[i] = first === last ? scores[first] : blomScore((first + last) / 2 + 1, s);
    }
    return z;
  });
}

function blomScore(rank: number, s: number): number {
  return normalQuantile((rank - 3 / 8) / (s + 1 / 4));
}

// Every parameter of a fit has the same number of draws, so one table of the scores of
// ranks 1..S serves them all.
let cachedScores = new Float64Array(0);

/** `blomScore(k + 1, s)` at index k. */
function untiedScores(s: number): Float64Array {
  if (cachedScores.length !== s) cachedScores = Float64Array.from({ length: s }, (_, k) => blomScore(k + 1, s));
  return cachedScores;
}

/** The first index whose value is not below `v`. */
function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

import type { ChainDraws } from './chain-draws.js';
import { pooledDraws } from './chain-draws.js';
import { normalQuantile } from './normal-quantile.js';

/**
 * Rank normalization (Vehtari et al. 2021, eq. 14): every draw is replaced by its average
 * rank `r` over all chains (ties averaged), then by `qnorm((r - 3/8) / (S + 1/4))`, the
 * Blom transform `posterior` uses. Chain shapes are kept.
 */
export function rankNormalize(chains: ChainDraws): Float64Array[] {
  const all = pooledDraws(chains);
  const s = all.length;
  const order = Array.from({ length: s }, (_, i) => i).sort((a, b) => all[a] - all[b]);
  const ranks = new Float64Array(s);
  for (let i = 0; i < s; ) {
    let j = i;
    while (j + 1 < s && all[order[j + 1]] === all[order[i]]) j++;
    const average = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = average;
    i = j + 1;
  }
  const out: Float64Array[] = [];
  let at = 0;
  for (const chain of chains) {
    const z = new Float64Array(chain.length);
    for (let i = 0; i < chain.length; i++) z[i] = normalQuantile((ranks[at++] - 3 / 8) / (s + 1 / 4));
    out.push(z);
  }
  return out;
}

import { quantileSorted as ssQuantileSorted } from 'simple-statistics';

/** Draws of one scalar quantity: one array per chain, all of the same length. */
export type ChainDraws = readonly ArrayLike<number>[];

/**
 * Splits every chain in two halves (Gelman et al. 2013, BDA3 sec. 11.4), as `posterior`'s
 * `split_chains`: with an odd count the middle draw is dropped.
 */
export function splitChains(chains: ChainDraws): Float64Array[] {
  const out: Float64Array[] = [];
  for (const chain of chains) {
    const n = chain.length;
    if (n < 2) {
      out.push(Float64Array.from(chain));
      continue;
    }
    const half = Math.floor(n / 2);
    out.push(Float64Array.from({ length: half }, (_, i) => chain[i]));
    out.push(Float64Array.from({ length: half }, (_, i) => chain[n - half + i]));
  }
  return out;
}

/** Whether some draw is NaN or infinite (the diagnostics are then NaN). */
export function hasNonFinite(chains: ChainDraws): boolean {
  return chains.some((c) => Array.prototype.some.call(c, (v: number) => !Number.isFinite(v)));
}

/** Whether every draw of every chain equals the first. */
export function isConstant(chains: ChainDraws): boolean {
  const first = chains[0]?.[0];
  return chains.every((c) => Array.prototype.every.call(c, (v: number) => v === first));
}

/** All draws of all chains in one array (a fresh copy, free to sort in place). */
export function pooledDraws(chains: ChainDraws): Float64Array {
  const total = chains.reduce((s, c) => s + c.length, 0);
  const out = new Float64Array(total);
  let at = 0;
  for (const chain of chains) for (let i = 0; i < chain.length; i++) out[at++] = chain[i];
  return out;
}

/**
 * Sample quantile of R's default type 7 (linear interpolation between order statistics):
 * simple-statistics' `quantileSorted`, which is type 7. It only indexes its argument, so
 * sorted draws in a typed array are handed over as they are; no draws give NaN.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  return sorted.length === 0 ? NaN : ssQuantileSorted(sorted as readonly number[], p);
}

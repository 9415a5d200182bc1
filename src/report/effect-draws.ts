import type { PosteriorDraws } from '../analysis/posterior-draws.js';

/** Names of the draws a report uses: the effect, and each district's (`effect[<district>]`). */
export function isEffectQuantity(name: string): boolean {
  return name === 'effect' || /^effect\[.+\]$/.test(name);
}

/**
 * The effect draws of a fit, by quantity, chains concatenated: what `readEffectDraws`
 * reads back from a `draws.csv`, taken straight from `estimateEffectWithDraws`.
 */
export function effectDrawsFrom(draws: PosteriorDraws): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const name of draws.names) if (isEffectQuantity(name)) out[name] = draws.values[name].flatMap((chain) => Array.from(chain));
  return out;
}

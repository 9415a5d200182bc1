import type { EffectPrior } from '../analysis/model/effect-prior.js';
import { normalCdf } from './normal-cdf.js';

/** The approximate posterior of the effect parameter: a mixture of normals over tau. */
export interface EffectPosterior {
  readonly weights: Float64Array;
  readonly means: Float64Array;
  readonly sds: Float64Array;
}

/** Tau's prior HalfNormal(0, 0.1) (docs/model.md); the grid reaches 5 prior sds. */
const TAU_PRIOR_SD = 0.1;
const TAU_GRID = 100;
const TAU_MAX = 5 * TAU_PRIOR_SD;

/**
 * The posterior of `mu_theta` (a network) or `theta` (one district) given each
 * district's normal likelihood `estimate[d] ~ Normal(theta[d], variance[d])`:
 * `theta[d] ~ Normal(mu_theta, tau^2)`, `mu_theta ~ prior`, `tau ~ HalfNormal(0, 0.1)`.
 * Given tau, `mu_theta` is normal in closed form (the normal-normal model; Gelman et al.
 * 2013, BDA3 sec. 5.4, eq. 5.20), and so is the marginal likelihood of tau; tau is then
 * integrated on a grid of 100 midpoints up to 0.5. The funnel a Laplace approximation of
 * the non-centred model meets when tau is near 0 never arises.
 */
export function poolDistrictEffects(estimate: Float64Array, variance: Float64Array, prior: EffectPrior): EffectPosterior {
  const D = estimate.length;
  const priorPrecision = 1 / (prior.sd * prior.sd);
  if (D === 1) {
    const precision = 1 / variance[0] + priorPrecision;
    return {
      weights: Float64Array.of(1),
      means: Float64Array.of((estimate[0] / variance[0] + prior.mean * priorPrecision) / precision),
      sds: Float64Array.of(Math.sqrt(1 / precision)),
    };
  }
  const logWeights = new Float64Array(TAU_GRID);
  const means = new Float64Array(TAU_GRID);
  const sds = new Float64Array(TAU_GRID);
  const width = TAU_MAX / TAU_GRID;
  for (let j = 0; j < TAU_GRID; j++) {
    const tau = (j + 0.5) * width;
    const tau2 = tau * tau;
    let sumPrecision = 0;
    let sumWeighted = 0;
    let sumSquares = 0;
    let logDet = 0;
    for (let d = 0; d < D; d++) {
      const v = variance[d] + tau2;
      sumPrecision += 1 / v;
      sumWeighted += estimate[d] / v;
      sumSquares += (estimate[d] * estimate[d]) / v;
      logDet += Math.log(v);
    }
    const precision = priorPrecision + sumPrecision;
    const b = prior.mean * priorPrecision + sumWeighted;
    means[j] = b / precision;
    sds[j] = Math.sqrt(1 / precision);
    logWeights[j] =
      -tau2 / (2 * TAU_PRIOR_SD * TAU_PRIOR_SD) -
      0.5 * logDet -
      0.5 * Math.log(precision / priorPrecision) -
      0.5 * (sumSquares + prior.mean * prior.mean * priorPrecision - (b * b) / precision);
  }
  const top = Math.max(...logWeights);
  const weights = logWeights.map((w) => Math.exp(w - top));
  const total = weights.reduce((a, b) => a + b, 0);
  for (let j = 0; j < TAU_GRID; j++) weights[j] /= total;
  return { weights, means, sds };
}

/** P(effect > threshold) = P(parameter < log(1 - threshold)) under the mixture. */
export function effectCertainty(posterior: EffectPosterior, threshold: number): number {
  const bound = Math.log(1 - threshold);
  let p = 0;
  for (let j = 0; j < posterior.weights.length; j++) p += posterior.weights[j] * normalCdf((bound - posterior.means[j]) / posterior.sds[j]);
  return p;
}

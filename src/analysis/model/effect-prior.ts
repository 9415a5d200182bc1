/** The prior on the effect parameter (`theta`, or `mu_theta` in a network): Normal(mean, sd). */
export interface EffectPrior {
  readonly mean: number;
  readonly sd: number;
}

/** The spec's default: Normal(0, 0.5) on the log rate ratio (docs/model.md). */
export const DEFAULT_EFFECT_PRIOR: EffectPrior = { mean: 0, sd: 0.5 };

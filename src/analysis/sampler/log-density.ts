/**
 * A target the sampler can move on: an unnormalized log density on R^dimension and its
 * gradient. `logDensityGradient` writes the gradient into `grad` and returns the log
 * density; it returns -Infinity (or NaN) where the density is not finite, which the
 * sampler treats as a divergence, never as an error.
 */
export interface LogDensity {
  readonly dimension: number;
  logDensityGradient(q: Float64Array, grad: Float64Array): number;
}

import { expect } from 'vitest';
import type { LogDensity } from '../../src/analysis/sampler/log-density.js';

/**
 * Checks a log density's analytic gradient at `q` against central differences of the log
 * density itself, coordinate by coordinate, to `tolerance` relative (absolute below 1).
 */
export function expectGradientMatchesDifferences(density: LogDensity, q: Float64Array, step = 1e-6, tolerance = 1e-5): void {
  const grad = new Float64Array(density.dimension);
  density.logDensityGradient(q, grad);
  const scratch = new Float64Array(density.dimension);
  for (let j = 0; j < density.dimension; j++) {
    const up = Float64Array.from(q);
    const down = Float64Array.from(q);
    up[j] += step;
    down[j] -= step;
    const numeric = (density.logDensityGradient(up, scratch) - density.logDensityGradient(down, scratch)) / (2 * step);
    expect(Math.abs(grad[j] - numeric), `coordinate ${j}`).toBeLessThan(tolerance * Math.max(1, Math.abs(numeric)));
  }
}

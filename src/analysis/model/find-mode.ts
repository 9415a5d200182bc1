import type { LogDensity } from '../sampler/log-density.js';
import { choleskyLower } from '../sampler/metric.js';

/** Hessian of the log density by central differences of the analytic gradient, symmetrized. */
function numericHessian(density: LogDensity, q: Float64Array, step = 1e-5): Float64Array {
  const n = density.dimension;
  const h = new Float64Array(n * n);
  const up = new Float64Array(n);
  const down = new Float64Array(n);
  const x = Float64Array.from(q);
  for (let j = 0; j < n; j++) {
    x[j] = q[j] + step;
    density.logDensityGradient(x, up);
    x[j] = q[j] - step;
    density.logDensityGradient(x, down);
    x[j] = q[j];
    for (let i = 0; i < n; i++) h[i * n + j] = (up[i] - down[i]) / (2 * step);
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const s = 0.5 * (h[i * n + j] + h[j * n + i]);
      h[i * n + j] = s;
      h[j * n + i] = s;
    }
  }
  return h;
}

/** Solves (L L') x = b for lower-triangular L (row-major). */
function choleskySolve(l: Float64Array, b: Float64Array): Float64Array {
  const n = b.length;
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * y[k];
    y[i] = s / l[i * n + i];
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * x[k];
    x[i] = s / l[i * n + i];
  }
  return x;
}

/**
 * The posterior mode on the unconstrained scale by Levenberg-damped Newton steps with a
 * numerical Hessian (the gradient is analytic), from `start`. Returns the mode and the
 * negative Hessian there (the precision of the Laplace approximation).
 */
export function findMode(
  density: LogDensity,
  start: Float64Array,
  maxIterations = 200,
): { mode: Float64Array; precision: Float64Array; converged: boolean } {
  const n = density.dimension;
  let q = Float64Array.from(start);
  const grad = new Float64Array(n);
  let lp = density.logDensityGradient(q, grad);
  let lambda = 1e-3;
  const negativeHessian = (at: Float64Array) => numericHessian(density, at).map((v) => -v);
  for (let it = 0; it < maxIterations; it++) {
    const negH = negativeHessian(q);
    let improved = false;
    for (let attempt = 0; attempt < 30 && !improved; attempt++) {
      const damped = Float64Array.from(negH);
      for (let i = 0; i < n; i++) damped[i * n + i] += lambda * Math.max(1, Math.abs(negH[i * n + i]));
      let l: Float64Array;
      try {
        l = choleskyLower(damped, n);
      } catch {
        lambda *= 10;
        continue;
      }
      const step = choleskySolve(l, grad);
      const next = q.map((v, i) => v + step[i]);
      const nextGrad = new Float64Array(n);
      const nextLp = density.logDensityGradient(next, nextGrad);
      if (Number.isFinite(nextLp) && nextLp >= lp - 1e-12) {
        const gain = nextLp - lp;
        q = next;
        lp = nextLp;
        grad.set(nextGrad);
        lambda = Math.max(1e-9, lambda / 10);
        improved = true;
        if (gain < 1e-10 && Math.max(...grad.map(Math.abs)) < 1e-6) {
          return { mode: q, precision: negativeHessian(q), converged: true };
        }
      } else lambda *= 10;
    }
    if (!improved) break;
  }
  return { mode: q, precision: negativeHessian(q), converged: Math.max(...grad.map(Math.abs)) < 1e-4 };
}

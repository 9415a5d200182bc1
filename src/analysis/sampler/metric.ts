import type { Rng } from '../../random.js';
import { randomNormal } from '../../random.js';

/**
 * The Euclidean metric of Hamiltonian Monte Carlo (Betancourt 2017, sec. 4.2): momenta
 * are drawn from Normal(0, M) and the kinetic energy is `p' M^{-1} p / 2`. Stan adapts
 * `M^{-1}` (the "inverse metric") to the posterior covariance during warmup.
 */
export interface Metric {
  readonly kind: 'diag' | 'dense';
  /** `M^{-1}`: the diagonal, or the full matrix row-major. */
  readonly inverse: Float64Array;
  sampleMomentum(rng: Rng, p: Float64Array): void;
  /** `dtau/dp = M^{-1} p`, written into `out`. */
  velocity(p: Float64Array, out: Float64Array): void;
  kinetic(p: Float64Array): number;
}

/** A diagonal metric with inverse `inverseDiagonal` (Stan's `diag_e`). */
export function createDiagMetric(inverseDiagonal: Float64Array): Metric {
  const n = inverseDiagonal.length;
  const inverse = Float64Array.from(inverseDiagonal);
  return {
    kind: 'diag',
    inverse,
    sampleMomentum(rng, p) {
      for (let i = 0; i < n; i++) p[i] = randomNormal(rng) / Math.sqrt(inverse[i]);
    },
    velocity(p, out) {
      for (let i = 0; i < n; i++) out[i] = inverse[i] * p[i];
    },
    kinetic(p) {
      let k = 0;
      for (let i = 0; i < n; i++) k += inverse[i] * p[i] * p[i];
      return 0.5 * k;
    },
  };
}

/** Lower Cholesky factor of a symmetric positive-definite matrix (row-major); throws if not SPD. */
export function choleskyLower(matrix: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = matrix[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) {
        if (!(s > 0)) throw new Error(`choleskyLower: matrix is not positive definite (pivot ${i} = ${s})`);
        l[i * n + i] = Math.sqrt(s);
      } else l[i * n + j] = s / l[j * n + j];
    }
  }
  return l;
}

/**
 * A dense metric (Stan's `dense_e`). With `M^{-1} = L L'`, the momentum `p = L'^{-1} u`,
 * `u ~ Normal(0, I)`, has covariance `(L L')^{-1} = M` as required.
 */
export function createDenseMetric(inverseMatrix: Float64Array, n: number): Metric {
  const inverse = Float64Array.from(inverseMatrix);
  const l = choleskyLower(inverse, n);
  const u = new Float64Array(n);
  return {
    kind: 'dense',
    inverse,
    sampleMomentum(rng, p) {
      for (let i = 0; i < n; i++) u[i] = randomNormal(rng);
      // Solve L' p = u by back substitution.
      for (let i = n - 1; i >= 0; i--) {
        let s = u[i];
        for (let k = i + 1; k < n; k++) s -= l[k * n + i] * p[k];
        p[i] = s / l[i * n + i];
      }
    },
    velocity(p, out) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += inverse[i * n + j] * p[j];
        out[i] = s;
      }
    },
    kinetic(p) {
      let k = 0;
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += inverse[i * n + j] * p[j];
        k += p[i] * s;
      }
      return 0.5 * k;
    },
  };
}

/** The unit metric Stan starts warmup with. */
export function createUnitMetric(kind: 'diag' | 'dense', n: number): Metric {
  if (kind === 'diag') return createDiagMetric(new Float64Array(n).fill(1));
  const identity = new Float64Array(n * n);
  for (let i = 0; i < n; i++) identity[i * n + i] = 1;
  return createDenseMetric(identity, n);
}

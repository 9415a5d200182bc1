import { UsageError } from '../../errors.js';
import type { Rng } from '../../random.js';
import type { LogDensity } from './log-density.js';
import { createDenseMetric, createDiagMetric, createUnitMetric } from './metric.js';
import { MetricAdaptation } from './metric-adaptation.js';
import { createPhasePoint, NutsSampler } from './nuts.js';
import { StepSizeAdaptation } from './step-size-adaptation.js';

export interface ChainOptions {
  readonly warmup: number;
  readonly draws: number;
  /** Target acceptance statistic of step-size adaptation (Stan's `adapt_delta`). */
  readonly adaptDelta: number;
  readonly maxTreeDepth: number;
  readonly metric: 'diag' | 'dense';
  /** Initial values are uniform on (-initRadius, initRadius), Stan's default 2. */
  readonly initRadius: number;
  /** Overrides the random initial values (unconstrained scale). */
  readonly init?: Float64Array;
  /**
   * The diagonal inverse metric to start from instead of the identity, and the step size
   * to start the search from instead of 1 (Stan's `inv_metric` and `stepsize`): a chain
   * warm-started from an earlier fit's state. Adaptation then runs as usual.
   */
  readonly initInverseMetric?: Float64Array;
  readonly initStepSize?: number;
}

export const DEFAULT_CHAIN_OPTIONS: ChainOptions = {
  warmup: 1000,
  draws: 1000,
  adaptDelta: 0.8,
  maxTreeDepth: 10,
  metric: 'diag',
  initRadius: 2,
};

/** One chain's post-warmup draws (unconstrained, row-major `draws x dimension`) and sampler statistics. */
export interface ChainOutput {
  readonly dimension: number;
  readonly draws: Float64Array;
  readonly acceptStat: Float64Array;
  readonly treeDepth: Int32Array;
  readonly nLeapfrog: Int32Array;
  readonly divergent: Uint8Array;
  readonly energy: Float64Array;
  readonly stepSize: number;
  readonly inverseMetric: Float64Array;
  /** Divergences during warmup (not counted in diagnostics, as in Stan). */
  readonly warmupDivergences: number;
  /** Total gradient evaluations, warmup included. */
  readonly gradientEvaluations: number;
}

/**
 * Where a chain ended: its last draw, adapted diagonal inverse metric and step size. A
 * chain of a related model (one that extends this one's parameters) can start from it
 * (`init`, `initInverseMetric`, `initStepSize`) and so needs a shorter warmup.
 */
export interface ChainEnd {
  readonly position: Float64Array;
  readonly inverseMetric: Float64Array;
  readonly stepSize: number;
}

export function chainEndOf(output: ChainOutput): ChainEnd {
  const n = output.dimension;
  const position = output.draws.slice(output.draws.length - n);
  // A dense metric's diagonal is the diagonal metric to start from.
  const inverseMetric =
    output.inverseMetric.length === n
      ? Float64Array.from(output.inverseMetric)
      : Float64Array.from({ length: n }, (_, i) => output.inverseMetric[i * n + i]);
  return { position, inverseMetric, stepSize: output.stepSize };
}

/** Called every few iterations with the count done so far (warmup + sampling). */
export type ChainProgress = (iterationsDone: number) => void;

const MAX_INIT_ATTEMPTS = 100;

/** The identity, or the given diagonal (as a dense matrix's diagonal for a dense metric). */
function initialMetric(o: ChainOptions, n: number) {
  const diagonal = o.initInverseMetric;
  if (!diagonal) return createUnitMetric(o.metric, n);
  if (diagonal.length !== n) throw new UsageError('sampleChain', `initInverseMetric has ${diagonal.length} entries for ${n} parameters`);
  if (!diagonal.every((v) => Number.isFinite(v) && v > 0))
    throw new UsageError(
      'sampleChain',
      `initInverseMetric must be finite and above 0, got ${diagonal.find((v) => !(Number.isFinite(v) && v > 0))}`,
    );
  if (o.metric === 'diag') return createDiagMetric(Float64Array.from(diagonal));
  const dense = new Float64Array(n * n);
  for (let i = 0; i < n; i++) dense[i * n + i] = diagonal[i];
  return createDenseMetric(dense, n);
}

/**
 * Runs one chain of adaptive NUTS as Stan's `run_adaptive_sampler` does: random inits
 * (retried until the density and gradient are finite), step-size initialization,
 * `warmup` iterations of dual averaging and windowed metric adaptation, then `draws`
 * iterations at the final step size and metric. Everything random comes from `rng`.
 */
export function sampleChain(density: LogDensity, options: Partial<ChainOptions>, rng: Rng, onProgress?: ChainProgress): ChainOutput {
  const o: ChainOptions = { ...DEFAULT_CHAIN_OPTIONS, ...options };
  const n = density.dimension;
  if (!(o.adaptDelta > 0 && o.adaptDelta < 1)) throw new UsageError('sampleChain', `adaptDelta must be in (0, 1), got ${o.adaptDelta}`);
  if (!Number.isInteger(o.warmup) || o.warmup < 0 || !Number.isInteger(o.draws) || o.draws < 1) {
    throw new UsageError('sampleChain', `warmup must be an integer >= 0 and draws >= 1, got ${o.warmup} and ${o.draws}`);
  }
  let gradientEvaluations = 0;
  const counted = {
    dimension: n,
    logDensityGradient(q: Float64Array, grad: Float64Array): number {
      gradientEvaluations++;
      return density.logDensityGradient(q, grad);
    },
  };

  const point = createPhasePoint(n);
  let ok = false;
  for (let attempt = 0; attempt < MAX_INIT_ATTEMPTS && !ok; attempt++) {
    if (o.init) point.q.set(o.init);
    else for (let i = 0; i < n; i++) point.q[i] = (2 * rng() - 1) * o.initRadius;
    point.logp = counted.logDensityGradient(point.q, point.grad);
    ok = Number.isFinite(point.logp) && point.grad.every(Number.isFinite);
  }
  if (!ok) throw new Error(`sampleChain: no finite log density after ${MAX_INIT_ATTEMPTS} random initial values`);

  const sampler = new NutsSampler(counted, initialMetric(o, n), rng);
  sampler.maxDepth = o.maxTreeDepth;
  const userStepSize = o.initStepSize ?? 1;
  if (!(Number.isFinite(userStepSize) && userStepSize > 0))
    throw new UsageError('sampleChain', `initStepSize must be finite and above 0, got ${userStepSize}`);
  sampler.stepSize = userStepSize;
  sampler.initStepSize(point);
  const stepAdaptation = new StepSizeAdaptation(o.adaptDelta);
  // Stan sets mu = log(10 * stepsize) with the user's initial step size (1 by default).
  stepAdaptation.mu = Math.log(10 * userStepSize);
  const metricAdaptation = new MetricAdaptation(n, o.warmup, o.metric === 'dense');
  const progressEvery = Math.max(1, Math.floor((o.warmup + o.draws) / 100));
  let warmupDivergences = 0;

  for (let it = 0; it < o.warmup; it++) {
    const stats = sampler.transition(point);
    if (stats.divergent) warmupDivergences++;
    sampler.stepSize = stepAdaptation.learn(stats.acceptStat);
    const inverse = metricAdaptation.learn(point.q);
    if (inverse) {
      sampler.metric = o.metric === 'dense' ? createDenseMetric(inverse, n) : createDiagMetric(inverse);
      sampler.initStepSize(point);
      stepAdaptation.mu = Math.log(10 * sampler.stepSize);
      stepAdaptation.restart();
    }
    if (onProgress && (it + 1) % progressEvery === 0) onProgress(it + 1);
  }
  if (o.warmup > 0) sampler.stepSize = stepAdaptation.finalStepSize();

  const draws = new Float64Array(o.draws * n);
  const acceptStat = new Float64Array(o.draws);
  const treeDepth = new Int32Array(o.draws);
  const nLeapfrog = new Int32Array(o.draws);
  const divergent = new Uint8Array(o.draws);
  const energy = new Float64Array(o.draws);
  for (let it = 0; it < o.draws; it++) {
    const stats = sampler.transition(point);
    draws.set(point.q, it * n);
    acceptStat[it] = stats.acceptStat;
    treeDepth[it] = stats.treeDepth;
    nLeapfrog[it] = stats.nLeapfrog;
    divergent[it] = stats.divergent ? 1 : 0;
    energy[it] = stats.energy;
    if (onProgress && (o.warmup + it + 1) % progressEvery === 0) onProgress(o.warmup + it + 1);
  }
  onProgress?.(o.warmup + o.draws);
  return {
    dimension: n,
    draws,
    acceptStat,
    treeDepth,
    nLeapfrog,
    divergent,
    energy,
    stepSize: sampler.stepSize,
    inverseMetric: Float64Array.from(sampler.metric.inverse),
    warmupDivergences,
    gradientEvaluations,
  };
}

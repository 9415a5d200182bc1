import type { Rng } from '../../random.js';
import type { LogDensity } from './log-density.js';
import type { Metric } from './metric.js';

/** A point in phase space: position, momentum, and the log density and gradient at q. */
export interface PhasePoint {
  readonly q: Float64Array;
  readonly p: Float64Array;
  readonly grad: Float64Array;
  logp: number;
}

export function createPhasePoint(dimension: number): PhasePoint {
  return { q: new Float64Array(dimension), p: new Float64Array(dimension), grad: new Float64Array(dimension), logp: 0 };
}

function copyPoint(from: PhasePoint, to: PhasePoint): void {
  to.q.set(from.q);
  to.p.set(from.p);
  to.grad.set(from.grad);
  to.logp = from.logp;
}

function logSumExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** The generalized no-U-turn criterion (Betancourt 2017, A.4.2): true while the trajectory persists. */
function noUTurn(pSharpMinus: Float64Array, pSharpPlus: Float64Array, rho: Float64Array): boolean {
  return dot(pSharpPlus, rho) > 0 && dot(pSharpMinus, rho) > 0;
}

/** Per-transition statistics, as Stan reports them (`accept_stat__`, `treedepth__`, ...). */
export interface TransitionStats {
  acceptStat: number;
  treeDepth: number;
  nLeapfrog: number;
  divergent: boolean;
  /** The Hamiltonian at the selected point (`energy__`), for E-BFMI. */
  energy: number;
}

/**
 * Scratch arrays of one `buildTree` call that merges two subtrees. Only one call per depth
 * is active at a time (the two halves are built one after the other), so each depth owns
 * one workspace, allocated once: a transition then allocates nothing.
 */
interface SubtreeWorkspace {
  readonly pInitEnd: Float64Array;
  readonly pSharpInitEnd: Float64Array;
  readonly rhoInit: Float64Array;
  readonly zProposeFinal: PhasePoint;
  readonly pFinalBeg: Float64Array;
  readonly pSharpFinalBeg: Float64Array;
  readonly rhoFinal: Float64Array;
  readonly rhoSubtree: Float64Array;
  readonly logSumWeightInit: { value: number };
  readonly logSumWeightFinal: { value: number };
}

function createSubtreeWorkspace(n: number): SubtreeWorkspace {
  const array = () => new Float64Array(n);
  return {
    pInitEnd: array(),
    pSharpInitEnd: array(),
    rhoInit: array(),
    zProposeFinal: createPhasePoint(n),
    pFinalBeg: array(),
    pSharpFinalBeg: array(),
    rhoFinal: array(),
    rhoSubtree: array(),
    logSumWeightInit: { value: -Infinity },
    logSumWeightFinal: { value: -Infinity },
  };
}

/** Scratch state of one transition, allocated once per sampler. */
interface TransitionWorkspace {
  readonly zFwd: PhasePoint;
  readonly zBck: PhasePoint;
  readonly zSample: PhasePoint;
  readonly zPropose: PhasePoint;
  readonly pSharpFwdFwd: Float64Array;
  readonly pSharpFwdBck: Float64Array;
  readonly pSharpBckFwd: Float64Array;
  readonly pSharpBckBck: Float64Array;
  readonly pFwdFwd: Float64Array;
  readonly pFwdBck: Float64Array;
  readonly pBckFwd: Float64Array;
  readonly pBckBck: Float64Array;
  readonly rho: Float64Array;
  readonly rhoFwd: Float64Array;
  readonly rhoBck: Float64Array;
  readonly logSumWeightSubtree: { value: number };
}

function createTransitionWorkspace(n: number): TransitionWorkspace {
  const array = () => new Float64Array(n);
  return {
    zFwd: createPhasePoint(n),
    zBck: createPhasePoint(n),
    zSample: createPhasePoint(n),
    zPropose: createPhasePoint(n),
    pSharpFwdFwd: array(),
    pSharpFwdBck: array(),
    pSharpBckFwd: array(),
    pSharpBckBck: array(),
    pFwdFwd: array(),
    pFwdBck: array(),
    pBckFwd: array(),
    pBckBck: array(),
    rho: array(),
    rhoFwd: array(),
    rhoBck: array(),
    logSumWeightSubtree: { value: -Infinity },
  };
}

/** Stan's threshold: a leapfrog step whose energy error exceeds this is a divergence. */
const MAX_DELTA_H = 1000;

/**
 * The No-U-Turn sampler as Stan implements it (`base_nuts`): a trajectory doubled
 * forwards or backwards at random, points chosen by multinomial sampling weighted by
 * `exp(-H)` (progressively biased towards the newer subtree at the top level), and
 * expansion stopped by the generalized no-U-turn criterion on `rho`, the summed momenta
 * (Betancourt 2017, appendix A.4.2), checked also across the two halves of each merged
 * subtree (the extra checks Stan added in 2.23). Hoffman and Gelman (2014) for the
 * original algorithm.
 */
export class NutsSampler {
  stepSize = 1;
  maxDepth = 10;
  metric: Metric;
  private readonly density: LogDensity;
  private readonly rng: Rng;
  private readonly n: number;
  private readonly z: PhasePoint;
  private readonly velocityBuffer: Float64Array;
  /** Scratch of `mergedTreePersists`, which never runs inside another call of itself. */
  private readonly rhoExtended: Float64Array;
  private readonly workspace: TransitionWorkspace;
  private readonly subtreeWorkspaces: SubtreeWorkspace[] = [];
  private nLeapfrog = 0;
  private sumMetroProb = 0;
  private divergent = false;

  constructor(density: LogDensity, metric: Metric, rng: Rng) {
    this.density = density;
    this.metric = metric;
    this.rng = rng;
    this.n = density.dimension;
    this.z = createPhasePoint(this.n);
    this.velocityBuffer = new Float64Array(this.n);
    this.rhoExtended = new Float64Array(this.n);
    this.workspace = createTransitionWorkspace(this.n);
  }

  private subtreeWorkspace(depth: number): SubtreeWorkspace {
    while (this.subtreeWorkspaces.length <= depth) this.subtreeWorkspaces.push(createSubtreeWorkspace(this.n));
    return this.subtreeWorkspaces[depth];
  }

  hamiltonian(point: PhasePoint): number {
    const h = -point.logp + this.metric.kinetic(point.p);
    return Number.isNaN(h) ? Infinity : h;
  }

  /** One leapfrog step of size `epsilon` (Stan's `expl_leapfrog`), in place. */
  leapfrog(point: PhasePoint, epsilon: number): void {
    const { q, p, grad } = point;
    const half = 0.5 * epsilon;
    for (let i = 0; i < this.n; i++) p[i] += half * grad[i];
    this.metric.velocity(p, this.velocityBuffer);
    for (let i = 0; i < this.n; i++) q[i] += epsilon * this.velocityBuffer[i];
    point.logp = this.density.logDensityGradient(q, grad);
    if (!Number.isFinite(point.logp)) {
      point.logp = -Infinity;
      return;
    }
    for (let i = 0; i < this.n; i++) p[i] += half * grad[i];
  }

  /**
   * Stan's step-size initialization heuristic (`init_stepsize`, after Hoffman and Gelman
   * 2014, Algorithm 4): double or halve the step until the acceptance of one leapfrog
   * step crosses 0.8. `point` is left unchanged.
   */
  initStepSize(point: PhasePoint): void {
    if (!(this.stepSize > 0) || this.stepSize > 1e7) return;
    const z = this.z;
    const logTarget = Math.log(0.8);
    const trial = (): number => {
      copyPoint(point, z);
      this.metric.sampleMomentum(this.rng, z.p);
      const h0 = this.hamiltonian(z);
      this.leapfrog(z, this.stepSize);
      return h0 - this.hamiltonian(z);
    };
    const direction = trial() > logTarget ? 1 : -1;
    for (;;) {
      const deltaH = trial();
      if (direction === 1 && !(deltaH > logTarget)) break;
      if (direction === -1 && !(deltaH < logTarget)) break;
      this.stepSize = direction === 1 ? 2 * this.stepSize : 0.5 * this.stepSize;
      if (this.stepSize > 1e7) throw new Error('NutsSampler.initStepSize: the posterior seems improper (step size grew past 1e7)');
      if (this.stepSize === 0)
        throw new Error('NutsSampler.initStepSize: no acceptable step size (it fell to 0); the model may be misspecified');
    }
  }

  /**
   * Merges two adjacent subtrees, `first` then `second` in the direction of integration:
   * writes the merged tree's summed momenta into `rho`, and says whether it persists by
   * the no-U-turn criterion over the whole tree and the extra checks across its halves
   * (Stan PR #2800): a U-turn between the first half and the start of the second, and
   * between the end of the first and the second.
   */
  private mergedTreePersists(
    rho: Float64Array,
    rhoFirst: Float64Array,
    pSharpFirstBeg: Float64Array,
    pSharpFirstEnd: Float64Array,
    pFirstEnd: Float64Array,
    rhoSecond: Float64Array,
    pSharpSecondBeg: Float64Array,
    pSharpSecondEnd: Float64Array,
    pSecondBeg: Float64Array,
  ): boolean {
    const n = this.n;
    const rhoExtended = this.rhoExtended;
    for (let i = 0; i < n; i++) rho[i] = rhoFirst[i] + rhoSecond[i];
    let persist = noUTurn(pSharpFirstBeg, pSharpSecondEnd, rho);
    for (let i = 0; i < n; i++) rhoExtended[i] = rhoFirst[i] + pSecondBeg[i];
    persist = noUTurn(pSharpFirstBeg, pSharpSecondBeg, rhoExtended) && persist;
    for (let i = 0; i < n; i++) rhoExtended[i] = rhoSecond[i] + pFirstEnd[i];
    persist = noUTurn(pSharpFirstEnd, pSharpSecondEnd, rhoExtended) && persist;
    return persist;
  }

  /** Stan's `build_tree`: a subtree of 2^depth leapfrog steps from the current `z`. */
  private buildTree(
    depth: number,
    zPropose: PhasePoint,
    pSharpBeg: Float64Array,
    pSharpEnd: Float64Array,
    rho: Float64Array,
    pBeg: Float64Array,
    pEnd: Float64Array,
    h0: number,
    sign: number,
    logSumWeight: { value: number },
  ): boolean {
    const n = this.n;
    if (depth === 0) {
      const z = this.z;
      this.leapfrog(z, sign * this.stepSize);
      this.nLeapfrog++;
      const h = this.hamiltonian(z);
      if (h - h0 > MAX_DELTA_H) this.divergent = true;
      logSumWeight.value = logSumExp(logSumWeight.value, h0 - h);
      this.sumMetroProb += h0 - h > 0 ? 1 : Math.exp(h0 - h);
      copyPoint(z, zPropose);
      this.metric.velocity(z.p, pSharpBeg);
      pSharpEnd.set(pSharpBeg);
      for (let i = 0; i < n; i++) rho[i] += z.p[i];
      pBeg.set(z.p);
      pEnd.set(z.p);
      return !this.divergent;
    }

    // The first half of the subtree.
    const w = this.subtreeWorkspace(depth);
    const {
      pInitEnd,
      pSharpInitEnd,
      rhoInit,
      zProposeFinal,
      pFinalBeg,
      pSharpFinalBeg,
      rhoFinal,
      rhoSubtree,
      logSumWeightInit,
      logSumWeightFinal,
    } = w;
    logSumWeightInit.value = -Infinity;
    rhoInit.fill(0);
    if (!this.buildTree(depth - 1, zPropose, pSharpBeg, pSharpInitEnd, rhoInit, pBeg, pInitEnd, h0, sign, logSumWeightInit)) return false;

    // The second half.
    logSumWeightFinal.value = -Infinity;
    rhoFinal.fill(0);
    if (!this.buildTree(depth - 1, zProposeFinal, pSharpFinalBeg, pSharpEnd, rhoFinal, pFinalBeg, pEnd, h0, sign, logSumWeightFinal))
      return false;

    // Multinomial sample between the halves, uniform in their weights.
    const logSumWeightSubtree = logSumExp(logSumWeightInit.value, logSumWeightFinal.value);
    logSumWeight.value = logSumExp(logSumWeight.value, logSumWeightSubtree);
    if (logSumWeightFinal.value > logSumWeightSubtree) copyPoint(zProposeFinal, zPropose);
    else if (this.rng() < Math.exp(logSumWeightFinal.value - logSumWeightSubtree)) copyPoint(zProposeFinal, zPropose);

    const persist = this.mergedTreePersists(
      rhoSubtree,
      rhoInit,
      pSharpBeg,
      pSharpInitEnd,
      pInitEnd,
      rhoFinal,
      pSharpFinalBeg,
      pSharpEnd,
      pFinalBeg,
    );
    for (let i = 0; i < n; i++) rho[i] += rhoSubtree[i];
    return persist;
  }

  /** One NUTS transition from `point` (which must carry logp and grad); updates it in place. */
  transition(point: PhasePoint): TransitionStats {
    const z = this.z;
    copyPoint(point, z);
    this.metric.sampleMomentum(this.rng, z.p);
    const {
      zFwd,
      zBck,
      zSample,
      zPropose,
      pSharpFwdFwd,
      pSharpFwdBck,
      pSharpBckFwd,
      pSharpBckBck,
      pFwdFwd,
      pFwdBck,
      pBckFwd,
      pBckBck,
      rho,
      rhoFwd,
      rhoBck,
      logSumWeightSubtree,
    } = this.workspace;
    copyPoint(z, zFwd);
    copyPoint(z, zBck);
    copyPoint(z, zSample);
    copyPoint(z, zPropose);

    this.metric.velocity(z.p, pSharpFwdFwd);
    pSharpFwdBck.set(pSharpFwdFwd);
    pSharpBckFwd.set(pSharpFwdFwd);
    pSharpBckBck.set(pSharpFwdFwd);
    pFwdFwd.set(z.p);
    pFwdBck.set(z.p);
    pBckFwd.set(z.p);
    pBckBck.set(z.p);
    rho.set(z.p);

    // The initial point's weight is exp(H0 - H0) = 1.
    let logSumWeight = 0;
    const h0 = this.hamiltonian(z);
    this.nLeapfrog = 0;
    this.sumMetroProb = 0;
    this.divergent = false;
    let depth = 0;

    while (depth < this.maxDepth) {
      rhoFwd.fill(0);
      rhoBck.fill(0);
      let valid: boolean;
      logSumWeightSubtree.value = -Infinity;
      if (this.rng() > 0.5) {
        // Extend forwards: the old tree becomes the backward part, and its forward end
        // (the last subtree's outer end) the backward part's forward end.
        rhoBck.set(rho);
        pBckFwd.set(pFwdFwd);
        pSharpBckFwd.set(pSharpFwdFwd);
        copyPoint(zFwd, z);
        valid = this.buildTree(depth, zPropose, pSharpFwdBck, pSharpFwdFwd, rhoFwd, pFwdBck, pFwdFwd, h0, 1, logSumWeightSubtree);
        copyPoint(z, zFwd);
      } else {
        // Extend backwards: the old tree becomes the forward part, its backward end the
        // forward part's backward end.
        rhoFwd.set(rho);
        pFwdBck.set(pBckBck);
        pSharpFwdBck.set(pSharpBckBck);
        copyPoint(zBck, z);
        valid = this.buildTree(depth, zPropose, pSharpBckFwd, pSharpBckBck, rhoBck, pBckFwd, pBckBck, h0, -1, logSumWeightSubtree);
        copyPoint(z, zBck);
      }
      if (!valid) break;
      depth++;
      // Biased progressive sampling at the top level (Betancourt 2017, A.3.2).
      if (logSumWeightSubtree.value > logSumWeight) copyPoint(zPropose, zSample);
      else if (this.rng() < Math.exp(logSumWeightSubtree.value - logSumWeight)) copyPoint(zPropose, zSample);
      logSumWeight = logSumExp(logSumWeight, logSumWeightSubtree.value);

      if (!this.mergedTreePersists(rho, rhoBck, pSharpBckBck, pSharpBckFwd, pBckFwd, rhoFwd, pSharpFwdBck, pSharpFwdFwd, pFwdBck)) break;
    }

    copyPoint(zSample, point);
    return {
      acceptStat: this.nLeapfrog > 0 ? this.sumMetroProb / this.nLeapfrog : 0,
      treeDepth: depth,
      nLeapfrog: this.nLeapfrog,
      divergent: this.divergent,
      energy: this.hamiltonian(point),
    };
  }
}

/**
 * The sampler's trajectories against a plain reference of Stan's NUTS transition
 * (`base_nuts`): the same leapfrog steps, doublings, multinomial choices and no-U-turn
 * checks, written recursively with fresh arrays and named by what they mean (the
 * trajectory's outer ends, a subtree's inner and outer ends) instead of reused buffers.
 * Fed the same random numbers, both must make the same trajectory at every transition.
 *
 * The checks that matter here are the two extra ones at each merge (Stan 2.23): a U-turn
 * between the old trajectory and the start of the new subtree, and between the old
 * trajectory's end where the subtree joins it and the whole subtree.
 */
import { describe, expect, it } from 'vitest';
import type { LogDensity } from '../../src/analysis/sampler/log-density.js';
import type { Metric } from '../../src/analysis/sampler/metric.js';
import { createDenseMetric, createDiagMetric } from '../../src/analysis/sampler/metric.js';
import type { PhasePoint, TransitionStats } from '../../src/analysis/sampler/nuts.js';
import { createPhasePoint, NutsSampler } from '../../src/analysis/sampler/nuts.js';
import type { Rng } from '../../src/random.js';
import { deriveRng } from '../../src/random.js';

const clone = (z: PhasePoint): PhasePoint => ({
  q: Float64Array.from(z.q),
  p: Float64Array.from(z.p),
  grad: Float64Array.from(z.grad),
  logp: z.logp,
});
const sum = (a: Float64Array, b: Float64Array): Float64Array => a.map((v, i) => v + b[i]);
const dot = (a: Float64Array, b: Float64Array): number => a.reduce((s, v, i) => s + v * b[i], 0);
const logSumExp = (a: number, b: number): number =>
  a === -Infinity ? b : b === -Infinity ? a : a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));

/** A subtree: momenta at its inner end (where it joins what came before) and outer end. */
interface Subtree {
  readonly valid: boolean;
  readonly pInner: Float64Array;
  readonly pOuter: Float64Array;
  readonly rho: Float64Array;
  readonly logWeight: number;
  readonly propose: PhasePoint;
}

/** One transition by the reference; the leapfrog and the Hamiltonian are the sampler's. */
function referenceTransition(sampler: NutsSampler, metric: Metric, rng: Rng, start: PhasePoint): TransitionStats & { q: Float64Array } {
  const sharp = (p: Float64Array) => {
    const out = new Float64Array(p.length);
    metric.velocity(p, out);
    return out;
  };
  const persists = (pMinus: Float64Array, pPlus: Float64Array, rho: Float64Array) =>
    dot(sharp(pPlus), rho) > 0 && dot(sharp(pMinus), rho) > 0;
  const z0 = clone(start);
  metric.sampleMomentum(rng, z0.p);
  const h0 = sampler.hamiltonian(z0);
  let nLeapfrog = 0;
  let sumMetroProb = 0;
  let divergent = false;

  // Builds 2^depth steps from z (moved along), in the direction of integration.
  const build = (z: PhasePoint, depth: number, sign: number): Subtree | undefined => {
    if (depth === 0) {
      sampler.leapfrog(z, sign * sampler.stepSize);
      nLeapfrog++;
      const h = sampler.hamiltonian(z);
      if (h - h0 > 1000) divergent = true;
      sumMetroProb += h0 - h > 0 ? 1 : Math.exp(h0 - h);
      if (divergent) return undefined;
      return {
        valid: true,
        pInner: Float64Array.from(z.p),
        pOuter: Float64Array.from(z.p),
        rho: Float64Array.from(z.p),
        logWeight: h0 - h,
        propose: clone(z),
      };
    }
    const first = build(z, depth - 1, sign);
    if (!first?.valid) return undefined;
    const second = build(z, depth - 1, sign);
    if (!second?.valid) return undefined;
    const logWeight = logSumExp(first.logWeight, second.logWeight);
    const takeSecond = second.logWeight > logWeight || rng() < Math.exp(second.logWeight - logWeight);
    const rho = sum(first.rho, second.rho);
    const valid =
      persists(first.pInner, second.pOuter, rho) &&
      persists(first.pInner, second.pInner, sum(first.rho, second.pInner)) &&
      persists(first.pOuter, second.pOuter, sum(second.rho, first.pOuter));
    return { valid, pInner: first.pInner, pOuter: second.pOuter, rho, logWeight, propose: takeSecond ? second.propose : first.propose };
  };

  // The trajectory: its two outer points, the momenta there, and the summed momenta.
  let forwardEnd = clone(z0);
  let backwardEnd = clone(z0);
  let sample = clone(z0);
  let rho: Float64Array = Float64Array.from(z0.p);
  let logWeight = 0;
  let depth = 0;
  while (depth < sampler.maxDepth) {
    const forward = rng() > 0.5;
    const z = clone(forward ? forwardEnd : backwardEnd);
    const subtree = build(z, depth, forward ? 1 : -1);
    if (!subtree?.valid) break;
    depth++;
    if (subtree.logWeight > logWeight || rng() < Math.exp(subtree.logWeight - logWeight)) sample = subtree.propose;
    logWeight = logSumExp(logWeight, subtree.logWeight);
    // The merged trajectory, backward part then forward part; the old one joins the subtree
    // at its own outer end on that side.
    const [bck, fwd] = forward
      ? [
          { rho, pBeg: backwardEnd.p, pEnd: forwardEnd.p },
          { rho: subtree.rho, pBeg: subtree.pInner, pEnd: subtree.pOuter },
        ]
      : [
          { rho: subtree.rho, pBeg: subtree.pOuter, pEnd: subtree.pInner },
          { rho, pBeg: backwardEnd.p, pEnd: forwardEnd.p },
        ];
    rho = sum(bck.rho, fwd.rho);
    const persist =
      persists(bck.pBeg, fwd.pEnd, rho) &&
      persists(bck.pBeg, fwd.pBeg, sum(bck.rho, fwd.pBeg)) &&
      persists(bck.pEnd, fwd.pEnd, sum(fwd.rho, bck.pEnd));
    if (forward) forwardEnd = z;
    else backwardEnd = z;
    if (!persist) break;
  }
  return { q: sample.q, acceptStat: sumMetroProb / nLeapfrog, treeDepth: depth, nLeapfrog, divergent, energy: sampler.hamiltonian(sample) };
}

/** A 6-dimensional normal with unequal scales and correlated pairs: trajectories of 2 to 64 steps. */
const SCALES = [1, 3, 0.5, 8, 2, 1];
const RHO = 0.9;
const normal: LogDensity = {
  dimension: 6,
  logDensityGradient(q, grad) {
    let lp = 0;
    for (let k = 0; k < 6; k += 2) {
      const [x, y] = [q[k] / SCALES[k], q[k + 1] / SCALES[k + 1]];
      const c = 1 / (1 - RHO * RHO);
      lp -= 0.5 * c * (x * x - 2 * RHO * x * y + y * y);
      grad[k] = (-c * (x - RHO * y)) / SCALES[k];
      grad[k + 1] = (-c * (y - RHO * x)) / SCALES[k + 1];
    }
    return lp;
  },
};

describe('NUTS trajectories', () => {
  const metrics: Record<string, Metric> = {
    diagonal: createDiagMetric(Float64Array.from([1, 4, 0.5, 30, 2, 1])),
    // Pairs correlated as the density's are, so the dense metric's momenta are correlated too.
    dense: createDenseMetric(
      Float64Array.from([
        1, 2.4, 0, 0, 0, 0, 2.4, 9, 0, 0, 0, 0, 0, 0, 0.25, 3, 0, 0, 0, 0, 3, 64, 0, 0, 0, 0, 0, 0, 4, 1.5, 0, 0, 0, 0, 1.5, 1,
      ]),
      6,
    ),
  };
  for (const [name, metric] of Object.entries(metrics)) {
    it(`match a plain reference of Stan's transition, step for step (${name} metric)`, () => {
      const ours = new NutsSampler(normal, metric, deriveRng(3, 'ours'));
      const reference = new NutsSampler(normal, metric, deriveRng(0, 'unused'));
      const referenceRng = deriveRng(3, 'ours');
      for (const sampler of [ours, reference]) sampler.stepSize = 0.35;
      const point = createPhasePoint(6);
      point.q.set([0.5, -1, 0.2, 3, -2, 0.4]);
      point.logp = normal.logDensityGradient(point.q, point.grad);
      const depths = new Set<number>();
      for (let t = 0; t < 400; t++) {
        const start = clone(point);
        const expected = referenceTransition(reference, metric, referenceRng, start);
        const stats = ours.transition(point);
        expect({ t, ...stats }).toEqual({
          t,
          acceptStat: expected.acceptStat,
          treeDepth: expected.treeDepth,
          nLeapfrog: expected.nLeapfrog,
          divergent: expected.divergent,
          energy: expected.energy,
        });
        expect(point.q).toEqual(expected.q);
        depths.add(stats.treeDepth);
      }
      // The test covers short and long trajectories.
      expect(Math.min(...depths)).toBeLessThanOrEqual(2);
      expect(Math.max(...depths)).toBeGreaterThanOrEqual(4);
    });
  }
});

import type { PlanModel } from './prepare-plan-model.js';
import type { PlannedStudy } from './simulate-planned-study.js';

/** Each district's effect as the data alone say it: a normal likelihood for `theta[d]`. */
export interface DistrictEffects {
  /** Mode of `theta[d]` with every other parameter at its joint mode. */
  readonly estimate: Float64Array;
  /** Its variance (inverse negative Hessian, every other parameter integrated out). */
  readonly variance: Float64Array;
  /** Dispersion at the mode. */
  readonly phi: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * A very weak prior on each `theta[d]` (sd 10) so a district with one arm only still has
 * a finite curvature; it is divided out of the result, so the pooling step sees the
 * likelihood alone.
 */
const THETA_PRIOR_PRECISION = 0.01;
const MAX_ITERATIONS = 60;

/**
 * The standard absence model with a free `theta[d]` per district (no pooling), fitted by
 * Newton's method on the group sums: the same likelihood and priors for the block
 * intercepts, the baseline slope and shift and the dispersion as docs/model.md (alpha
 * Normal(-3, 2), gamma and delta Normal(0, 1), phi Gamma(0.01, 0.01) on log phi with its
 * Jacobian), with `log(Gamma(y + phi) / Gamma(phi))` as the finite sum over
 * `countAbove`. The negative Hessian is an arrow: each block intercept touches only its
 * district's theta and the three shared parameters, so a Newton step eliminates the
 * intercepts, then the thetas, and solves a 3 x 3 system: O(groups) per step. The
 * returned variances are the thetas' marginal ones from that Hessian (a Laplace
 * approximation; Gelman et al. 2013, BDA3 sec. 13.3).
 */
export function fitDistrictEffects(model: PlanModel, study: PlannedStudy): DistrictEffects {
  const { design } = model;
  const K = design.blocks.length;
  const D = design.districts.length;
  const G2 = study.groupAbsences.length;
  const logE = Math.log(design.windowDays);
  const N = design.students;
  const { hasGamma, hasDelta } = model;

  // Start: block rates and district rate ratios from the raw sums, dispersion from the assumption.
  const alpha = new Float64Array(K);
  const theta = new Float64Array(D);
  const blockY = new Float64Array(K);
  const blockW = new Float64Array(K);
  const armY = new Float64Array(2 * D);
  const armW = new Float64Array(2 * D);
  for (let slot = 0; slot < G2; slot++) {
    const k = model.groupBlock[slot >> 1];
    const d = design.blockDistrict[k];
    blockY[k] += study.groupAbsences[slot];
    blockW[k] += study.groupStudents[slot];
    armY[2 * d + (slot & 1)] += study.groupAbsences[slot];
    armW[2 * d + (slot & 1)] += study.groupStudents[slot];
  }
  for (let k = 0; k < K; k++) alpha[k] = Math.log((blockY[k] + 0.5) / ((blockW[k] + 1) * design.windowDays));
  for (let d = 0; d < D; d++)
    theta[d] = Math.log((armY[2 * d + 1] + 0.5) / (armW[2 * d + 1] + 1) / ((armY[2 * d] + 0.5) / (armW[2 * d] + 1)));
  const shared = new Float64Array([0, 0, Math.log(model.assumptions.phi)]); // gamma, delta, log phi

  // The groups with students in this study, in flat arrays for the loop below.
  let slots = 0;
  for (let slot = 0; slot < G2; slot++) if (study.groupStudents[slot] > 0) slots++;
  const slotBlock = new Int32Array(slots);
  const slotDistrict = new Int32Array(slots);
  const slotTreated = new Uint8Array(slots);
  const slotZ = new Float64Array(slots);
  const slotMissing = new Float64Array(slots);
  const slotY = new Float64Array(slots);
  const slotW = new Float64Array(slots);
  for (let slot = 0, j = 0; slot < G2; slot++) {
    if (study.groupStudents[slot] === 0) continue;
    const g = slot >> 1;
    slotBlock[j] = model.groupBlock[g];
    slotDistrict[j] = design.blockDistrict[slotBlock[j]];
    slotTreated[j] = slot & 1;
    slotZ[j] = model.groupZ[g];
    slotMissing[j] = model.groupMissing[g];
    slotY[j] = study.groupAbsences[slot];
    slotW[j] = study.groupStudents[slot];
    j++;
  }

  // Arrow-shaped negative Hessian and gradient.
  const gA = new Float64Array(K);
  const pAA = new Float64Array(K);
  const pAT = new Float64Array(K);
  const pAS = new Float64Array(3 * K);
  const gT = new Float64Array(D);
  const pTT = new Float64Array(D);
  const pTS = new Float64Array(3 * D);
  const gS = new Float64Array(3);
  const pSS = new Float64Array(9);

  const logPosterior = (a: Float64Array, t: Float64Array, s: Float64Array, withDerivatives: boolean): number => {
    const [gamma, delta, logPhi] = s;
    const phi = Math.exp(logPhi);
    if (withDerivatives) {
      gA.fill(0);
      pAA.fill(0);
      pAT.fill(0);
      pAS.fill(0);
      gT.fill(0);
      pTT.fill(0);
      pTS.fill(0);
      gS.fill(0);
      pSS.fill(0);
    }
    let lp = 0;
    let dPhi = 0; // d lp / d phi
    let dPhi2 = 0; // d2 lp / d phi2
    for (let j = 0; j < slots; j++) {
      const w = slotW[j];
      const treated = slotTreated[j];
      const k = slotBlock[j];
      const d = slotDistrict[j];
      const z = slotZ[j];
      const m = slotMissing[j];
      const y = slotY[j];
      const eta = logE + a[k] + gamma * z + delta * m + (treated ? t[d] : 0);
      const mu = Math.exp(eta);
      const r = mu + phi;
      const total = y + w * phi;
      lp += y * eta - total * Math.log(r);
      if (!withDerivatives) continue;
      const grad = (phi * (y - w * mu)) / r;
      const h = (total * phi * mu) / (r * r); // minus d2 lp / d eta2: always > 0
      const cross = -(phi * (y - w * mu) * mu) / (r * r); // minus d2 lp / (d eta d log phi)
      dPhi -= w * Math.log(r) + total / r;
      dPhi2 -= (2 * w) / r - total / (r * r);
      gA[k] += grad;
      pAA[k] += h;
      pAS[3 * k] += h * z;
      pAS[3 * k + 1] += h * m;
      pAS[3 * k + 2] += cross;
      if (treated) {
        gT[d] += grad;
        pTT[d] += h;
        pAT[k] += h;
        pTS[3 * d] += h * z;
        pTS[3 * d + 1] += h * m;
        pTS[3 * d + 2] += cross;
      }
      gS[0] += grad * z;
      gS[1] += grad * m;
      pSS[0] += h * z * z;
      pSS[1] += h * z * m;
      pSS[4] += h * m * m;
      pSS[2] += cross * z;
      pSS[5] += cross * m;
    }
    // Terms of phi alone: N phi log phi + sum_j countAbove[j] log(phi + j).
    lp += N * phi * logPhi;
    dPhi += N * (logPhi + 1);
    dPhi2 += N / phi;
    for (let j = 0; j < study.countAbove.length; j++) {
      const c = study.countAbove[j];
      lp += c * Math.log(phi + j);
      if (withDerivatives) {
        dPhi += c / (phi + j);
        dPhi2 -= c / ((phi + j) * (phi + j));
      }
    }
    // Priors (docs/model.md); theta's is the weak one divided out at the end.
    for (let k = 0; k < K; k++) lp -= (a[k] + 3) ** 2 / 8;
    for (let d = 0; d < D; d++) lp -= 0.5 * THETA_PRIOR_PRECISION * t[d] * t[d];
    if (hasGamma) lp -= 0.5 * gamma * gamma;
    if (hasDelta) lp -= 0.5 * delta * delta;
    lp += 0.01 * logPhi - 0.01 * phi; // Gamma(0.01, 0.01) on phi, with the Jacobian of log phi
    if (withDerivatives) {
      for (let k = 0; k < K; k++) {
        gA[k] -= (a[k] + 3) / 4;
        pAA[k] += 1 / 4;
      }
      for (let d = 0; d < D; d++) {
        gT[d] -= THETA_PRIOR_PRECISION * t[d];
        pTT[d] += THETA_PRIOR_PRECISION;
      }
      gS[0] -= hasGamma ? gamma : 0;
      pSS[0] += 1;
      gS[1] -= hasDelta ? delta : 0;
      pSS[4] += 1;
      gS[2] = phi * dPhi + 0.01 - 0.01 * phi;
      pSS[8] = -(phi * phi * dPhi2 + phi * dPhi) + 0.01 * phi;
      if (!hasGamma) zeroShared(0);
      if (!hasDelta) zeroShared(1);
      pSS[3] = pSS[1];
      pSS[6] = pSS[2];
      pSS[7] = pSS[5];
    }
    return lp;
  };
  /** A parameter the model drops: fixed at 0 by a unit curvature and no gradient. */
  const zeroShared = (j: number) => {
    gS[j] = 0;
    for (let i = 0; i < 3; i++) if (i !== j) pSS[3 * j + i] = pSS[3 * i + j] = 0;
    pSS[4 * j] = 1;
    for (let k = 0; k < K; k++) pAS[3 * k + j] = 0;
    for (let d = 0; d < D; d++) pTS[3 * d + j] = 0;
  };

  // Reduced (Schur) system after eliminating the intercepts: thetas diagonal + 3 shared.
  const sTT = new Float64Array(D);
  const sTS = new Float64Array(3 * D);
  const reduce = (): Float64Array => {
    sTT.set(pTT);
    sTS.set(pTS);
    const sSS = Float64Array.from(pSS);
    for (let k = 0; k < K; k++) {
      const d = design.blockDistrict[k];
      const inv = 1 / pAA[k];
      sTT[d] -= pAT[k] * pAT[k] * inv;
      for (let i = 0; i < 3; i++) {
        sTS[3 * d + i] -= pAT[k] * pAS[3 * k + i] * inv;
        for (let j = 0; j < 3; j++) sSS[3 * i + j] -= pAS[3 * k + i] * pAS[3 * k + j] * inv;
      }
    }
    // Eliminate the thetas: G = S_SS - S_ST S_TT^-1 S_TS (3 x 3).
    for (let d = 0; d < D; d++) {
      const inv = 1 / sTT[d];
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) sSS[3 * i + j] -= sTS[3 * d + i] * sTS[3 * d + j] * inv;
    }
    return sSS;
  };

  const stepA = new Float64Array(K);
  const stepT = new Float64Array(D);
  const nextA = new Float64Array(K);
  const nextT = new Float64Array(D);
  const nextS = new Float64Array(3);
  let lp = logPosterior(alpha, theta, shared, true);
  let converged = false;
  let iterations = 0;
  for (; iterations < MAX_ITERATIONS && !converged; iterations++) {
    const g = reduce();
    // Right-hand sides with the intercepts, then the thetas, eliminated.
    const rT = Float64Array.from(gT);
    const rS = Float64Array.from(gS);
    for (let k = 0; k < K; k++) {
      const d = design.blockDistrict[k];
      const ratio = gA[k] / pAA[k];
      rT[d] -= pAT[k] * ratio;
      for (let i = 0; i < 3; i++) rS[i] -= pAS[3 * k + i] * ratio;
    }
    for (let d = 0; d < D; d++) for (let i = 0; i < 3; i++) rS[i] -= (sTS[3 * d + i] * rT[d]) / sTT[d];
    const stepS = solveDamped3(g, rS);
    for (let d = 0; d < D; d++) stepT[d] = (rT[d] - sTS[3 * d] * stepS[0] - sTS[3 * d + 1] * stepS[1] - sTS[3 * d + 2] * stepS[2]) / sTT[d];
    for (let k = 0; k < K; k++) {
      const d = design.blockDistrict[k];
      stepA[k] = (gA[k] - pAT[k] * stepT[d] - pAS[3 * k] * stepS[0] - pAS[3 * k + 1] * stepS[1] - pAS[3 * k + 2] * stepS[2]) / pAA[k];
    }
    // Backtracking: halve the step until the log posterior does not fall.
    let scale = 1;
    let accepted = false;
    for (let halving = 0; halving < 30; halving++, scale /= 2) {
      for (let k = 0; k < K; k++) nextA[k] = alpha[k] + scale * stepA[k];
      for (let d = 0; d < D; d++) nextT[d] = theta[d] + scale * stepT[d];
      for (let i = 0; i < 3; i++) nextS[i] = shared[i] + scale * stepS[i];
      const nextLp = logPosterior(nextA, nextT, nextS, true);
      if (Number.isFinite(nextLp) && nextLp >= lp - 1e-9 * Math.abs(lp)) {
        let largest = 0;
        for (let k = 0; k < K; k++) largest = Math.max(largest, Math.abs(scale * stepA[k]));
        for (let d = 0; d < D; d++) largest = Math.max(largest, Math.abs(scale * stepT[d]));
        for (let i = 0; i < 3; i++) largest = Math.max(largest, Math.abs(scale * stepS[i]));
        alpha.set(nextA);
        theta.set(nextT);
        shared.set(nextS);
        lp = nextLp;
        // Newton's steps shrink quadratically: one of 1e-6 leaves an error far below 1e-6.
        converged = scale === 1 && largest < 1e-6;
        accepted = true;
        break;
      }
    }
    if (!accepted) {
      // No step up from here: the mode, to rounding. Curvature at the current point again.
      logPosterior(alpha, theta, shared, true);
      converged = true;
      break;
    }
  }

  // Marginal variance of each theta: (S^-1)_dd = 1/sTT + (row d of sTS / sTT) G^-1 (same)'.
  const g = reduce();
  const gInverse = invert3(g);
  const estimate = new Float64Array(D);
  const variance = new Float64Array(D);
  for (let d = 0; d < D; d++) {
    const b = [sTS[3 * d] / sTT[d], sTS[3 * d + 1] / sTT[d], sTS[3 * d + 2] / sTT[d]];
    let quad = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) quad += b[i] * gInverse[3 * i + j] * b[j];
    const posteriorVariance = 1 / sTT[d] + quad;
    // Divide the weak theta prior out: what is left is the likelihood's normal.
    const precision = Math.max(1 / posteriorVariance - THETA_PRIOR_PRECISION, 1e-12);
    variance[d] = 1 / precision;
    estimate[d] = theta[d] / posteriorVariance / precision;
  }
  return { estimate, variance, phi: Math.exp(shared[2]), iterations, converged };
}

/** Solves the 3 x 3 system g x = r, adding to the diagonal until g is positive definite. */
function solveDamped3(g: Float64Array, r: Float64Array): Float64Array {
  let damping = 0;
  const scale = Math.max(Math.abs(g[0]), Math.abs(g[4]), Math.abs(g[8]), 1e-8);
  for (let attempt = 0; attempt < 40; attempt++) {
    const m = Float64Array.from(g);
    m[0] += damping;
    m[4] += damping;
    m[8] += damping;
    const l = cholesky3(m);
    if (l) return choleskySolve3(l, r);
    damping = damping === 0 ? 1e-6 * scale : damping * 10;
  }
  return new Float64Array(3);
}

function cholesky3(m: Float64Array): Float64Array | undefined {
  const l = new Float64Array(9);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j <= i; j++) {
      let s = m[3 * i + j];
      for (let k = 0; k < j; k++) s -= l[3 * i + k] * l[3 * j + k];
      if (i === j) {
        if (!(s > 0)) return undefined;
        l[3 * i + i] = Math.sqrt(s);
      } else l[3 * i + j] = s / l[3 * j + j];
    }
  }
  return l;
}

function choleskySolve3(l: Float64Array, r: Float64Array): Float64Array {
  const y = new Float64Array(3);
  for (let i = 0; i < 3; i++) {
    let s = r[i];
    for (let k = 0; k < i; k++) s -= l[3 * i + k] * y[k];
    y[i] = s / l[3 * i + i];
  }
  const x = new Float64Array(3);
  for (let i = 2; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < 3; k++) s -= l[3 * k + i] * x[k];
    x[i] = s / l[3 * i + i];
  }
  return x;
}

function invert3(g: Float64Array): Float64Array {
  const inverse = new Float64Array(9);
  for (let j = 0; j < 3; j++) {
    const column = solveDamped3(
      g,
      Float64Array.from([0, 1, 2], (i) => (i === j ? 1 : 0)),
    );
    for (let i = 0; i < 3; i++) inverse[3 * i + j] = column[i];
  }
  return inverse;
}

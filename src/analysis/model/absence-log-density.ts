import type { LogDensity } from '../sampler/log-density.js';
import type { AbsenceModelData } from './absence-model-data.js';
import { withDistrictCoordinates } from './district-coordinates.js';
import { householdZ } from './household-coordinates.js';
import { addHouseholdPrior } from './household-effect.js';
import { createLikelihoodGroups } from './likelihood-groups.js';
import type { ParameterLayout } from './parameter-layout.js';
import { parameterLayout } from './parameter-layout.js';

// Priors of the standard absence model (docs/model.md, "Priors").
const ALPHA_MEAN = -3;
const ALPHA_SD = 2;
const PHI_SHAPE = 0.01;
const PHI_RATE = 0.01;
const TAU_SCALE = 0.1;

/** The model's log density with its layout, so callers can name the coordinates. */
export interface AbsenceLogDensity extends LogDensity {
  readonly layout: ParameterLayout;
}

/**
 * The standard absence model's log posterior density (up to a constant) on the
 * unconstrained scale, with its analytic gradient:
 *
 *     y ~ NegBinomial2(mu, phi),  log mu = log e + alpha[k] + gamma z + delta m + theta[d] T
 *
 * `phi` enters as `log phi` and, in a network, `tau` as `log tau`, each with its log
 * Jacobian, as Stan does for `<lower=0>` parameters; `theta[d] = mu_theta + tau eta[d]`
 * (non-centered, Betancourt and Girolami 2015). The `lgamma(y + phi) - lgamma(phi)`
 * terms and their digamma derivatives are exact finite sums over `countAbove`, so one
 * evaluation costs O(groups + cells + max y) with no allocation. The loop over groups,
 * most of the cost, runs in WebAssembly (likelihood-groups.ts). With `data.household`, each
 * cell's predictor also has `sigma_household z_household[h]` (household-effect.ts).
 */
export function createAbsenceLogDensity(data: AbsenceModelData): AbsenceLogDensity {
  const layout = parameterLayout(data);
  const nCells = data.cellBlock.length;
  const nZ = data.zValues.length;
  const { cellBlock, cellDistrict, cellTreat, cellMissing, cellY, zValues, countAbove, sumYZ, n } = data;
  const groups = createLikelihoodGroups(data);
  const { cellRate, cellGradient, zRate } = groups;
  const theta = new Float64Array(data.nDistricts);
  const thetaGradient = new Float64Array(data.nDistricts);
  const maxY = countAbove.length;
  const { alpha: iAlpha, gamma: iGamma, delta: iDelta, logPhi: iLogPhi, effect: iEffect, logTau: iLogTau, eta: iEta } = layout;
  const priorMean = data.effectPrior.mean;
  const priorSd = data.effectPrior.sd;
  const nDistricts = data.nDistricts;
  // With a household effect each cell lies in one household (household-effect.ts).
  const household = data.household;
  const householdGradient = new Float64Array(household?.nHouseholds ?? 0);
  const zHousehold = new Float64Array(household?.nHouseholds ?? 0);
  const dzdv = new Float64Array(household?.shift ? household.nHouseholds : 0);

  function logDensityGradient(q: Float64Array, grad: Float64Array): number {
    grad.fill(0);
    const gamma = iGamma >= 0 ? q[iGamma] : 0;
    const delta = iDelta >= 0 ? q[iDelta] : 0;
    const logPhi = q[iLogPhi];
    const phi = Math.exp(logPhi);
    let lp = 0;

    // Effects by district: one theta, or mu_theta + tau * eta[d].
    let tau = 0;
    if (data.network) {
      tau = Math.exp(q[iLogTau]);
      for (let d = 0; d < nDistricts; d++) theta[d] = q[iEffect] + tau * q[iEta + d];
    } else theta[0] = q[iEffect];
    const sigmaHousehold = household ? Math.exp(q[layout.logSigmaHousehold]) : 0;
    if (household) householdZ(data, layout, q, 0, zHousehold, dzdv);

    for (let c = 0; c < nCells; c++) {
      let eta = q[iAlpha + cellBlock[c]];
      if (cellMissing[c] === 1) eta += delta;
      if (cellTreat[c] === 1) eta += theta[cellDistrict[c]];
      if (household && household.cellHousehold[c] >= 0) eta += sigmaHousehold * zHousehold[household.cellHousehold[c]];
      cellRate[c] = Math.exp(eta);
      cellGradient[c] = cellY[c];
      lp += cellY[c] * eta; // the y log mu term, less the constant y log e
    }
    if (iGamma >= 0) {
      for (let j = 0; j < nZ; j++) zRate[j] = Math.exp(gamma * zValues[j]);
      lp += gamma * sumYZ;
    }

    // NB2 per student: phi log phi - (y + phi) log(mu + phi), and d/d(log mu) =
    // y - (y + phi) mu / (mu + phi); a group of W students with summed Y shares mu.
    lp += groups.sum(phi);
    const gradGamma = iGamma >= 0 ? sumYZ + groups.gradGamma : 0;
    let dPhi = groups.dPhi;
    lp += n * phi * logPhi;
    dPhi += n * (logPhi + 1);
    for (let j = 0; j < maxY; j++) {
      const count = countAbove[j];
      lp += count * Math.log(phi + j);
      dPhi += count / (phi + j);
    }

    // Chain rule from cells to parameters.
    thetaGradient.fill(0);
    let gradDelta = 0;
    householdGradient.fill(0);
    for (let c = 0; c < nCells; c++) {
      const gc = cellGradient[c];
      grad[iAlpha + cellBlock[c]] += gc;
      if (cellMissing[c] === 1) gradDelta += gc;
      if (cellTreat[c] === 1) thetaGradient[cellDistrict[c]] += gc;
      if (household && household.cellHousehold[c] >= 0) householdGradient[household.cellHousehold[c]] += gc;
    }
    if (household) {
      lp += addHouseholdPrior(q[layout.logSigmaHousehold], zHousehold, grad, layout, household.sigmaScale, householdGradient);
      // The sampler's coordinates are shifted by a function of log sigma: chain rule.
      if (household.shift) {
        let dv = 0;
        for (let h = 0; h < dzdv.length; h++) dv += grad[layout.zHousehold + h] * dzdv[h];
        grad[layout.logSigmaHousehold] += dv;
      }
    }

    // Priors, and the Jacobians of the log transforms.
    for (let k = 0; k < data.nBlocks; k++) {
      const a = q[iAlpha + k];
      const s = (a - ALPHA_MEAN) / ALPHA_SD;
      lp -= 0.5 * s * s;
      grad[iAlpha + k] -= s / ALPHA_SD;
    }
    if (iGamma >= 0) {
      lp -= 0.5 * gamma * gamma;
      grad[iGamma] = gradGamma - gamma;
    }
    if (iDelta >= 0) {
      lp -= 0.5 * delta * delta;
      grad[iDelta] = gradDelta - delta;
    }
    // Gamma(a, b) on phi with phi = exp(u): (a - 1) u - b phi + u (Jacobian).
    lp += PHI_SHAPE * logPhi - PHI_RATE * phi;
    grad[iLogPhi] = dPhi * phi + PHI_SHAPE - PHI_RATE * phi;

    const effect = q[iEffect];
    const se = (effect - priorMean) / priorSd;
    lp -= 0.5 * se * se;
    if (data.network) {
      let sumTheta = 0;
      let sumThetaEta = 0;
      for (let d = 0; d < nDistricts; d++) {
        const eta = q[iEta + d];
        const gt = thetaGradient[d];
        sumTheta += gt;
        sumThetaEta += gt * eta;
        lp -= 0.5 * eta * eta;
        grad[iEta + d] = tau * gt - eta;
      }
      grad[iEffect] = sumTheta - se / priorSd;
      // HalfNormal(0, 0.1) on tau = exp(v): -tau^2 / (2 s^2) + v (Jacobian).
      const st = tau / TAU_SCALE;
      lp += -0.5 * st * st + q[iLogTau];
      grad[iLogTau] = tau * sumThetaEta - st * st + 1;
    } else {
      grad[iEffect] = thetaGradient[0] - se / priorSd;
    }
    return Number.isFinite(lp) ? lp : -Infinity;
  }

  const density = { dimension: layout.dimension, layout, logDensityGradient };
  return data.districtShift ? withDistrictCoordinates(density, data.districtShift) : density;
}

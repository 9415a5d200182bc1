import type { LogDensity } from '../sampler/log-density.js';
import { createLikelihoodGroups } from './likelihood-groups.js';
import type { ParameterLayout } from './parameter-layout.js';
import { parameterLayout } from './parameter-layout.js';
import type { SubgroupModelData } from './subgroup-model-data.js';

// Priors shared with the standard absence model (docs/model.md, "Priors").
const ALPHA_MEAN = -3;
const ALPHA_SD = 2;
const PHI_SHAPE = 0.01;
const PHI_RATE = 0.01;
const TAU_SCALE = 0.1;

/**
 * Where the subgroup model's parameters sit: the standard model's layout, then
 * `log tau_g` for each factor, then `z[l]` for every level of every factor.
 */
export interface SubgroupParameterLayout extends ParameterLayout {
  readonly logSubgroupTau: number;
  readonly subgroupZ: number;
}

export function subgroupParameterLayout(data: SubgroupModelData): SubgroupParameterLayout {
  const { nBlocks, nDistricts, network, hasGamma, hasDelta } = data;
  const plain = parameterLayout({ nBlocks, nDistricts, network, hasGamma, hasDelta });
  const logSubgroupTau = plain.dimension;
  const subgroupZ = logSubgroupTau + data.nFactors;
  return { ...plain, logSubgroupTau, subgroupZ, dimension: subgroupZ + data.levelOffset[data.nFactors] };
}

/** The subgroup model's log density with its layout. */
export interface SubgroupLogDensity extends LogDensity {
  readonly layout: SubgroupParameterLayout;
}

/**
 * The subgroup model's log posterior density (up to a constant) on the unconstrained
 * scale, with its analytic gradient: the standard absence model (absence-log-density.ts,
 * unchanged there) with the treatment effect of a treated student in level `l_g` of
 * each factor g
 *
 *     theta[d] + sum_g tau_g z[l_g],   z ~ Normal(0, 1),   tau_g ~ HalfNormal(0, 0.1)
 *
 * (additive across factors, partially pooled within each, non-centered: Betancourt and
 * Girolami 2015). The same grouped, WebAssembly likelihood as the standard model.
 */
/**
 * Fills each level's effect (and each factor's tau and, when anchored, its mean) and
 * returns the average effect parameter mu (theta, or mu_theta in a network).
 *
 * A non-centered factor's effects are tau_g z[l]. An anchored factor's coordinates are its
 * mean m_g = tau_g zeta_g, weighted by treated students (zeta_g sits in the anchor level's
 * slot), and the other levels' differences from that mean (the anchor's own difference
 * makes the weighted differences sum to 0); the effect slot then holds mu + the anchored
 * factors' means. With thousands of students per level the data pin that sum and the
 * differences but not the split between mu and the means, which only the priors decide:
 * in these coordinates that split is along the axes, where a diagonal metric follows it,
 * instead of a diagonal ridge (docs/performance.md, "Subgroups").
 */
function computeLevelEffects(
  data: SubgroupModelData,
  layout: SubgroupParameterLayout,
  q: Float64Array,
  effects: Float64Array,
  tau: Float64Array,
  mean: Float64Array,
): number {
  const { levelOffset, subgroupAnchor: anchor, levelWeight, subgroupScaledDifferences: scaled } = data;
  const { logSubgroupTau: iLogSubTau, subgroupZ: iZ } = layout;
  let mu = q[layout.effect];
  for (let g = 0; g < data.nFactors; g++) {
    const tauG = Math.exp(q[iLogSubTau + g]);
    tau[g] = tauG;
    const a = anchor[g];
    if (a < 0) {
      for (let l = levelOffset[g]; l < levelOffset[g + 1]; l++) effects[l] = tauG * q[iZ + l];
      continue;
    }
    const m = tauG * q[iZ + a];
    mean[g] = m;
    mu -= m;
    const k = scaled[g] === 1 ? tauG : 1;
    let weighted = 0;
    for (let l = levelOffset[g]; l < levelOffset[g + 1]; l++) {
      if (l === a) continue;
      effects[l] = m + k * q[iZ + l];
      weighted += levelWeight[l] * k * q[iZ + l];
    }
    effects[a] = m - weighted / levelWeight[a];
  }
  return mu;
}

/**
 * A point of the sampler's coordinates in the model's own (the Stan program's): the
 * effect slot holds mu, and each level's slot `z[l] = effect[l] / tau_g`.
 */
export function subgroupModelPoint(data: SubgroupModelData, q: Float64Array): Float64Array {
  const layout = subgroupParameterLayout(data);
  const nLevels = data.levelOffset[data.nFactors];
  const effects = new Float64Array(nLevels);
  const tau = new Float64Array(data.nFactors);
  const point = Float64Array.from(q);
  point[layout.effect] = computeLevelEffects(data, layout, q, effects, tau, new Float64Array(data.nFactors));
  for (let g = 0; g < data.nFactors; g++)
    for (let l = data.levelOffset[g]; l < data.levelOffset[g + 1]; l++) point[layout.subgroupZ + l] = effects[l] / tau[g];
  return point;
}

export function createSubgroupLogDensity(data: SubgroupModelData): SubgroupLogDensity {
  const layout = subgroupParameterLayout(data);
  const nCells = data.cellBlock.length;
  const nZ = data.zValues.length;
  const { cellBlock, cellDistrict, cellTreat, cellMissing, cellY, zValues, countAbove, sumYZ, n, cellLevel, levelOffset, nFactors } = data;
  const groups = createLikelihoodGroups(data);
  const { cellRate, cellGradient, zRate } = groups;
  const nDistricts = data.nDistricts;
  const nLevels = levelOffset[nFactors];
  const theta = new Float64Array(nDistricts);
  const thetaGradient = new Float64Array(nDistricts);
  const levelEffect = new Float64Array(nLevels);
  const levelGradient = new Float64Array(nLevels);
  const subgroupTau = new Float64Array(nFactors);
  const maxY = countAbove.length;
  const { alpha: iAlpha, gamma: iGamma, delta: iDelta, logPhi: iLogPhi, effect: iEffect, logTau: iLogTau, eta: iEta } = layout;
  const { logSubgroupTau: iLogSubTau, subgroupZ: iZ } = layout;
  const priorMean = data.effectPrior.mean;
  const priorSd = data.effectPrior.sd;
  const subTauScale = data.subgroupTauScale;
  const { subgroupAnchor: anchor, levelWeight, subgroupScaledDifferences: scaled } = data;
  const levelMean = new Float64Array(nFactors);

  function logDensityGradient(q: Float64Array, grad: Float64Array): number {
    grad.fill(0);
    const gamma = iGamma >= 0 ? q[iGamma] : 0;
    const delta = iDelta >= 0 ? q[iDelta] : 0;
    const logPhi = q[iLogPhi];
    const phi = Math.exp(logPhi);
    let lp = 0;

    const mu = computeLevelEffects(data, layout, q, levelEffect, subgroupTau, levelMean);
    let tau = 0;
    if (data.network) {
      tau = Math.exp(q[iLogTau]);
      for (let d = 0; d < nDistricts; d++) theta[d] = mu + tau * q[iEta + d];
    } else theta[0] = mu;

    for (let c = 0; c < nCells; c++) {
      let eta = q[iAlpha + cellBlock[c]];
      if (cellMissing[c] === 1) eta += delta;
      if (cellTreat[c] === 1) {
        eta += theta[cellDistrict[c]];
        for (let g = 0; g < nFactors; g++) eta += levelEffect[cellLevel[c * nFactors + g]];
      }
      cellRate[c] = Math.exp(eta);
      cellGradient[c] = cellY[c];
      lp += cellY[c] * eta;
    }
    if (iGamma >= 0) {
      for (let j = 0; j < nZ; j++) zRate[j] = Math.exp(gamma * zValues[j]);
      lp += gamma * sumYZ;
    }

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

    thetaGradient.fill(0);
    levelGradient.fill(0);
    let gradDelta = 0;
    let muGradient = 0;
    for (let c = 0; c < nCells; c++) {
      const gc = cellGradient[c];
      grad[iAlpha + cellBlock[c]] += gc;
      if (cellMissing[c] === 1) gradDelta += gc;
      if (cellTreat[c] === 1) {
        thetaGradient[cellDistrict[c]] += gc;
        for (let g = 0; g < nFactors; g++) levelGradient[cellLevel[c * nFactors + g]] += gc;
      }
    }

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
    lp += PHI_SHAPE * logPhi - PHI_RATE * phi;
    grad[iLogPhi] = dPhi * phi + PHI_SHAPE - PHI_RATE * phi;

    const se = (mu - priorMean) / priorSd;
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
      muGradient = grad[iEffect];
      const st = tau / TAU_SCALE;
      lp += -0.5 * st * st + q[iLogTau];
      grad[iLogTau] = tau * sumThetaEta - st * st + 1;
    } else {
      grad[iEffect] = thetaGradient[0] - se / priorSd;
      muGradient = grad[iEffect];
    }

    // Subgroup levels: z[l] ~ Normal(0, 1); tau_g = exp(v_g) ~ HalfNormal(0, scale) with
    // its Jacobian v_g; d lp / d z[l] = tau_g * (level's gradient), d / d v_g = tau_g * sum_l z[l] * gradient.
    for (let g = 0; g < nFactors; g++) {
      const tauG = subgroupTau[g];
      const st = tauG / subTauScale;
      lp += -0.5 * st * st + q[iLogSubTau + g];
      const a = anchor[g];
      if (a >= 0) {
        // Anchored (see levelEffects): e[l] ~ Normal(0, tau_g) on the effects themselves;
        // G[l] is d lp / d e[l] but for the path through mu.
        let sumSquares = 0;
        let sumG = 0;
        for (let l = levelOffset[g]; l < levelOffset[g + 1]; l++) {
          const r = levelEffect[l] / tauG;
          sumSquares += r * r;
          levelGradient[l] -= r / tauG;
          sumG += levelGradient[l];
        }
        const gAnchor = levelGradient[a] / levelWeight[a];
        const k = scaled[g] === 1 ? tauG : 1;
        let differencesGradient = 0;
        for (let l = levelOffset[g]; l < levelOffset[g + 1]; l++) {
          if (l === a) continue;
          const gl = levelGradient[l] - gAnchor * levelWeight[l];
          grad[iZ + l] = k * gl;
          differencesGradient += (levelEffect[l] - levelMean[g]) * gl;
        }
        // e ~ Normal(0, tau_g) gives -L_g v_g (v_g = log tau_g); the change of variables adds
        // v_g back for the mean's scale and for each difference scaled by tau_g.
        const jacobian = scaled[g] === 1 ? 0 : levelOffset[g + 1] - levelOffset[g] - 1;
        lp -= 0.5 * sumSquares + jacobian * q[iLogSubTau + g];
        grad[iZ + a] = tauG * (sumG - muGradient);
        grad[iLogSubTau + g] =
          levelMean[g] * (sumG - muGradient) + (scaled[g] === 1 ? differencesGradient : 0) + sumSquares - jacobian - st * st + 1;
        continue;
      }
      let sumZGradient = 0;
      for (let l = levelOffset[g]; l < levelOffset[g + 1]; l++) {
        const z = q[iZ + l];
        lp -= 0.5 * z * z;
        grad[iZ + l] = tauG * levelGradient[l] - z;
        sumZGradient += z * levelGradient[l];
      }
      grad[iLogSubTau + g] = tauG * sumZGradient - st * st + 1;
    }
    return Number.isFinite(lp) ? lp : -Infinity;
  }

  return { dimension: layout.dimension, layout, logDensityGradient };
}

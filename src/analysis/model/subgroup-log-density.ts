import type { LogDensity } from '../sampler/log-density.js';
import { createLikelihoodGroups } from './likelihood-groups.js';
import type { ParameterLayout } from './parameter-layout.js';
import { parameterLayout } from './parameter-layout.js';
import type { SubgroupModelData, SubgroupShift } from './subgroup-model-data.js';

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
 * Turns a point of the sampler's coordinates into the model's: fills each level's `z[l]`
 * and each factor's `tau_g`, and returns the effect parameter (theta, or mu_theta in a
 * network).
 *
 * The sampler moves, for each factor, `zeta_g`, the mean of its levels' `z` weighted by
 * their treated students, in the slot of its largest level (the anchor), and `z[l] - zeta_g`
 * in each other level's slot (the anchor's own follows, as the weighted differences sum to
 * 0); the effect's slot holds `theta + sum_g tau_g zeta_g`. For a given tau this is linear
 * in z with a constant Jacobian, so it is the same model. Why: with thousands of students
 * per level the data pin `theta + sum_g tau_g zeta_g` and the differences between levels,
 * and only the priors split that sum between theta and the factors' means. In the model's
 * coordinates that split is a diagonal ridge, which a diagonal metric crosses in many
 * small steps; here it lies along the axes (docs/model.md, "Subgroups").
 */
function toModelCoordinates(
  data: SubgroupModelData,
  layout: SubgroupParameterLayout,
  q: Float64Array,
  z: Float64Array,
  tau: Float64Array,
): number {
  const { levelOffset, subgroupAnchor, levelWeight } = data;
  const { logSubgroupTau: iLogSubTau, subgroupZ: iZ } = layout;
  let effect = q[layout.effect];
  for (let g = 0; g < data.nFactors; g++) {
    tau[g] = Math.exp(q[iLogSubTau + g]);
    const a = subgroupAnchor[g];
    const zeta = q[iZ + a];
    effect -= tau[g] * zeta;
    let weighted = 0;
    for (let l = levelOffset[g]; l < levelOffset[g + 1]; l++) {
      if (l === a) continue;
      z[l] = zeta + q[iZ + l];
      weighted += levelWeight[l] * q[iZ + l];
    }
    z[a] = zeta - weighted / levelWeight[a];
  }
  return effect;
}

/**
 * The slots the sampler moves in shifted coordinates (`toAnchoredCoordinates`): each
 * non-anchor level's difference, scaled by its factor's `tau_g`, and in a network each
 * district's `eta[d]`, scaled by `tau`; with their scale's slot (a log) and their shift.
 */
interface ShiftedSlots {
  readonly slot: Int32Array;
  readonly scaleSlot: Int32Array;
  readonly score: Float64Array;
  readonly information: Float64Array;
}

function shiftedSlots(data: SubgroupModelData, layout: SubgroupParameterLayout): ShiftedSlots | undefined {
  const shift = data.samplerShift;
  if (!shift) return undefined;
  const entries: [number, number, number, number][] = [];
  for (let g = 0; g < data.nFactors; g++)
    for (let l = data.levelOffset[g]; l < data.levelOffset[g + 1]; l++)
      if (l !== data.subgroupAnchor[g])
        entries.push([layout.subgroupZ + l, layout.logSubgroupTau + g, shift.levels.score[l], shift.levels.information[l]]);
  if (data.network)
    for (let d = 0; d < data.nDistricts; d++)
      entries.push([layout.eta + d, layout.logTau, shift.districts.score[d], shift.districts.information[d]]);
  return {
    slot: Int32Array.from(entries, (e) => e[0]),
    scaleSlot: Int32Array.from(entries, (e) => e[1]),
    score: Float64Array.from(entries, (e) => e[2]),
    information: Float64Array.from(entries, (e) => e[3]),
  };
}

/**
 * Turns a point of the sampler's coordinates into the anchored ones (`toModelCoordinates`),
 * into `out`, and returns the log Jacobian of the map; with `dv` and `dw`, fills each
 * shifted slot's `d x / d log t` and `d x / d w`.
 *
 * With thousands of students in a level, the data pin each level's difference `tau_g d[l]`,
 * so given `tau_g` the anchored difference `d[l]` sits near `tau_g s_l / (1 + tau_g^2 P_l)`
 * with sd `1 / sqrt(1 + tau_g^2 P_l)` (`s_l`, `P_l`: the score and information of `d[l]` at 0,
 * `data.samplerShift`): a funnel in `(tau_g, d[l])` that the sampler crossed in many small
 * steps. It moves `w[l]` instead, with `d[l] = tau_g s_l / (1 + tau_g^2 P_l) + w[l] /
 * sqrt(1 + tau_g^2 P_l)`, about Normal(0, 1) at every `tau_g`; the log Jacobian
 * `-1/2 sum log(1 + tau_g^2 P_l)` keeps the model the same. The same for each district's
 * `eta[d]` and `tau` in a network, whose hundreds of treated students per district pin
 * `tau eta[d]` likewise. The anchors' slots (the factors' means) are not moved.
 */
function toAnchoredCoordinates(
  slots: ShiftedSlots | undefined,
  q: Float64Array,
  out: Float64Array,
  dv?: Float64Array,
  dw?: Float64Array,
): number {
  out.set(q);
  if (!slots) return 0;
  let logJacobian = 0;
  for (let k = 0; k < slots.slot.length; k++) {
    const t = Math.exp(q[slots.scaleSlot[k]]);
    const t2P = t * t * slots.information[k];
    const a = 1 + t2P;
    const m = (t * slots.score[k]) / a;
    const c = 1 / Math.sqrt(a);
    const w = q[slots.slot[k]];
    out[slots.slot[k]] = m + c * w;
    logJacobian -= 0.5 * Math.log(a);
    // d m / d log t = m (1 - t^2 P) / a; d c / d log t = -c t^2 P / a.
    if (dv) dv[k] = (m * (2 - a)) / a - (c * t2P * w) / a;
    if (dw) dw[k] = c;
  }
  return logJacobian;
}

/** A point of the sampler's coordinates in the model's own, the Stan program's (`toAnchoredCoordinates`, `toModelCoordinates`). */
export function subgroupModelPoint(data: SubgroupModelData, q: Float64Array): Float64Array {
  const layout = subgroupParameterLayout(data);
  const anchored = new Float64Array(q.length);
  toAnchoredCoordinates(shiftedSlots(data, layout), q, anchored);
  const point = Float64Array.from(anchored);
  const z = point.subarray(layout.subgroupZ);
  point[layout.effect] = toModelCoordinates(data, layout, anchored, z, new Float64Array(data.nFactors));
  return point;
}

/**
 * The shifts of the sampler's coordinates (`toAnchoredCoordinates`): each level's score and
 * information at 0 of its anchored difference, and in a network each district's of
 * `eta[d]`, with the standard model's other parameters at `point` (a point of the standard
 * model's layout, or longer) and every scale (`tau_g`, `tau`) at 1: the log density's
 * gradient there, and its curvature by central differences less the prior's (`z`, `eta` ~
 * Normal(0, 1), through the anchored map for the levels).
 */
export function subgroupShiftAt(data: SubgroupModelData, point: Float64Array): SubgroupShift {
  const density = createSubgroupLogDensity({ ...data, samplerShift: undefined });
  const { layout } = density;
  const { levelOffset, subgroupAnchor, levelWeight } = data;
  const q = new Float64Array(layout.dimension);
  q.set(point.subarray(0, layout.logSubgroupTau));
  if (data.network) {
    q[layout.logTau] = 0;
    q.fill(0, layout.eta, layout.eta + data.nDistricts);
  }
  const grad = new Float64Array(layout.dimension);
  const up = new Float64Array(layout.dimension);
  const down = new Float64Array(layout.dimension);
  density.logDensityGradient(q, grad);
  const step = 1e-4;
  /** d2 lp / d q[i]^2 by central differences of the gradient, at q. */
  const curvature = (i: number) => {
    q[i] = step;
    density.logDensityGradient(q, up);
    q[i] = -step;
    density.logDensityGradient(q, down);
    q[i] = 0;
    return (up[i] - down[i]) / (2 * step);
  };
  const levels = { score: new Float64Array(levelOffset[data.nFactors]), information: new Float64Array(levelOffset[data.nFactors]) };
  for (let g = 0; g < data.nFactors; g++) {
    const a = subgroupAnchor[g];
    for (let l = levelOffset[g]; l < levelOffset[g + 1]; l++) {
      if (l === a) continue;
      const i = layout.subgroupZ + l;
      levels.score[l] = grad[i];
      levels.information[l] = Math.max(0, -curvature(i) - (1 + (levelWeight[l] / levelWeight[a]) ** 2));
    }
  }
  const nDistricts = data.network ? data.nDistricts : 0;
  const districts = { score: new Float64Array(nDistricts), information: new Float64Array(nDistricts) };
  for (let d = 0; d < nDistricts; d++) {
    const i = layout.eta + d;
    districts.score[d] = grad[i];
    districts.information[d] = Math.max(0, -curvature(i) - 1);
  }
  return { levels, districts };
}

/** The data with the sampler's coordinates shifted by `shift` (`toAnchoredCoordinates`). */
export function withSubgroupShift(data: SubgroupModelData, shift: SubgroupShift): SubgroupModelData {
  return { ...data, samplerShift: shift };
}

/**
 * The cells' linear predictors split in two: a base (block, district, arm, baseline
 * missing: the standard model's cell) and a combination of levels (combination 0: none,
 * for control cells). A cell's rate is the product of the two's rates, so one exp per
 * base and per combination is taken instead of one per cell (a treated cell per block
 * and combination: ten thousand and more in a network with four factors).
 */
function factorCells(data: SubgroupModelData) {
  const { cellBlock, cellDistrict, cellTreat, cellMissing, cellLevel, cellY, nFactors } = data;
  const nCells = cellBlock.length;
  const bases = new Map<string, number>();
  const combos = new Map<string, number>([['', 0]]);
  const cellBase = new Int32Array(nCells);
  const cellCombo = new Int32Array(nCells);
  const base: { block: number; district: number; treat: number; missing: number; y: number }[] = [];
  const comboLevel: number[] = new Array(nFactors).fill(-1);
  const comboY = [0];
  for (let c = 0; c < nCells; c++) {
    const baseKey = `${cellBlock[c]}|${cellDistrict[c]}|${cellTreat[c]}|${cellMissing[c]}`;
    let b = bases.get(baseKey);
    if (b === undefined) {
      b = base.length;
      bases.set(baseKey, b);
      base.push({ block: cellBlock[c], district: cellDistrict[c], treat: cellTreat[c], missing: cellMissing[c], y: 0 });
    }
    const levels = cellTreat[c] === 1 ? Array.from(cellLevel.subarray(c * nFactors, (c + 1) * nFactors)) : [];
    const comboKey = levels.join(',');
    let j = combos.get(comboKey);
    if (j === undefined) {
      j = comboY.length;
      combos.set(comboKey, j);
      comboLevel.push(...levels);
      comboY.push(0);
    }
    cellBase[c] = b;
    cellCombo[c] = j;
    base[b].y += cellY[c];
    comboY[j] += cellY[c];
  }
  return {
    cellBase,
    baseBlock: Int32Array.from(base, (x) => x.block),
    baseDistrict: Int32Array.from(base, (x) => x.district),
    baseTreat: Uint8Array.from(base, (x) => x.treat),
    baseMissing: Uint8Array.from(base, (x) => x.missing),
    baseY: Float64Array.from(base, (x) => x.y),
    cellCombo,
    comboLevel: Int32Array.from(comboLevel),
    comboY: Float64Array.from(comboY),
  };
}

/**
 * The subgroup model's log posterior density (up to a constant) on the sampler's
 * unconstrained coordinates (`toModelCoordinates`), with its analytic gradient: the
 * standard absence model (absence-log-density.ts, unchanged there) with the treatment
 * effect of a treated student in level `l_g` of each factor g
 *
 *     theta[d] + sum_g tau_g z[l_g],   z ~ Normal(0, 1),   tau_g ~ HalfNormal(0, 0.1)
 *
 * (additive across factors, partially pooled within each, non-centered: Betancourt and
 * Girolami 2015). The same grouped, WebAssembly likelihood as the standard model.
 */
export function createSubgroupLogDensity(data: SubgroupModelData): SubgroupLogDensity {
  const layout = subgroupParameterLayout(data);
  const nCells = data.cellBlock.length;
  const nZ = data.zValues.length;
  const { cellY, zValues, countAbove, sumYZ, n, levelOffset, nFactors } = data;
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
  const { subgroupAnchor, levelWeight } = data;
  const levelZ = new Float64Array(nLevels);
  const { cellBase, baseBlock, baseDistrict, baseTreat, baseMissing, baseY, cellCombo, comboLevel, comboY } = factorCells(data);
  const nBases = baseBlock.length;
  const nCombos = comboY.length;
  const baseRate = new Float64Array(nBases);
  const baseGradient = new Float64Array(nBases);
  const comboRate = new Float64Array(nCombos).fill(1);
  const comboGradient = new Float64Array(nCombos);

  function logDensityGradient(q: Float64Array, grad: Float64Array): number {
    grad.fill(0);
    const gamma = iGamma >= 0 ? q[iGamma] : 0;
    const delta = iDelta >= 0 ? q[iDelta] : 0;
    const logPhi = q[iLogPhi];
    const phi = Math.exp(logPhi);
    let lp = 0;

    const mu = toModelCoordinates(data, layout, q, levelZ, subgroupTau);
    for (let g = 0; g < nFactors; g++)
      for (let l = levelOffset[g]; l < levelOffset[g + 1]; l++) levelEffect[l] = subgroupTau[g] * levelZ[l];
    let tau = 0;
    if (data.network) {
      tau = Math.exp(q[iLogTau]);
      for (let d = 0; d < nDistricts; d++) theta[d] = mu + tau * q[iEta + d];
    } else theta[0] = mu;

    for (let b = 0; b < nBases; b++) {
      let eta = q[iAlpha + baseBlock[b]];
      if (baseMissing[b] === 1) eta += delta;
      if (baseTreat[b] === 1) eta += theta[baseDistrict[b]];
      baseRate[b] = Math.exp(eta);
      lp += baseY[b] * eta;
    }
    for (let j = 1; j < nCombos; j++) {
      let eta = 0;
      for (let g = 0; g < nFactors; g++) eta += levelEffect[comboLevel[j * nFactors + g]];
      comboRate[j] = Math.exp(eta);
      lp += comboY[j] * eta;
    }
    for (let c = 0; c < nCells; c++) {
      cellRate[c] = baseRate[cellBase[c]] * comboRate[cellCombo[c]];
      cellGradient[c] = cellY[c];
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
    baseGradient.fill(0);
    comboGradient.fill(0);
    for (let c = 0; c < nCells; c++) {
      const gc = cellGradient[c];
      baseGradient[cellBase[c]] += gc;
      comboGradient[cellCombo[c]] += gc;
    }
    for (let b = 0; b < nBases; b++) {
      const gb = baseGradient[b];
      grad[iAlpha + baseBlock[b]] += gb;
      if (baseMissing[b] === 1) gradDelta += gb;
      if (baseTreat[b] === 1) thetaGradient[baseDistrict[b]] += gb;
    }
    for (let j = 1; j < nCombos; j++) for (let g = 0; g < nFactors; g++) levelGradient[comboLevel[j * nFactors + g]] += comboGradient[j];

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

    // Subgroup levels: z[l] ~ Normal(0, 1), tau_g = exp(v_g) ~ HalfNormal(0, scale) with its
    // Jacobian v_g. In the model's coordinates d lp / d z[l] = tau_g * (level's gradient) - z[l];
    // then by the chain rule through toModelCoordinates, with d theta / d zeta_g = -tau_g.
    for (let g = 0; g < nFactors; g++) {
      const tauG = subgroupTau[g];
      const a = subgroupAnchor[g];
      let sumZGradient = 0;
      let sumDz = 0;
      for (let l = levelOffset[g]; l < levelOffset[g + 1]; l++) {
        const z = levelZ[l];
        lp -= 0.5 * z * z;
        sumZGradient += z * levelGradient[l];
        levelGradient[l] = tauG * levelGradient[l] - z;
        sumDz += levelGradient[l];
      }
      const dzAnchor = levelGradient[a] / levelWeight[a];
      for (let l = levelOffset[g]; l < levelOffset[g + 1]; l++) if (l !== a) grad[iZ + l] = levelGradient[l] - dzAnchor * levelWeight[l];
      const zeta = q[iZ + a];
      grad[iZ + a] = sumDz - tauG * muGradient;
      const st = tauG / subTauScale;
      lp += -0.5 * st * st + q[iLogSubTau + g];
      grad[iLogSubTau + g] = tauG * (sumZGradient - zeta * muGradient) - st * st + 1;
    }
    return Number.isFinite(lp) ? lp : -Infinity;
  }

  const slots = shiftedSlots(data, layout);
  if (!slots) return { dimension: layout.dimension, layout, logDensityGradient };
  const anchored = new Float64Array(layout.dimension);
  const anchoredGradient = new Float64Array(layout.dimension);
  const dv = new Float64Array(slots.slot.length);
  const dw = new Float64Array(slots.slot.length);
  // The sampler's coordinates (toAnchoredCoordinates): the anchored density and the chain rule.
  function shiftedLogDensityGradient(q: Float64Array, grad: Float64Array): number {
    const logJacobian = toAnchoredCoordinates(slots, q, anchored, dv, dw);
    const lp = logDensityGradient(anchored, anchoredGradient);
    grad.set(anchoredGradient);
    for (let k = 0; k < dv.length; k++) {
      const i = slots!.slot[k];
      const t = Math.exp(q[slots!.scaleSlot[k]]);
      const t2P = t * t * slots!.information[k];
      grad[i] = anchoredGradient[i] * dw[k];
      grad[slots!.scaleSlot[k]] += anchoredGradient[i] * dv[k] - t2P / (1 + t2P);
    }
    return lp + logJacobian;
  }
  return { dimension: layout.dimension, layout, logDensityGradient: shiftedLogDensityGradient };
}

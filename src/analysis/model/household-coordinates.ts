import type { ChainOutput } from '../sampler/sample-chain.js';
import type { AbsenceModelData, TermShift } from './absence-model-data.js';
import type { ParameterLayout } from './parameter-layout.js';

/**
 * The sampler's coordinates for the household terms (docs/model.md, "Household effect").
 *
 * With the terms non-centered (`sigma_household z_household[h]`), where each household's
 * data say little the posterior of `z_household[h]` given `sigma_household` is about
 * `Normal(sigma s_h / (1 + sigma^2 P_h), 1)`, with `s_h` and `P_h` the score and Fisher
 * information of household h's term at 0. So a move of `sigma_household` is only likely
 * when every household's z moves with it along its data's pull, which HMC with a diagonal
 * metric does a little per draw: `sigma_household` mixed slowly and fits were refit for its
 * R-hat. The sampler moves `w[h] = z_household[h] - m_h(sigma)` instead, with
 * `m_h(sigma) = sigma s_h / (1 + sigma^2 P_h)`, `s_h` and `P_h` taken at the standard
 * model's mode. The shift depends on sigma alone, so the map has a unit Jacobian: the
 * model, its posterior and its draws (mapped back by `householdModelOutputs`) are the
 * same; only the sampler's path through them is shorter.
 */

/**
 * Each household's score `s_h = sum (y - (y + phi) mu / (mu + phi))` and Fisher information
 * `P_h = sum phi mu / (mu + phi)` of its term at 0, over its students, with the other
 * parameters at `point` (a point of `layout`; its household coordinates are not read).
 */
export function householdShiftAt(data: AbsenceModelData, layout: ParameterLayout, point: Float64Array): TermShift {
  const household = data.household;
  if (!household) throw new Error('householdShiftAt: the model has no household effect');
  const score = new Float64Array(household.nHouseholds);
  const information = new Float64Array(household.nHouseholds);
  const phi = Math.exp(point[layout.logPhi]);
  const gamma = layout.gamma >= 0 ? point[layout.gamma] : 0;
  const delta = layout.delta >= 0 ? point[layout.delta] : 0;
  const tau = layout.logTau >= 0 ? Math.exp(point[layout.logTau]) : 0;
  for (let g = 0; g < data.groupCell.length; g++) {
    const c = data.groupCell[g];
    const h = household.cellHousehold[c];
    if (h < 0) continue;
    const d = data.cellDistrict[c];
    const theta = point[layout.effect] + (layout.eta >= 0 ? tau * point[layout.eta + d] : 0);
    const eta =
      point[layout.alpha + data.cellBlock[c]] +
      (data.cellMissing[c] === 1 ? delta : 0) +
      (data.cellTreat[c] === 1 ? theta : 0) +
      gamma * data.zValues[data.groupZ[g]];
    const mu = data.groupE[g] * Math.exp(eta);
    const y = data.groupY[g];
    const w = data.groupWeight[g];
    score[h] += y - ((y + w * phi) * mu) / (mu + phi);
    information[h] += (w * phi * mu) / (mu + phi);
  }
  return { score, information };
}

/** The data with the sampler's household coordinates shifted by `shift` (none without a household effect). */
export function withHouseholdShift(data: AbsenceModelData, shift: TermShift): AbsenceModelData {
  return data.household ? { ...data, household: { ...data.household, shift } } : data;
}

/**
 * The model's `z_household` from the sampler's `w` at `sigma` (into `z`), and, into
 * `dzdv`, `d z[h] / d log sigma` for the chain rule. Without a shift, `z` is `w`.
 */
export function householdZ(
  data: AbsenceModelData,
  layout: ParameterLayout,
  q: Float64Array,
  at: number,
  z: Float64Array,
  dzdv?: Float64Array,
): Float64Array {
  const shift = data.household?.shift;
  const w = q.subarray(at + layout.zHousehold, at + layout.zHousehold + z.length);
  if (!shift) {
    z.set(w);
    dzdv?.fill(0);
    return z;
  }
  const sigma = Math.exp(q[at + layout.logSigmaHousehold]);
  const sigma2 = sigma * sigma;
  for (let h = 0; h < z.length; h++) {
    const a = 1 + sigma2 * shift.information[h];
    const m = (sigma * shift.score[h]) / a;
    z[h] = w[h] + m;
    // d m / d log sigma = sigma dm/dsigma = m (1 - sigma^2 P) / (1 + sigma^2 P).
    if (dzdv) dzdv[h] = (m * (2 - a)) / a;
  }
  return z;
}

/**
 * The chains' draws in the model's coordinates: `z_household` for the sampler's `w`, in
 * place, so every reader of the outputs (the named draws, the household terms of days
 * avoided and chronic absence, the chains' ends) sees the model's parameters.
 */
export function householdModelOutputs(data: AbsenceModelData, layout: ParameterLayout, outputs: ChainOutput[]): ChainOutput[] {
  if (!data.household?.shift) return outputs;
  const z = new Float64Array(data.household.nHouseholds);
  for (const output of outputs) {
    const draws = output.draws;
    for (let at = 0; at < draws.length; at += layout.dimension) {
      householdZ(data, layout, draws, at, z);
      draws.set(z, at + layout.zHousehold);
    }
  }
  return outputs;
}

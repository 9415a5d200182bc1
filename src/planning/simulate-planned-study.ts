import type { FastRandom } from './fast-random.js';
import type { PlanModel } from './prepare-plan-model.js';

/** One simulated study: its assignment, its outcomes and the sums a fit needs. */
export interface PlannedStudy {
  /** True `theta[d]` of each district (log rate ratio of treatment). */
  readonly theta: Float64Array;
  /** Per student: assigned arm (1 treatment) and days absent in the window. */
  readonly treat: Uint8Array;
  readonly absences: Int32Array;
  /** Per group and arm (index `2 * group + arm`): days absent and students. */
  readonly groupAbsences: Float64Array;
  readonly groupStudents: Float64Array;
  /** `countAbove[j]`: students absent more than j days (the dispersion's sufficient statistic). */
  readonly countAbove: Float64Array;
}

/**
 * Draws one study from the standard absence model on a planned design: district effects
 * `theta[d] = muTheta + tau * Normal(0, 1)` (one district: `muTheta`), households
 * randomized within their block (half of them treated, a coin deciding an odd one, as
 * complete randomization by household does), then each student's absences
 * `NegBinomial2(controlMean * exp(theta[d] * T), phi)`.
 */
export function simulatePlannedStudy(model: PlanModel, muTheta: number, random: FastRandom): PlannedStudy {
  const { design, assumptions } = model;
  const D = design.districts.length;
  const theta = new Float64Array(D);
  for (let d = 0; d < D; d++) theta[d] = D === 1 ? muTheta : muTheta + assumptions.tau * random.normal();
  const rateRatio = theta.map(Math.exp);

  const householdTreat = new Uint8Array(design.households);
  const scratch = new Int32Array(design.households);
  const K = design.blocks.length;
  for (let k = 0; k < K; k++) {
    const from = model.blockHouseholdOffsets[k];
    const count = model.blockHouseholdOffsets[k + 1] - from;
    if (count === 0) continue;
    for (let j = 0; j < count; j++) scratch[j] = model.blockHouseholds[from + j];
    const treated = (count >> 1) + (count & 1 && random.uniform() < 0.5 ? 1 : 0);
    // A partial Fisher-Yates shuffle: the first `treated` places are a uniform sample.
    for (let j = 0; j < treated; j++) {
      const pick = j + Math.floor(random.uniform() * (count - j));
      const chosen = scratch[pick];
      scratch[pick] = scratch[j];
      scratch[j] = chosen;
      householdTreat[chosen] = 1;
    }
  }

  const n = design.students;
  const treat = new Uint8Array(n);
  const absences = new Int32Array(n);
  const groups = model.groupBlock.length;
  const groupAbsences = new Float64Array(2 * groups);
  const groupStudents = new Float64Array(2 * groups);
  let counts = new Float64Array(64);
  let maxY = 0;
  const phi = assumptions.phi;
  for (let i = 0; i < n; i++) {
    const t = householdTreat[design.studentHousehold[i]];
    const mean = t === 1 ? model.controlMean[i] * rateRatio[design.blockDistrict[design.studentBlock[i]]] : model.controlMean[i];
    const y = random.negBinomial(mean, phi);
    treat[i] = t;
    absences[i] = y;
    const slot = 2 * model.studentGroup[i] + t;
    groupAbsences[slot] += y;
    groupStudents[slot]++;
    if (y >= counts.length) {
      const grown = new Float64Array(Math.max(2 * counts.length, y + 1));
      grown.set(counts);
      counts = grown;
    }
    counts[y]++;
    if (y > maxY) maxY = y;
  }
  const countAbove = new Float64Array(maxY);
  let above = n - counts[0];
  for (let j = 0; j < maxY; j++) {
    countAbove[j] = above;
    above -= counts[j + 1];
  }
  return { theta, treat, absences, groupAbsences, groupStudents, countAbove };
}

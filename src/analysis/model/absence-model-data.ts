import type { EffectPrior } from './effect-prior.js';

/**
 * The standard absence model's data in the form the log density consumes: students
 * grouped by what fixes their mean (same cell, baseline value and enrolment), typed
 * arrays only, so it can be posted to a worker thread as is (structured clone).
 *
 * A cell is one (block, district, arm, missing-baseline) combination: every student in
 * it shares `alpha[k] + delta m + theta[d] T`, so the log density exponentiates once per
 * cell instead of once per student.
 */
export interface AbsenceModelData {
  readonly nBlocks: number;
  readonly nDistricts: number;
  /** Two or more districts: the partially pooled, non-centered network model. */
  readonly network: boolean;
  /** `gamma` (baseline slope) is in the model: some student has a baseline. */
  readonly hasGamma: boolean;
  /** `delta` (missing-baseline shift) is in the model: some, not all, students lack one. */
  readonly hasDelta: boolean;
  readonly effectPrior: EffectPrior;

  readonly cellBlock: Int32Array;
  readonly cellDistrict: Int32Array;
  readonly cellTreat: Uint8Array;
  readonly cellMissing: Uint8Array;
  /** Sum of y over the cell's students: the `y log mu` term is linear in the cell's predictor. */
  readonly cellY: Float64Array;

  /** Distinct standardized baseline values `z`. */
  readonly zValues: Float64Array;

  readonly groupCell: Int32Array;
  readonly groupZ: Int32Array;
  readonly groupE: Float64Array;
  /** Sum of y over the group's students. */
  readonly groupY: Float64Array;
  /** How many students the group stands for. */
  readonly groupWeight: Float64Array;

  /** `sum_i y_i z_i`, for the linear part of `y log mu` in gamma. */
  readonly sumYZ: number;
  /** Number of students in the fit. */
  readonly n: number;
  /**
   * `countAbove[j]` = students with `y > j`. Then `sum_i lgamma(y_i + phi) - lgamma(phi)`
   * = `sum_j countAbove[j] log(phi + j)`, exact for whole-number y, O(max y) per evaluation.
   */
  readonly countAbove: Float64Array;
  /**
   * The household random effect (docs/model.md, "Household effect"), when fitted: cells are
   * then also split by household, so `cellHousehold[c]` is the household of cell `c`.
   */
  readonly household?: HouseholdData;
  /** The sampler's coordinates for a network's `eta` (district-coordinates.ts); without it the sampler moves `eta` itself. */
  readonly districtShift?: DistrictShift;
}

/** Which household each cell belongs to, and the prior scale of their spread. */
export interface HouseholdData {
  /** Households with a term: those with two or more students in the fit. */
  readonly nHouseholds: number;
  /** The household of each cell, -1 for a student alone in a household (no term). */
  readonly cellHousehold: Int32Array;
  /** `sigma_household ~ HalfNormal(0, sigmaScale)`. */
  readonly sigmaScale: number;
  /** The sampler's coordinates for the terms (household-coordinates.ts); without it the sampler moves `z_household` itself. */
  readonly shift?: TermShift;
}

/**
 * Per term of a non-centered block (a household's, a subgroup level's): the score and Fisher
 * information of its coefficient at 0, from which the sampler's coordinates are shifted
 * (household-coordinates.ts, subgroup-log-density.ts).
 */
export interface TermShift {
  readonly score: Float64Array;
  readonly information: Float64Array;
}

/** A network's districts' shift (district-coordinates.ts): with the network's effect `mu_theta` where the scores were taken. */
export interface DistrictShift extends TermShift {
  readonly effect: number;
}

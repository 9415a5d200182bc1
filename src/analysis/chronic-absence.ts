import type { ChronicAbsence } from './analysis-result.js';
import type { AbsenceModelData } from './model/absence-model-data.js';
import { parameterLayout } from './model/parameter-layout.js';
import type { AbsenceModel } from './model/prepare-absence-model.js';
import { certaintyMcError } from './monte-carlo-error.js';
import type { ChainOutput } from './sampler/sample-chain.js';
import { summarizeDraws } from './summarize-draws.js';

/** Chronic absence: missing 10% or more of the days enrolled (Attendance Works; docs/model.md). */
export const CHRONIC_SHARE_OF_DAYS = 0.1;

/**
 * At most this many posterior draws (spread evenly over each chain) enter the chronic
 * absence figures: each draw costs a pass over every student group under both arms, and
 * 1,000 draws put the Monte Carlo error of a share far below its posterior sd.
 */
export const CHRONIC_ABSENCE_MAX_DRAWS = 1000;

/** One draw's parameters on the model's scale, indexed as the model orders blocks and districts. */
export interface AbsenceParameters {
  readonly alpha: ArrayLike<number>;
  readonly gamma: number;
  readonly delta: number;
  readonly phi: number;
  /** The log rate ratio of treatment in each district (`theta`, or `theta[d]` in a network). */
  readonly theta: ArrayLike<number>;
  /** With the household effect: `sigma_household` and each household's `z_household` (a student alone has no term). */
  readonly household?: { readonly sigma: number; readonly z: ArrayLike<number> };
}

/**
 * `P(Y >= c)` for `Y ~ NegBinomial2(mu, phi)` (mean `mu`, variance `mu + mu^2 / phi`), by
 * summing the pmf below `c` with the recurrence `p(y + 1) = p(y) (y + phi) / (y + 1) * mu / (mu + phi)`
 * from `p(0) = (phi / (phi + mu))^phi`.
 *
 * @example
 * negBinomialAtLeast(1, 2, 1); // 1 - (2 / 3)^2 = 0.5556
 */
export function negBinomialAtLeast(c: number, mu: number, phi: number): number {
  if (c <= 0) return 1;
  if (!(mu > 0)) return 0;
  const ratio = mu / (mu + phi);
  let p = Math.exp(-phi * Math.log1p(mu / phi));
  let below = 0;
  for (let y = 0; y < c; y++) {
    below += p;
    p *= ((y + phi) / (y + 1)) * ratio;
  }
  return Math.max(0, 1 - below);
}

/** The whole days a student enrolled `e` days must miss to be chronically absent: `ceil(e / 10)`. */
export function chronicDays(e: number): number {
  // e / 10 is exact for a whole-day multiple of 10, so 180 days give 18, not 19.
  return Math.ceil(e * CHRONIC_SHARE_OF_DAYS - 1e-9);
}

/**
 * The expected share of the students in the fit who are chronically absent, were every
 * one of them sent the messages (`treatment`) and were none (`control`), under one set
 * of parameters: the mean over students of `P(y_i >= ceil(e_i / 10))` with
 * `y_i ~ NegBinomial2(e_i exp(alpha[k] + gamma z_i + delta m_i + theta[d] T), phi)`.
 */
export function expectedChronicShares(data: AbsenceModelData, p: AbsenceParameters): { control: number; treatment: number } {
  let control = 0;
  let treatment = 0;
  let students = 0;
  for (let g = 0; g < data.groupCell.length; g++) {
    const c = data.groupCell[g];
    const e = data.groupE[g];
    const w = data.groupWeight[g];
    // With the household effect, a student sharing a household carries its term too.
    const h = data.household && p.household ? data.household.cellHousehold[c] : -1;
    const shared = h >= 0 ? p.household!.sigma * p.household!.z[h] : 0;
    const mu0 =
      e *
      Math.exp(p.alpha[data.cellBlock[c]] + p.gamma * data.zValues[data.groupZ[g]] + (data.cellMissing[c] === 1 ? p.delta : 0) + shared);
    const days = chronicDays(e);
    control += w * negBinomialAtLeast(days, mu0, p.phi);
    treatment += w * negBinomialAtLeast(days, mu0 * Math.exp(p.theta[data.cellDistrict[c]]), p.phi);
    students += w;
  }
  return students > 0 ? { control: control / students, treatment: treatment / students } : { control: NaN, treatment: NaN };
}

/** Per-draw shares, one array per chain, from the thinned draws. */
export interface ChronicAbsenceDraws {
  readonly control: Float64Array[];
  readonly treatment: Float64Array[];
}

/** The parameters of draw `i` of `output`, in the layout of `data`. */
export function parametersOfDraw(data: AbsenceModelData, output: ChainOutput, i: number): AbsenceParameters {
  const layout = parameterLayout(data);
  const at = i * layout.dimension;
  const x = output.draws;
  const alpha = x.subarray(at + layout.alpha, at + layout.alpha + data.nBlocks);
  const theta = new Float64Array(data.nDistricts);
  for (let d = 0; d < data.nDistricts; d++)
    theta[d] = data.network ? x[at + layout.effect] + Math.exp(x[at + layout.logTau]) * x[at + layout.eta + d] : x[at + layout.effect];
  return {
    alpha,
    gamma: layout.gamma >= 0 ? x[at + layout.gamma] : 0,
    delta: layout.delta >= 0 ? x[at + layout.delta] : 0,
    phi: Math.exp(x[at + layout.logPhi]),
    theta,
    ...(data.household
      ? {
          household: {
            sigma: Math.exp(x[at + layout.logSigmaHousehold]),
            z: x.subarray(at + layout.zHousehold, at + layout.zHousehold + data.household.nHouseholds),
          },
        }
      : {}),
  };
}

/** The expected chronic shares of every thinned draw, by chain. */
export function computeChronicAbsenceDraws(model: AbsenceModel, outputs: readonly ChainOutput[]): ChronicAbsenceDraws {
  const { data } = model;
  const dim = parameterLayout(data).dimension;
  const perChain = outputs.length > 0 ? outputs[0].draws.length / dim : 0;
  const stride = Math.max(1, Math.ceil((perChain * outputs.length) / CHRONIC_ABSENCE_MAX_DRAWS));
  const control: Float64Array[] = [];
  const treatment: Float64Array[] = [];
  for (const output of outputs) {
    const kept = Math.ceil(perChain / stride);
    const c = new Float64Array(kept);
    const t = new Float64Array(kept);
    for (let j = 0; j < kept; j++) {
      const shares = expectedChronicShares(data, parametersOfDraw(data, output, j * stride));
      c[j] = shares.control;
      t[j] = shares.treatment;
    }
    control.push(c);
    treatment.push(t);
  }
  return { control, treatment };
}

/** Summarizes the shares' draws: each arm's share, the difference in points, per 1,000, and the certainty it fell. */
export function summarizeChronicAbsence(draws: ChronicAbsenceDraws): ChronicAbsence {
  const difference = draws.treatment.map((t, chain) => t.map((v, i) => 100 * (v - draws.control[chain][i])));
  const fell = difference.map((c) => c.map((v) => -v));
  let below = 0;
  let total = 0;
  for (const c of difference)
    for (const v of c) {
      total++;
      if (v < 0) below++;
    }
  return {
    threshold: CHRONIC_SHARE_OF_DAYS,
    share_control: summarizeDraws(draws.control),
    share_treatment: summarizeDraws(draws.treatment),
    difference_points: summarizeDraws(difference),
    fewer_per_1000: summarizeDraws(difference.map((c) => c.map((v) => -10 * v))),
    certainty_fell: total > 0 ? below / total : NaN,
    certainty_fell_mc_error: certaintyMcError(fell, 0),
    draws: total,
  };
}

/**
 * Chronic absence from the posterior predictive distribution (docs/model.md, "Chronic
 * absence"): for each posterior draw (at most `CHRONIC_ABSENCE_MAX_DRAWS`), the expected
 * share of the students in the fit who would miss 10% or more of their enrolled days
 * were all of them sent the messages, and were none; their difference in percentage
 * points with its intervals and the certainty that it fell; and what that is per 1,000
 * students.
 */
export function computeChronicAbsence(model: AbsenceModel, outputs: readonly ChainOutput[]): ChronicAbsence {
  return summarizeChronicAbsence(computeChronicAbsenceDraws(model, outputs));
}

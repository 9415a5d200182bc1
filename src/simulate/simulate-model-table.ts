import type { ModelTableRow } from '../data/model-table.js';
import { UsageError } from '../errors.js';
import type { Rng } from '../random.js';
import { randomNegBinomial, randomNormal } from '../random.js';

/** One simulated district: its size and (optionally) its true effect parameter. */
export interface SimulatedDistrict {
  readonly name?: string;
  readonly students: number;
  /** True `theta[d]` (log rate ratio); drawn as `muTheta + tau * Normal(0, 1)` when absent. */
  readonly theta?: number;
}

export interface SimulateModelTableOptions {
  /** Districts and their sizes; a number means that many districts of `studentsPerDistrict`. */
  readonly districts: readonly SimulatedDistrict[] | number;
  readonly studentsPerDistrict?: number;
  /** Randomization blocks per district (students spread evenly); default 4. */
  readonly blocksPerDistrict?: number;
  /** True `mu_theta` (or `theta` for one district): log rate ratio, default log(0.9). */
  readonly muTheta?: number;
  /** True between-district sd of theta; default 0.05. */
  readonly tau?: number;
  /** Block intercepts are Normal(alphaMean, alphaSd); default log(0.07) and 0.3. */
  readonly alphaMean?: number;
  readonly alphaSd?: number;
  /** True baseline slope and missing-baseline shift; defaults 0.6 and 0.2. */
  readonly gamma?: number;
  readonly delta?: number;
  /** True NB2 dispersion; default 2. */
  readonly phi?: number;
  /**
   * Days in the outcome window for a student enrolled throughout; default 40. A range
   * `[min, max]` draws each such student's days uniformly (schools' calendars differ).
   */
  readonly windowDays?: number | DayRange;
  /** Days in the baseline period; default 60. A range `[min, max]` draws each student's. */
  readonly baselineDays?: number | DayRange;
  /** Share of students with no baseline (0: everyone has one, 1: nobody does); default 0.1. */
  readonly missingBaseline?: number;
  /** Share enrolled only part of the window; default 0.15. */
  readonly partialEnrolment?: number;
  /** Share enrolled 0 days (attrition); default 0.01. */
  readonly attrition?: number;
  /** Share with a half day added to their absences; default 0. */
  readonly halfDays?: number;
  /** Probability of treatment; default 0.5 (assigned by coin flip within block). */
  readonly pTreatment?: number;
}

/** Whole days, `[min, max]` inclusive. */
export type DayRange = readonly [number, number];

/** A fixed number of days draws nothing, so adding range options never shifts old streams. */
function drawDays(rng: Rng, days: number | DayRange): number {
  if (typeof days === 'number') return days;
  return days[0] + Math.floor(rng() * (days[1] - days[0] + 1));
}

function minimumDays(days: number | DayRange): number {
  return typeof days === 'number' ? days : days[0];
}

export interface SimulatedModelTable {
  readonly table: ModelTableRow[];
  /** The parameters the table was drawn from. */
  readonly truth: {
    readonly muTheta: number;
    readonly tau: number;
    readonly theta: Readonly<Record<string, number>>;
    readonly alpha: Readonly<Record<string, number>>;
    readonly gamma: number;
    readonly delta: number;
    readonly phi: number;
    /** `1 - exp(muTheta)`: the effect a fit should recover. */
    readonly effect: number;
  };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/**
 * Draws a model table from the standard absence model with known parameters
 * (docs/model.md): a student's baseline rate carries a latent propensity,
 * the baseline covariate `z` is standardized as the spec says, and the outcome is
 * `NegBinomial2(e exp(alpha[k] + gamma z + delta m + theta[d] T), phi)`, so a fit of the
 * model to it is well specified. All randomness comes from `rng`.
 */
export function simulateModelTable(rng: Rng, options: SimulateModelTableOptions): SimulatedModelTable {
  const perDistrict = options.studentsPerDistrict ?? 1000;
  const districts: SimulatedDistrict[] =
    typeof options.districts === 'number'
      ? Array.from({ length: options.districts }, () => ({ students: perDistrict }))
      : [...options.districts];
  if (districts.length === 0 || districts.some((d) => !(d.students >= 1))) {
    throw new UsageError('simulateModelTable', 'every district needs at least one student');
  }
  const blocksPerDistrict = options.blocksPerDistrict ?? 4;
  const muTheta = options.muTheta ?? Math.log(0.9);
  const tau = options.tau ?? 0.05;
  const alphaMean = options.alphaMean ?? Math.log(0.07);
  const alphaSd = options.alphaSd ?? 0.3;
  const gamma = options.gamma ?? 0.6;
  const delta = options.delta ?? 0.2;
  const phi = options.phi ?? 2;
  const windowDays = options.windowDays ?? 40;
  const baselineDays = options.baselineDays ?? 60;
  for (const days of [windowDays, baselineDays]) {
    if (typeof days !== 'number' && !(Number.isInteger(days[0]) && Number.isInteger(days[1]) && days[0] >= 1 && days[0] <= days[1])) {
      throw new UsageError(
        'simulateModelTable',
        `a day range must be whole days [min, max] with 1 <= min <= max, got [${days.join(', ')}]`,
      );
    }
  }
  const missingBaseline = options.missingBaseline ?? 0.1;
  const partialEnrolment = options.partialEnrolment ?? 0.15;
  const attrition = options.attrition ?? 0.01;
  const halfDays = options.halfDays ?? 0;
  const pTreatment = options.pTreatment ?? 0.5;
  const width = String(districts.reduce((s, d) => s + d.students, 0)).length;

  const theta: Record<string, number> = {};
  const alpha: Record<string, number> = {};
  const students: { id: string; district: string; block: string; treat: 0 | 1; e: number; b?: number; eb?: number }[] = [];
  let next = 0;
  districts.forEach((district, dIndex) => {
    const name = district.name ?? `D${pad(dIndex + 1, 2)}`;
    theta[name] = district.theta ?? (districts.length === 1 ? muTheta : muTheta + tau * randomNormal(rng));
    const blocks = Math.max(1, Math.min(blocksPerDistrict, district.students));
    for (let k = 0; k < blocks; k++) alpha[`${name}-B${k + 1}`] = alphaMean + alphaSd * randomNormal(rng);
    for (let i = 0; i < district.students; i++) {
      const block = `${name}-B${(i % blocks) + 1}`;
      const u = rng();
      const e =
        u < attrition
          ? 0
          : u < attrition + partialEnrolment
            ? 1 + Math.floor(rng() * (minimumDays(windowDays) - 1))
            : drawDays(rng, windowDays);
      const treat: 0 | 1 = rng() < pTreatment ? 1 : 0;
      const student: (typeof students)[number] = { id: `S${pad(++next, width)}`, district: name, block, treat, e };
      if (rng() >= missingBaseline) {
        // A latent propensity drives the baseline count; z (below) carries it into the outcome.
        student.eb = drawDays(rng, baselineDays);
        student.b = randomNegBinomial(rng, student.eb * Math.exp(alpha[block] + 0.5 * randomNormal(rng)), 5);
      }
      students.push(student);
    }
  });

  // Standardize the baseline as the spec does: over students in the fit (e > 0) with one.
  const inFit = students.filter((s) => s.e > 0 && s.b !== undefined);
  const logRatio = (s: { b?: number; eb?: number }) => Math.log((s.b! + 0.5) / (s.eb! + 1));
  const mean = inFit.reduce((sum, s) => sum + logRatio(s), 0) / Math.max(1, inFit.length);
  const sd = inFit.length > 1 ? Math.sqrt(inFit.reduce((sum, s) => sum + (logRatio(s) - mean) ** 2, 0) / (inFit.length - 1)) : 0;
  const anyMissing = students.some((s) => s.e > 0 && s.b === undefined);
  const table: ModelTableRow[] = students.map((s) => {
    const present = s.b !== undefined;
    const z = present && sd > 0 ? (logRatio(s) - mean) / sd : 0;
    const m = present || inFit.length === 0 || !anyMissing ? 0 : 1;
    const eta = alpha[s.block] + (inFit.length > 0 ? gamma * z + delta * m : 0) + theta[s.district] * s.treat;
    let y = s.e > 0 ? randomNegBinomial(rng, s.e * Math.exp(eta), phi) : 0;
    if (halfDays > 0 && rng() < halfDays) y += 0.5;
    return {
      student_id: s.id,
      y,
      e: s.e,
      treat: s.treat,
      block: s.block,
      district: s.district,
      ...(present ? { baseline_absences: s.b, baseline_days: s.eb } : {}),
    };
  });
  const trueMu = districts.length === 1 ? theta[Object.keys(theta)[0]] : muTheta;
  return {
    table,
    truth: {
      muTheta: trueMu,
      tau: districts.length === 1 ? 0 : tau,
      theta,
      alpha,
      gamma: inFit.length > 0 ? gamma : 0,
      delta: anyMissing && inFit.length > 0 ? delta : 0,
      phi,
      effect: 1 - Math.exp(trueMu),
    },
  };
}

import * as ss from 'simple-statistics';
import type { RosterColumns } from '../data/roster-columns.js';
import { rosterColumnsOf } from '../data/roster-columns.js';
import type { Assignment, RosterStudent } from '../types.js';
import { GRADES } from '../types.js';

/** One row of `balance.csv`: a variable (or one level of it) by arm, with SMDs against control. */
export interface BalanceRow {
  readonly variable: string;
  /** The level for a categorical variable (`grade` 3, a school); empty for a number. */
  readonly level: string;
  readonly n: Readonly<Record<string, number>>;
  readonly mean: Readonly<Record<string, number>>;
  /** Standardized mean difference of each non-control arm against control. */
  readonly smd: Readonly<Record<string, number>>;
  /** |SMD| > 0.1 for some arm: the conventional mark of imbalance. */
  readonly flagged: boolean;
}

export const SMD_THRESHOLD = 0.1;

/** Running sums for a mean and a sample variance. */
interface Moments {
  n: number;
  sum: number;
  sumSquares: number;
}

const emptyMoments = (): Moments => ({ n: 0, sum: 0, sumSquares: 0 });

function meanOf(m: Moments): number {
  return m.n === 0 ? NaN : m.sum / m.n;
}

function varianceOf(m: Moments): number {
  if (m.n < 2) return 0;
  return Math.max(0, (m.sumSquares - (m.sum * m.sum) / m.n) / (m.n - 1));
}

/**
 * Standardized mean difference, (mean_t - mean_c) / sqrt((var_t + var_c) / 2)
 * (Austin 2009, "Balance diagnostics for comparing the distribution of baseline
 * covariates"). Zero when both groups are constant and equal.
 */
function smd(treated: { mean: number; variance: number }, control: { mean: number; variance: number }): number {
  const difference = treated.mean - control.mean;
  const pooled = Math.sqrt((treated.variance + control.variance) / 2);
  if (Number.isNaN(difference) || difference === 0) return 0;
  return pooled > 0 ? difference / pooled : Math.sign(difference) * Infinity;
}

/**
 * The SMD from running sums, as the balance table computes it. simple-statistics' mean
 * and sampleVariance would need each arm's values as arrays: at a million students that
 * tripled the balance table's time (measured: 19-53 ms by sums against 127-488 ms by
 * arrays for 300,000 students), so the table keeps sums and `standardizedMeanDifference`
 * below, on arrays, is simple-statistics' own.
 */
function smdOf(treated: Moments, control: Moments): number {
  return smd({ mean: meanOf(treated), variance: varianceOf(treated) }, { mean: meanOf(control), variance: varianceOf(control) });
}

/** The SMD of two samples (see `computeBalance`), with simple-statistics' mean and sample variance. */
export function standardizedMeanDifference(treated: readonly number[], control: readonly number[]): number {
  const moments = (xs: readonly number[]) => ({
    mean: xs.length > 0 ? ss.mean(xs) : NaN,
    variance: xs.length > 1 ? ss.sampleVariance(xs) : 0,
  });
  return smd(moments(treated), moments(control));
}

/**
 * Balance of an assignment: baseline absence rate, having a baseline, household size,
 * grade mix and school, by arm, with SMDs of each arm against control. Roster students
 * without an assignment (or with an arm outside `arms`) are left out; a student's
 * household size counts the assigned students sharing its household_id.
 */
export function computeBalance(
  roster: readonly RosterStudent[],
  assignments: readonly Assignment[],
  arms: readonly string[],
  controlArm: string,
): BalanceRow[] {
  const armIndex = new Map(arms.map((arm, i) => [arm, i]));
  const armOf = new Map<string, number>();
  const householdSize = new Map<string, number>();
  for (const a of assignments) {
    armOf.set(a.student_id, armIndex.get(a.arm) ?? -1);
    householdSize.set(a.household_id, (householdSize.get(a.household_id) ?? 0) + 1);
  }
  const armOfStudent = new Int32Array(roster.length);
  const householdSizeOfStudent = new Int32Array(roster.length);
  roster.forEach((s, i) => {
    armOfStudent[i] = armOf.get(s.student_id) ?? -1;
    householdSizeOfStudent[i] = householdSize.get(s.household_id) ?? 1;
  });
  return computeBalanceByPosition(rosterColumnsOf(roster), armOfStudent, householdSizeOfStudent, arms, controlArm);
}

/**
 * `computeBalance` when each roster student's arm (an index into `arms`, negative for
 * none) and household size are already known by position, as an initial assignment
 * knows them: one pass, with no lookup by id. A level of a categorical variable is a 0/1
 * indicator, whose moments follow from the count of ones, so a million students in two
 * thousand schools stay fast.
 */
export function computeBalanceByPosition(
  roster: RosterColumns,
  armOfStudent: ArrayLike<number>,
  householdSizeOfStudent: ArrayLike<number>,
  arms: readonly string[],
  controlArm: string,
): BalanceRow[] {
  const numeric = ['baseline_absence_rate', 'has_baseline', 'household_size'].map((variable) => ({
    variable,
    byArm: arms.map(emptyMoments),
  }));
  const [rate, hasBaseline, householdSize] = numeric.map((v) => v.byArm);
  const grades = new Map<string, number[]>();
  const schools = new Map<string, number[]>();
  const totals = arms.map(() => 0);
  const add = (m: Moments, x: number) => {
    m.n++;
    m.sum += x;
    m.sumSquares += x * x;
  };
  const countLevel = (levels: Map<string, number[]>, level: string, arm: number) => {
    const counts = levels.get(level);
    if (counts) counts[arm]++;
    else
      levels.set(
        level,
        arms.map((_, a) => (a === arm ? 1 : 0)),
      );
  };
  const { baselineAbsences, baselineDays } = roster;
  for (let i = 0; i < roster.count; i++) {
    const arm = armOfStudent[i];
    if (arm < 0 || arm >= arms.length) continue;
    totals[arm]++;
    // A student without a baseline has NaN days, which is not > 0.
    if (baselineDays[i] > 0) add(rate[arm], (Number.isNaN(baselineAbsences[i]) ? 0 : baselineAbsences[i]) / baselineDays[i]);
    add(hasBaseline[arm], Number.isNaN(baselineDays[i]) ? 0 : 1);
    add(householdSize[arm], householdSizeOfStudent[i]);
    countLevel(grades, roster.grades[i], arm);
    countLevel(schools, roster.schoolIds[i], arm);
  }
  const control = arms.indexOf(controlArm);
  const row = (variable: string, level: string, byArm: readonly Moments[]): BalanceRow => {
    const n: Record<string, number> = {};
    const mean: Record<string, number> = {};
    const smd: Record<string, number> = {};
    arms.forEach((arm, i) => {
      n[arm] = byArm[i].n;
      mean[arm] = meanOf(byArm[i]);
      if (arm !== controlArm) smd[arm] = smdOf(byArm[i], byArm[control]);
    });
    return { variable, level, n, mean, smd, flagged: Object.values(smd).some((d) => Math.abs(d) > SMD_THRESHOLD) };
  };
  const indicator = (ones: readonly number[]) => ones.map((k, i) => ({ n: totals[i], sum: k, sumSquares: k }));
  const gradeOrder = (a: string, b: string) => GRADES.indexOf(a as never) - GRADES.indexOf(b as never);
  return [
    ...numeric.map(({ variable, byArm }) => row(variable, '', byArm)),
    ...[...grades.keys()].sort(gradeOrder).map((g) => row('grade', g, indicator(grades.get(g)!))),
    ...[...schools.keys()].sort().map((school) => row('school', school, indicator(schools.get(school)!))),
  ];
}

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

function meanVariance(values: readonly number[]): [number, number] {
  const n = values.length;
  if (n === 0) return [NaN, NaN];
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = n > 1 ? values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return [mean, variance];
}

/**
 * Standardized mean difference, (mean_t - mean_c) / sqrt((var_t + var_c) / 2)
 * (Austin 2009, "Balance diagnostics for comparing the distribution of baseline
 * covariates"). Zero when both groups are constant and equal.
 */
export function standardizedMeanDifference(treated: readonly number[], control: readonly number[]): number {
  const [mt, vt] = meanVariance(treated);
  const [mc, vc] = meanVariance(control);
  const pooled = Math.sqrt((vt + vc) / 2);
  if (!(pooled > 0)) return mt === mc || Number.isNaN(mt - mc) ? 0 : Math.sign(mt - mc) * Infinity;
  return (mt - mc) / pooled;
}

/**
 * Balance of an assignment: baseline absence rate, having a baseline, household size,
 * grade mix and school, by arm, with SMDs of each arm against control.
 */
export function computeBalance(roster: readonly RosterStudent[], assignments: readonly Assignment[], arms: readonly string[], controlArm: string): BalanceRow[] {
  const armOf = new Map(assignments.map((a) => [a.student_id, a.arm]));
  const householdSize = new Map<string, number>();
  for (const a of assignments) householdSize.set(a.household_id, (householdSize.get(a.household_id) ?? 0) + 1);
  const students = roster.filter((s) => armOf.has(s.student_id));
  const variables: { variable: string; level: string; value: (s: RosterStudent) => number | undefined }[] = [
    {
      variable: 'baseline_absence_rate', level: '',
      value: (s) => (s.baseline_days !== undefined && s.baseline_days > 0 ? (s.baseline_absences ?? 0) / s.baseline_days : undefined),
    },
    { variable: 'has_baseline', level: '', value: (s) => (s.baseline_days !== undefined ? 1 : 0) },
    { variable: 'household_size', level: '', value: (s) => householdSize.get(s.household_id) ?? 1 },
  ];
  const grades = GRADES.filter((g) => students.some((s) => s.grade === g));
  for (const grade of grades) variables.push({ variable: 'grade', level: grade, value: (s) => (s.grade === grade ? 1 : 0) });
  const schools = [...new Set(students.map((s) => s.school_id))].sort();
  for (const school of schools) variables.push({ variable: 'school', level: school, value: (s) => (s.school_id === school ? 1 : 0) });

  return variables.map(({ variable, level, value }) => {
    const byArm = new Map<string, number[]>(arms.map((arm) => [arm, []]));
    for (const s of students) {
      const v = value(s);
      if (v !== undefined) byArm.get(armOf.get(s.student_id)!)?.push(v);
    }
    const n: Record<string, number> = {};
    const mean: Record<string, number> = {};
    const smd: Record<string, number> = {};
    for (const arm of arms) {
      n[arm] = byArm.get(arm)!.length;
      mean[arm] = meanVariance(byArm.get(arm)!)[0];
      if (arm !== controlArm) smd[arm] = standardizedMeanDifference(byArm.get(arm)!, byArm.get(controlArm)!);
    }
    return { variable, level, n, mean, smd, flagged: Object.values(smd).some((d) => Math.abs(d) > SMD_THRESHOLD) };
  });
}

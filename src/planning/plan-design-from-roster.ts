import type { RosterStudent } from '../types.js';
import type { PlanDesign } from './plan-design.js';
import { buildPlanDesign } from './plan-design.js';

export interface RosterPlanOptions {
  /** School days in the outcome window. */
  readonly windowDays: number;
  /** Daily absence rate when no student has a baseline. */
  readonly absenceRate?: number;
}

/**
 * A planned study from a real roster: its districts, its blocks as `pilot assign` makes
 * them by default (district x school x grade), its households (siblings share an arm) and
 * last year's absences (`baseline_absences` / `baseline_days`), which set each block's
 * expected rate and each student's baseline covariate. Names and ids are not kept.
 */
export function planDesignFromRoster(students: readonly RosterStudent[], options: RosterPlanOptions): PlanDesign {
  return buildPlanDesign(
    students.map((s) => ({
      district: s.district_id,
      block: `${s.district_id}|${s.school_id}|${s.grade}`,
      household: s.household_id,
      baseline_absences: s.baseline_absences,
      baseline_days: s.baseline_days,
    })),
    options,
  );
}

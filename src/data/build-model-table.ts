import type { Assignment, RosterStudent } from '../types.js';
import type { ModelTableRow } from './model-table.js';
import type { WindowTotals } from './read-window-totals.js';

export interface ModelTableSources {
  /** Every randomized student: the model is intent to treat. */
  readonly assignments: readonly Assignment[];
  /** Days enrolled and absent in the outcome window; a student without a row was enrolled 0 days. */
  readonly outcome: WindowTotals;
  /** Baseline from a date window of the attendance data; when absent, the roster's baseline columns. */
  readonly baseline?: WindowTotals;
  readonly roster?: readonly RosterStudent[];
  /** The arm coded `treat = 0`. */
  readonly controlArm: string;
  /** Arms coded `treat = 1` (default: every arm but control); students in other arms are left out. */
  readonly treatmentArms?: readonly string[];
}

/**
 * Builds the model table (one row per randomized student) from the assignment and the
 * attendance totals. Students never seen in the outcome window get `e = 0` and so are
 * counted as attrition by the fit, not silently dropped. The block and district are the
 * ones recorded at assignment, and so is the household (siblings were randomized together).
 */
export function buildModelTable(sources: ModelTableSources): ModelTableRow[] {
  const treated = new Set(
    sources.treatmentArms ?? [...new Set(sources.assignments.map((a) => a.arm))].filter((arm) => arm !== sources.controlArm),
  );
  const rosterBaseline = new Map((sources.roster ?? []).map((s) => [s.student_id, s]));
  const rows: ModelTableRow[] = [];
  for (const a of sources.assignments) {
    if (a.arm !== sources.controlArm && !treated.has(a.arm)) continue;
    const outcome = sources.outcome.get(a.student_id);
    let baselineAbsences: number | undefined;
    let baselineDays: number | undefined;
    if (sources.baseline) {
      const b = sources.baseline.get(a.student_id);
      if (b && b.days_enrolled > 0) [baselineAbsences, baselineDays] = [b.days_absent, b.days_enrolled];
    } else {
      const s = rosterBaseline.get(a.student_id);
      if (s?.baseline_days !== undefined && s.baseline_days > 0) [baselineAbsences, baselineDays] = [s.baseline_absences, s.baseline_days];
    }
    rows.push({
      student_id: a.student_id,
      y: outcome?.days_absent ?? 0,
      e: outcome?.days_enrolled ?? 0,
      treat: a.arm === sources.controlArm ? 0 : 1,
      block: a.block,
      district: a.district_id,
      baseline_absences: baselineAbsences,
      baseline_days: baselineDays,
      household: a.household_id,
    });
  }
  return rows;
}

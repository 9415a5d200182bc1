import { compareStudentIds } from '../data/compare-student-ids.js';
import { rosterColumnsOf } from '../data/roster-columns.js';
import type { Assignment, RosterStudent } from '../types.js';
import type { AssignmentRun, BlockCount } from './assign-blocked.js';
import { assignmentRow, assignRoster } from './assign-blocked.js';
import type { AssignmentDesign } from './design.js';
import { blockOf } from './design.js';

export interface LateEnrolleeRun extends AssignmentRun {
  /** New students who joined a household already assigned (they take its arm). */
  readonly joinedHouseholds: number;
}

/**
 * Assigns students who enrolled after the study began, disturbing no one: a new sibling
 * joins the arm (and block) of the household already assigned; new households are
 * randomized within their blocks under the same design, with a stream derived from the
 * original seed and the run's label (`late-1`, `late-2`, ...). Returns only new rows.
 *
 * In a continuing study, `previousYear` (last year's rows) keeps the year's rule for late
 * enrollees too: a student of last year, or (clustered) a student whose household_id was
 * in last year's assignment, takes last year's arm, in the block of their own place.
 */
export function addLateEnrollees(
  existing: readonly Assignment[],
  roster: readonly RosterStudent[],
  design: AssignmentDesign,
  seed: number,
  label: string,
  previousYear: readonly Assignment[] = [],
): LateEnrolleeRun {
  const assigned = new Set(existing.map((a) => a.student_id));
  const householdArm = new Map<string, Assignment>();
  for (const row of existing) if (!householdArm.has(row.household_id)) householdArm.set(row.household_id, row);
  const lastYearOf = new Map(previousYear.map((row) => [row.student_id, row]));
  const lastYearOfHousehold = new Map<string, Assignment>();
  for (const row of previousYear) if (!lastYearOfHousehold.has(row.household_id)) lastYearOfHousehold.set(row.household_id, row);
  const newcomers = roster.filter((s) => !assigned.has(s.student_id));
  const joining: Assignment[] = [];
  const fresh: RosterStudent[] = [];
  for (const student of newcomers) {
    const household = design.clustered ? householdArm.get(student.household_id) : undefined;
    const lastYear = household
      ? undefined
      : (lastYearOf.get(student.student_id) ?? (design.clustered ? lastYearOfHousehold.get(student.household_id) : undefined));
    if (household) {
      joining.push(assignmentRow(student, household.block, household.arm, household.p_treatment, label));
    } else if (lastYear) {
      joining.push(assignmentRow(student, blockOf(student, design.blockBy), lastYear.arm, lastYear.p_treatment, label));
    } else fresh.push(student);
  }
  // New households are randomized as a first run's are, under this run's label.
  const run = assignRoster(rosterColumnsOf(fresh), design, seed, undefined, label);
  const assignments = [...run.assignments, ...joining].sort(compareStudentIds);
  const joined = new Map<string, BlockCount>();
  for (const row of joining) {
    const key = `${row.block}\u0000${row.arm}`;
    const count = joined.get(key) ?? { block: row.block, arm: row.arm, households: 0, students: 0 };
    joined.set(key, { ...count, students: count.students + 1 });
  }
  return {
    assignments,
    counts: [...run.counts, ...joined.values()],
    households: run.households,
    householdsSpanningBlocks: run.householdsSpanningBlocks,
    joinedHouseholds: joining.length,
  };
}

import type { Grade, RosterStudent } from '../types.js';

/**
 * The roster fields an assignment reads, as columns: `studentIds[i]`, `grades[i]`, ... are
 * student `i`'s. A million-student roster read for `pilot assign` stays in this form
 * (`validateRosterColumns`): no object per student to build and collect, and numbers in
 * typed arrays.
 */
export interface RosterColumns {
  readonly count: number;
  readonly studentIds: readonly string[];
  readonly districtIds: readonly string[];
  readonly schoolIds: readonly string[];
  readonly grades: readonly Grade[];
  /** The student's household_id, or its own student_id when it has none (as `RosterStudent`). */
  readonly householdIds: readonly string[];
  /** NaN for a student without a baseline. */
  readonly baselineAbsences: Float64Array;
  readonly baselineDays: Float64Array;
}

/** The columns of students already read as objects (a OneRoster bundle, the library API). */
export function rosterColumnsOf(students: readonly RosterStudent[]): RosterColumns {
  const count = students.length;
  const columns = {
    count,
    studentIds: new Array<string>(count),
    districtIds: new Array<string>(count),
    schoolIds: new Array<string>(count),
    grades: new Array<Grade>(count),
    householdIds: new Array<string>(count),
    baselineAbsences: new Float64Array(count),
    baselineDays: new Float64Array(count),
  };
  for (let i = 0; i < count; i++) {
    const s = students[i];
    columns.studentIds[i] = s.student_id;
    columns.districtIds[i] = s.district_id;
    columns.schoolIds[i] = s.school_id;
    columns.grades[i] = s.grade;
    columns.householdIds[i] = s.household_id;
    columns.baselineAbsences[i] = s.baseline_absences ?? NaN;
    columns.baselineDays[i] = s.baseline_days ?? NaN;
  }
  return columns;
}

/** The columns with their students in `order` (`order[k]` is the student that comes k-th). */
export function rosterColumnsInOrder(columns: RosterColumns, order: ArrayLike<number>): RosterColumns {
  const pick = <T>(values: readonly T[]): T[] => {
    const picked = new Array<T>(order.length);
    for (let k = 0; k < order.length; k++) picked[k] = values[order[k]];
    return picked;
  };
  const pickNumbers = (values: Float64Array): Float64Array => {
    const picked = new Float64Array(order.length);
    for (let k = 0; k < order.length; k++) picked[k] = values[order[k]];
    return picked;
  };
  return {
    count: order.length,
    studentIds: pick(columns.studentIds),
    districtIds: pick(columns.districtIds),
    schoolIds: pick(columns.schoolIds),
    grades: pick(columns.grades),
    householdIds: pick(columns.householdIds),
    baselineAbsences: pickNumbers(columns.baselineAbsences),
    baselineDays: pickNumbers(columns.baselineDays),
  };
}

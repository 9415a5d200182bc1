import type { ColumnTable } from 'arquero';
import { from } from 'arquero';
import type { Assignment, RosterStudent } from '../types.js';
import type { ModelTable } from './model-table.js';
import { MODEL_TABLE_COLUMNS } from './model-table.js';
import type { SchoolCalendar } from './read-calendar.js';
import { ROSTER_COLUMNS } from './read-roster.js';
import type { WindowTotals } from './read-window-totals.js';

// The readers return plain objects (fast, typed, what the CLI needs); analysts and
// notebooks want tables to filter, group and join. These give every reader's result as an
// arquero table with the columns of data-formats.md, in that order, blanks as undefined.

/** The roster, one row per student, with every roster column. */
export function rosterTable(students: readonly RosterStudent[]): ColumnTable {
  return from(students, [...ROSTER_COLUMNS]);
}

const ASSIGNMENT_COLUMNS: (keyof Assignment)[] = [
  'student_id',
  'household_id',
  'district_id',
  'school_id',
  'grade',
  'block',
  'arm',
  'p_treatment',
  'assigned_at',
];

/** The assignment, one row per student, as in `assignments.csv`. */
export function assignmentsTable(assignments: readonly Assignment[]): ColumnTable {
  return from(assignments, ASSIGNMENT_COLUMNS);
}

/** The calendar's rows: `date`, `school_id` (undefined for all schools), `instructional`. */
export function calendarTable(calendar: SchoolCalendar): ColumnTable {
  return from(calendar.days, ['date', 'school_id', 'instructional']);
}

/** Days enrolled and absent per student over one window, sorted by student id. */
export function windowTotalsTable(totals: WindowTotals): ColumnTable {
  const ids = [...totals.keys()].sort();
  return from(
    ids.map((student_id) => ({ student_id, ...totals.get(student_id)! })),
    ['student_id', 'days_enrolled', 'days_absent'],
  );
}

/** The model table (`model_input.csv`), one row per randomized student. */
export function modelTableTable(table: ModelTable): ColumnTable {
  return from(table, [...MODEL_TABLE_COLUMNS]);
}

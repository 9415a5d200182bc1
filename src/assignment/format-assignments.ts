import type { Assignment } from '../types.js';
import { formatCsv } from '../io/write-csv.js';

export const ASSIGNMENT_COLUMNS = ['student_id', 'household_id', 'district_id', 'school_id', 'grade', 'block', 'arm', 'p_treatment', 'assigned_at'] as const;

/** `assignments.csv` text; `header: false` gives rows to append to an existing file. */
export function formatAssignments(rows: readonly Assignment[], header = true): string {
  const text = formatCsv(ASSIGNMENT_COLUMNS, rows.map((r) => ASSIGNMENT_COLUMNS.map((c) => r[c])));
  return header ? text : text.slice(text.indexOf('\n') + 1);
}

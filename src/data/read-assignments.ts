import type { Issue } from '../errors.js';
import { ValidationError } from '../errors.js';
import type { CsvSource } from '../io/read-csv.js';
import { readCsv } from '../io/read-csv.js';
import type { Assignment } from '../types.js';
import { normalizeGrade } from './normalize-grade.js';
import { requireColumns } from './require-columns.js';

const COLUMNS = ['student_id', 'household_id', 'district_id', 'school_id', 'grade', 'block', 'arm', 'p_treatment', 'assigned_at'] as const;

/** Reads `assignments.csv` as `pilot assign` wrote it; every malformed row is reported. */
export async function readAssignments(source: CsvSource, file: string): Promise<Assignment[]> {
  const table = await readCsv(source, file);
  const issues: Issue[] = requireColumns(table, COLUMNS, 'an assignment file');
  if (issues.length > 0) throw new ValidationError(issues, `${file} is not an assignment file`);
  const c = table.columns;
  const seen = new Set<string>();
  const rows: Assignment[] = [];
  for (let i = 0; i < table.rowCount; i++) {
    const row = table.lines[i];
    const grade = normalizeGrade(c.grade[i]);
    const p = Number(c.p_treatment[i]);
    if (c.student_id[i] === '') issues.push({ file, row, column: 'student_id', message: 'blank student_id' });
    else if (seen.has(c.student_id[i])) issues.push({ file, row, column: 'student_id', message: `student "${c.student_id[i]}" is assigned twice` });
    seen.add(c.student_id[i]);
    if (!grade) issues.push({ file, row, column: 'grade', message: `unknown grade "${c.grade[i]}"` });
    if (c.arm[i] === '') issues.push({ file, row, column: 'arm', message: 'blank arm' });
    if (c.p_treatment[i] === '' || !(p >= 0 && p <= 1)) issues.push({ file, row, column: 'p_treatment', message: `"${c.p_treatment[i]}" is not a probability` });
    if (issues.length > 0) continue;
    rows.push({
      student_id: c.student_id[i], household_id: c.household_id[i], district_id: c.district_id[i], school_id: c.school_id[i],
      grade: grade!, block: c.block[i], arm: c.arm[i], p_treatment: p, assigned_at: c.assigned_at[i],
    });
  }
  if (issues.length > 0) throw new ValidationError(issues, `${file} is not a valid assignment file`);
  return rows;
}

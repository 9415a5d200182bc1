import type { Issue } from '../errors.js';
import { ValidationError } from '../errors.js';
import type { CsvSource } from '../io/read-csv.js';
import { StringPool, streamCsv } from '../io/read-csv.js';
import type { Assignment } from '../types.js';
import { idProblem } from './check-id.js';
import { normalizeGrade } from './normalize-grade.js';
import { requireColumns } from './require-columns.js';

const COLUMNS = ['student_id', 'household_id', 'district_id', 'school_id', 'grade', 'block', 'arm', 'p_treatment', 'assigned_at'] as const;
type Column = (typeof COLUMNS)[number];

/**
 * Columns with a value per block at most (tens of thousands). Each distinct value is
 * kept once: two million rows then hold some twenty thousand strings, not two million
 * copies (or slices that keep the whole text they were read from alive).
 */
const CODES = ['district_id', 'school_id', 'grade', 'block', 'arm', 'assigned_at'] as const;
const CODE_POOL_LIMIT = 100_000;

/**
 * Reads `assignments.csv` as `pilot assign` wrote it; every malformed row is reported.
 * Streamed row by row into assignments, so a file of millions of rows is never also held
 * as a table of columns.
 */
export async function readAssignments(source: CsvSource, file: string): Promise<Assignment[]> {
  const issues: Issue[] = [];
  let missing: Issue[] = [];
  let at = {} as Record<Column, number>;
  const pools = Object.fromEntries(CODES.map((name) => [name, new StringPool(CODE_POOL_LIMIT)])) as Record<
    (typeof CODES)[number],
    StringPool
  >;
  const seen = new Set<string>();
  const rows: Assignment[] = [];
  const onHeader = (header: readonly string[]) => {
    // The header as a table without rows: the same check, and words, as every reader's.
    const headerOnly = { file, header, columns: Object.fromEntries(header.map((name) => [name, []])), lines: [], rowCount: 0 };
    missing = requireColumns(headerOnly, COLUMNS, 'an assignment file');
    at = Object.fromEntries(COLUMNS.map((name) => [name, header.indexOf(name)])) as Record<Column, number>;
    return header.map((_, index) => COLUMNS.some((name) => at[name] === index));
  };
  const onRow = (fields: string[], row: number) => {
    if (missing.length > 0) return;
    const id = fields[at.student_id];
    const gradeText = fields[at.grade];
    const grade = normalizeGrade(gradeText);
    const pText = fields[at.p_treatment];
    const p = Number(pText);
    const badId = idProblem('student_id', id);
    if (id === '') issues.push({ file, row, column: 'student_id', message: 'blank student_id' });
    else if (badId !== undefined) issues.push({ file, row, column: 'student_id', message: badId });
    else if (seen.has(id)) issues.push({ file, row, column: 'student_id', message: `student "${id}" is assigned twice` });
    seen.add(id);
    if (!grade) issues.push({ file, row, column: 'grade', message: `unknown grade "${gradeText}"` });
    if (fields[at.arm] === '') issues.push({ file, row, column: 'arm', message: 'blank arm' });
    if (pText === '' || !(p >= 0 && p <= 1)) issues.push({ file, row, column: 'p_treatment', message: `"${pText}" is not a probability` });
    if (issues.length > 0) return;
    rows.push({
      student_id: id,
      household_id: fields[at.household_id],
      district_id: pools.district_id.share(fields[at.district_id]),
      school_id: pools.school_id.share(fields[at.school_id]),
      grade: grade!,
      block: pools.block.share(fields[at.block]),
      arm: pools.arm.share(fields[at.arm]),
      p_treatment: p,
      assigned_at: pools.assigned_at.share(fields[at.assigned_at]),
    });
  };
  const unreadable = await streamCsv(source, file, { onHeader, onRow });
  if (unreadable.length > 0) throw new ValidationError(unreadable, `${file} is not a readable CSV file`);
  if (missing.length > 0) throw new ValidationError(missing, `${file} is not an assignment file`);
  if (issues.length > 0) throw new ValidationError(issues, `${file} is not a valid assignment file`);
  return rows;
}

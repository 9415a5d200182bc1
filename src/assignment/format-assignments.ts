import type { Assignment } from '../types.js';
import { formatCsvField } from '../io/write-csv.js';

export const ASSIGNMENT_COLUMNS = ['student_id', 'household_id', 'district_id', 'school_id', 'grade', 'block', 'arm', 'p_treatment', 'assigned_at'] as const;

/**
 * `assignments.csv` text; `header: false` gives rows to append to an existing file.
 * Written by hand rather than through `formatCsv`, for a million rows: no array of cells
 * per row, each repeated value (district, school, grade, block, arm, label) formatted
 * once, and rows joined a few thousand at a time so each row's string dies young. The
 * bytes are `formatCsv`'s: every text cell neutralized and quoted by `formatCsvField`,
 * the probability written as a number.
 */
export function formatAssignments(rows: readonly Assignment[], header = true): string {
  const chunks: string[] = header ? [`${ASSIGNMENT_COLUMNS.join(',')}\n`] : [];
  const repeated = memoizeField();
  const probability = memoizeProbability();
  let lines: string[] = [];
  for (const r of rows) {
    lines.push(
      `${formatCsvField(r.student_id)},${formatCsvField(r.household_id)},${repeated(r.district_id)},${repeated(r.school_id)},` +
        `${repeated(r.grade)},${repeated(r.block)},${repeated(r.arm)},${probability(r.p_treatment)},${repeated(r.assigned_at)}\n`,
    );
    if (lines.length === ROWS_PER_CHUNK) {
      chunks.push(lines.join(''));
      lines = [];
    }
  }
  chunks.push(lines.join(''));
  return chunks.join('');
}

const ROWS_PER_CHUNK = 4096;

/** A number cell as `formatCsv` writes it; a run has one probability, formatted once. */
function memoizeProbability(): (p: number) => string {
  let last = NaN;
  let text = '';
  return (p) => {
    if (p !== last) text = Number.isFinite((last = p)) ? String(p) : '';
    return text;
  };
}

/** `formatCsvField` remembering its answers, for columns with few distinct values. */
function memoizeField(): (value: string) => string {
  const formatted = new Map<string, string>();
  return (value) => {
    let text = formatted.get(value);
    if (text === undefined) formatted.set(value, (text = formatCsvField(value)));
    return text;
  };
}

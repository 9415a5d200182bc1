import type { Issue, Validation } from '../errors.js';
import type { CsvSource } from '../io/read-csv.js';
import { readCsv } from '../io/read-csv.js';
import { idProblem } from './check-id.js';
import type { ModelTableRow } from './model-table.js';
import { parseNonNegative } from './parse-values.js';

const REQUIRED = ['student_id', 'y', 'e', 'treat', 'block', 'district'] as const;
const OPTIONAL = ['baseline_absences', 'baseline_days', 'household'] as const;

/**
 * Reads `model_input.csv` (columns `student_id, y, e, treat, block, district`, and
 * optionally `baseline_absences, baseline_days, household`, which may be blank) and checks every
 * row, collecting every problem with its file, row and column. A malformed CSV throws
 * ValidationError (from readCsv); bad values come back as issues.
 *
 * @example
 * const v = await readModelTable({ path: 'model_input.csv' }, 'model_input.csv');
 * if (!v.ok) v.issues; // [{ file, row: 7, column: 'treat', message: '...' }]
 */
export async function readModelTable(source: CsvSource, file: string): Promise<Validation<ModelTableRow[]> & { readonly sha256?: string }> {
  const csv = await readCsv(source, file, [...REQUIRED, ...OPTIONAL]);
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  const missing = REQUIRED.filter((name) => !csv.header.includes(name));
  if (missing.length > 0) {
    return {
      ok: false,
      issues: [
        {
          file,
          row: 1,
          message: `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (expected ${[...REQUIRED, ...OPTIONAL].join(', ')})`,
        },
      ],
      warnings,
    };
  }
  const rows: ModelTableRow[] = [];
  const seen = new Map<string, number>();
  const column = (name: string, i: number): string => csv.columns[name]?.[i] ?? '';
  for (let i = 0; i < csv.rowCount; i++) {
    const row = csv.lines[i];
    const problem = (columnName: string, message: string) => issues.push({ file, row, column: columnName, message });
    const number = (name: string, opts: { optional?: boolean; integer?: boolean }): number | undefined => {
      const text = column(name, i);
      if (text === '') {
        if (!opts.optional) problem(name, 'is blank');
        return undefined;
      }
      const value = parseNonNegative(text);
      if (value === undefined) {
        problem(name, `"${text}" is not a number >= 0`);
        return undefined;
      }
      if (opts.integer && !Number.isInteger(value)) {
        problem(name, `"${text}" is not a whole number of days`);
        return undefined;
      }
      return value;
    };
    const student_id = column('student_id', i);
    if (student_id === '') problem('student_id', 'is blank');
    else if (idProblem('student_id', student_id) !== undefined) problem('student_id', idProblem('student_id', student_id)!);
    else if (seen.has(student_id))
      problem('student_id', `"${student_id}" appears again (first on row ${seen.get(student_id)}): one row per student`);
    else seen.set(student_id, row);
    const y = number('y', {});
    const e = number('e', { integer: true });
    const treatText = column('treat', i);
    if (treatText !== '0' && treatText !== '1') problem('treat', `"${treatText}" is not 0 (control) or 1 (treatment)`);
    const block = column('block', i);
    if (block === '') problem('block', 'is blank');
    const district = column('district', i);
    if (district === '') problem('district', 'is blank');
    const baselineAbsences = number('baseline_absences', { optional: true });
    const baselineDays = number('baseline_days', { optional: true });
    // Blank: the student is a household of one (no household term).
    const household = column('household', i);
    // Implausible but not fatal: the model can fit them, and the user should look.
    if (y !== undefined && e !== undefined && y > e)
      warnings.push({ file, row, column: 'y', message: `${y} days absent is more than the ${e} days enrolled` });
    if (baselineAbsences !== undefined && baselineDays !== undefined && baselineAbsences > baselineDays) {
      warnings.push({
        file,
        row,
        column: 'baseline_absences',
        message: `${baselineAbsences} baseline absences is more than the ${baselineDays} baseline days`,
      });
    }
    if (
      (baselineAbsences === undefined) !== (baselineDays === undefined) &&
      column('baseline_absences', i) + column('baseline_days', i) !== ''
    ) {
      warnings.push({
        file,
        row,
        column: baselineAbsences === undefined ? 'baseline_absences' : 'baseline_days',
        message: 'half a baseline: the student is treated as having none',
      });
    }
    if (y === undefined || e === undefined || (treatText !== '0' && treatText !== '1')) continue;
    rows.push({
      student_id,
      y,
      e,
      treat: treatText === '1' ? 1 : 0,
      block,
      district,
      ...(baselineAbsences !== undefined && baselineDays !== undefined
        ? { baseline_absences: baselineAbsences, baseline_days: baselineDays }
        : {}),
      ...(household !== '' ? { household } : {}),
    });
  }
  if (issues.length === 0 && rows.every((r) => r.e === 0))
    issues.push({ file, message: 'no student was enrolled in the outcome window (every e is 0): nothing to analyze' });
  // The file's SHA-256 was taken as it was read: callers record it without a second read.
  return issues.length > 0 ? { ok: false, issues, warnings } : { ok: true, value: rows, issues, warnings, sha256: csv.sha256 };
}

import type { Issue } from '../errors.js';
import { ValidationError } from '../errors.js';
import type { CsvSource } from '../io/read-csv.js';
import { readCsv } from '../io/read-csv.js';
import type { CalendarDay } from '../types.js';
import { parseBoolean, parseIsoDate } from './parse-values.js';
import { optionalColumn, requireColumns } from './require-columns.js';

/**
 * A school calendar: which dates are instructional, for every school or one. A row for a
 * school overrides the all-schools row for the same date.
 */
export class SchoolCalendar {
  private readonly allSchools = new Map<string, boolean>();
  private readonly bySchool = new Map<string, Map<string, boolean>>();

  constructor(readonly days: readonly CalendarDay[]) {
    for (const day of days) {
      if (day.school_id === undefined) this.allSchools.set(day.date, day.instructional);
      else {
        let school = this.bySchool.get(day.school_id);
        if (!school) this.bySchool.set(day.school_id, (school = new Map()));
        school.set(day.date, day.instructional);
      }
    }
  }

  /** Whether `date` is instructional at `school` (undefined school: the all-schools row). */
  isInstructional(date: string, school?: string): boolean {
    const own = school === undefined ? undefined : this.bySchool.get(school)?.get(date);
    return own ?? this.allSchools.get(date) ?? false;
  }

  /** Instructional dates in [from, to] for a school, sorted. */
  instructionalDates(from: string, to: string, school?: string): string[] {
    const dates = new Set<string>(this.allSchools.keys());
    if (school !== undefined) for (const date of this.bySchool.get(school)?.keys() ?? []) dates.add(date);
    return [...dates].filter((d) => d >= from && d <= to && this.isInstructional(d, school)).sort();
  }

  /** Every date the calendar mentions, sorted. */
  dates(): string[] {
    const dates = new Set<string>(this.allSchools.keys());
    for (const school of this.bySchool.values()) for (const date of school.keys()) dates.add(date);
    return [...dates].sort();
  }
}

/** Reads and validates a calendar CSV: `date`, `school_id` (optional, blank = all), `instructional`. */
export async function readCalendar(source: CsvSource, file: string): Promise<SchoolCalendar> {
  const table = await readCsv(source, file);
  const issues: Issue[] = requireColumns(table, ['date', 'instructional'], 'a school calendar');
  // A header alone would make every day non-instructional: messages would skip everyone.
  if (table.rowCount === 0) issues.push({ file, row: 1, message: 'the calendar has no days, only its header' });
  if (issues.length > 0) throw new ValidationError(issues, `${file} is not a valid calendar`);
  const schools = optionalColumn(table, 'school_id');
  const days: CalendarDay[] = [];
  for (let i = 0; i < table.rowCount; i++) {
    const row = table.lines[i];
    const date = parseIsoDate(table.columns.date[i]);
    const instructional = parseBoolean(table.columns.instructional[i]);
    if (!date) issues.push({ file, row, column: 'date', message: `"${table.columns.date[i]}" is not a date as YYYY-MM-DD` });
    if (instructional === undefined)
      issues.push({ file, row, column: 'instructional', message: `"${table.columns.instructional[i]}" is not true or false` });
    if (date && instructional !== undefined) days.push({ date, instructional, school_id: schools[i] === '' ? undefined : schools[i] });
  }
  if (issues.length > 0) throw new ValidationError(issues, `${file} is not a valid calendar`);
  return new SchoolCalendar(days);
}

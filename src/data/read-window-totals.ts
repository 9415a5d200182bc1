import type { Issue } from '../errors.js';
import { ValidationError } from '../errors.js';
import type { CsvSource } from '../io/read-csv.js';
import { streamCsv } from '../io/read-csv.js';
import type { AttendanceStatus, DateWindow } from '../types.js';
import { defaultFractionAbsent, normalizeStatus } from './attendance-status.js';
import { daysBetween, parseIsoDate, parseNonNegative } from './parse-values.js';
import type { SchoolCalendar } from './read-calendar.js';

/** Days enrolled and absent per student in one window (absences may be fractional). */
export type WindowTotals = Map<string, { days_enrolled: number; days_absent: number }>;

export interface WindowTotalsOptions {
  /** Without a calendar, every date in the daily records is an instructional day. */
  readonly calendar?: SchoolCalendar;
  /** Each student's school, for a calendar with per-school rows. */
  readonly schoolOf?: Pick<ReadonlyMap<string, string>, 'get'>;
  /** Only these students are counted; records of others are skipped and counted. A map's keys do too. */
  readonly students?: Pick<ReadonlySet<string>, 'has'>;
}

export interface WindowTotalsResult {
  readonly form: 'daily' | 'periods';
  /** One map per window, in the order the windows were given. */
  readonly totals: readonly WindowTotals[];
  readonly warnings: readonly Issue[];
  readonly rows: number;
  /** SHA-256 of the file's bytes, taken while streaming it, when read from a path. */
  readonly sha256?: string;
}

const DAILY = ['student_id', 'date', 'status'] as const;
const PERIODS = ['student_id', 'period_start', 'period_end', 'days_enrolled', 'days_absent'] as const;
const EPOCH = '2000-01-01';

/**
 * Streams an attendance file (daily records or period totals, told apart by the header)
 * and totals days enrolled and absent per student for each window, in one pass. The
 * file is never held in memory whole, so tens of millions of rows stream through.
 *
 * Daily records: a student is enrolled on each instructional day with a record;
 * excused and unexcused count as absent, tardy and early departure do not unless
 * `fraction_absent` says so. Two records for one student and day are an error.
 * Period totals: a period counts toward a window when it lies inside it; one that
 * straddles a window's edge is an error, since it cannot be split honestly.
 */
export async function readWindowTotals(
  source: CsvSource,
  file: string,
  windows: readonly DateWindow[],
  options: WindowTotalsOptions = {},
): Promise<WindowTotalsResult> {
  const issues: Issue[] = [];
  const totals: WindowTotals[] = windows.map(() => new Map());
  let form: 'daily' | 'periods' | undefined;
  let onRow: (fields: string[], line: number) => void = () => undefined;
  let rows = 0;
  let skippedStudents = 0;
  let skippedDays = 0;
  let sha256: string | undefined;
  const fail = (row: number, column: string, message: string) => {
    if (issues.length < 1000) issues.push({ file, row, column, message });
  };

  const onHeader = (header: readonly string[]) => {
    const tally: Tally = {
      index: (name) => header.indexOf(name), windows, totals, options, fail,
      skipStudent: () => skippedStudents++,
      skipDay: () => skippedDays++,
    };
    const has = (names: readonly string[]) => names.every((n) => header.includes(n));
    if (has(DAILY)) {
      form = 'daily';
      onRow = dailyRowHandler(tally);
    } else if (has(PERIODS)) {
      form = 'periods';
      onRow = periodRowHandler(tally);
    } else {
      issues.push({
        file, row: 1,
        message: `not an attendance file: expected daily records (${DAILY.join(', ')}) or period totals (${PERIODS.join(', ')}); the header has ${header.join(', ')}`,
      });
    }
  };
  const onSha256 = (hex: string) => (sha256 = hex);
  issues.push(...(await streamCsv(source, file, { onHeader, onRow: (fields, line) => (rows++, onRow(fields, line)), onSha256 })));
  if (issues.length > 0 || form === undefined) throw new ValidationError(issues, `${file} is not valid attendance data`);
  const warnings: Issue[] = [];
  if (skippedStudents > 0) warnings.push({ file, message: `${skippedStudents} rows for students not in the roster were skipped` });
  if (skippedDays > 0) warnings.push({ file, message: `${skippedDays} records on days the calendar marks non-instructional were skipped` });
  return { form, totals, warnings, rows, ...(sha256 === undefined ? {} : { sha256 }) };
}

type Fail = (row: number, column: string, message: string) => void;

/** What a row handler reads from and records into, for either form of the file. */
interface Tally {
  /** A column's position in the header, -1 when absent. */
  readonly index: (name: string) => number;
  readonly windows: readonly DateWindow[];
  /** One map per window, filled in place. */
  readonly totals: WindowTotals[];
  readonly options: WindowTotalsOptions;
  readonly fail: Fail;
  /** Counts a row of a student left out by `options.students`. */
  readonly skipStudent: () => void;
  /** Counts a record on a day the calendar closes (daily records only). */
  readonly skipDay: () => void;
}

function add(totals: WindowTotals, student: string, enrolled: number, absent: number): void {
  const entry = totals.get(student);
  if (entry) {
    entry.days_enrolled += enrolled;
    entry.days_absent += absent;
  } else totals.set(student, { days_enrolled: enrolled, days_absent: absent });
}

function dailyRowHandler({ index, windows, totals, options, fail, skipStudent, skipDay }: Tally): (fields: string[], line: number) => void {
  const [idAt, dateAt, statusAt, fractionAt] = [index('student_id'), index('date'), index('status'), index('fraction_absent')];
  // Dates and statuses repeat millions of times: parse each distinct text once.
  const dayNumbers = new Map<string, number>();
  const statuses = new Map<string, AttendanceStatus | undefined>();
  const windowDays = windows.map((w) => [daysBetween(EPOCH, w.from), daysBetween(EPOCH, w.to)] as const);
  const first = Math.min(...windowDays.map(([from]) => from));
  const span = Math.max(0, ...windowDays.map(([, to]) => to - first + 1));
  const seen = new DaysSeen(span);
  return (fields, line) => {
    const student = fields[idAt];
    if (student === '') return fail(line, 'student_id', 'blank student_id');
    const dateText = fields[dateAt];
    let day = dayNumbers.get(dateText);
    if (day === undefined) {
      day = parseIsoDate(dateText) === undefined ? NaN : daysBetween(EPOCH, dateText);
      dayNumbers.set(dateText, day);
    }
    if (Number.isNaN(day)) return fail(line, 'date', `"${dateText}" is not a date as YYYY-MM-DD`);
    const statusText = fields[statusAt];
    let status = statuses.get(statusText);
    if (status === undefined && !statuses.has(statusText)) statuses.set(statusText, (status = normalizeStatus(statusText)));
    if (status === undefined) {
      return fail(line, 'status', `unknown status "${statusText}": expected present, absent, excused, unexcused, tardy or early_departure`);
    }
    let fraction = defaultFractionAbsent(status);
    if (fractionAt >= 0 && fields[fractionAt] !== '') {
      const given = parseNonNegative(fields[fractionAt]);
      if (given === undefined || given > 1) return fail(line, 'fraction_absent', `"${fields[fractionAt]}" is not a fraction from 0 to 1`);
      fraction = given;
    }
    if (options.students && !options.students.has(student)) return skipStudent();
    if (options.calendar && !options.calendar.isInstructional(dateText, options.schoolOf?.get(student))) return skipDay();
    const offset = day - first;
    if (offset >= 0 && offset < span && !seen.mark(student, offset)) return fail(line, 'date', `a second record for student "${student}" on ${dateText}`);
    for (let w = 0; w < windows.length; w++) {
      if (day >= windowDays[w][0] && day <= windowDays[w][1]) add(totals[w], student, 1, fraction);
    }
  };
}

/**
 * One bit per student per day of the windows' span, which finds a second record for a
 * student and day cheaply. Students are numbered as they first appear and their bits
 * share one growing array: a typed array of their own cost each student some 200 bytes,
 * half a gigabyte for two million students.
 */
class DaysSeen {
  private readonly numbers = new Map<string, number>();
  private readonly bytesPerStudent: number;
  private bits = new Uint8Array(0);

  constructor(span: number) {
    this.bytesPerStudent = (span >> 3) + 1;
  }

  /** Marks `student`'s day `offset` of the span; false when it was marked already. */
  mark(student: string, offset: number): boolean {
    let number = this.numbers.get(student);
    if (number === undefined) {
      number = this.numbers.size;
      this.numbers.set(student, number);
      if ((number + 1) * this.bytesPerStudent > this.bits.length) this.grow();
    }
    const at = number * this.bytesPerStudent + (offset >> 3);
    const bit = 1 << (offset & 7);
    if (this.bits[at] & bit) return false;
    this.bits[at] |= bit;
    return true;
  }

  private grow(): void {
    const bigger = new Uint8Array(Math.max(1024 * this.bytesPerStudent, 2 * this.bits.length));
    bigger.set(this.bits);
    this.bits = bigger;
  }
}

function periodRowHandler({ index, windows, totals, options, fail, skipStudent }: Tally): (fields: string[], line: number) => void {
  const at = Object.fromEntries(PERIODS.map((name) => [name, index(name)])) as Record<(typeof PERIODS)[number], number>;
  return (fields, line) => {
    const student = fields[at.student_id];
    if (student === '') return fail(line, 'student_id', 'blank student_id');
    const start = parseIsoDate(fields[at.period_start]);
    const end = parseIsoDate(fields[at.period_end]);
    const enrolled = parseNonNegative(fields[at.days_enrolled]);
    const absent = parseNonNegative(fields[at.days_absent]);
    if (!start) return fail(line, 'period_start', `"${fields[at.period_start]}" is not a date as YYYY-MM-DD`);
    if (!end) return fail(line, 'period_end', `"${fields[at.period_end]}" is not a date as YYYY-MM-DD`);
    if (end < start) return fail(line, 'period_end', `the period ends (${end}) before it starts (${start})`);
    if (enrolled === undefined || !Number.isInteger(enrolled)) return fail(line, 'days_enrolled', `"${fields[at.days_enrolled]}" is not a whole number of days >= 0`);
    if (absent === undefined) return fail(line, 'days_absent', `"${fields[at.days_absent]}" is not a number of days >= 0`);
    if (absent > enrolled) return fail(line, 'days_absent', `${absent} days absent is more than the ${enrolled} days enrolled`);
    if (options.students && !options.students.has(student)) return skipStudent();
    windows.forEach((window, w) => {
      const inside = start >= window.from && end <= window.to;
      const outside = end < window.from || start > window.to;
      if (inside) add(totals[w], student, enrolled, absent);
      else if (!outside) {
        fail(line, 'period_start', `the period ${start} to ${end} straddles the window ${window.from} to ${window.to}; choose window edges at period edges`);
      }
    });
  };
}

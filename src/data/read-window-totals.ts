import type { Issue } from '../errors.js';
import { ValidationError } from '../errors.js';
import type { CsvSource } from '../io/read-csv.js';
import { streamCsv } from '../io/read-csv.js';
import type { DateWindow } from '../types.js';
import type { AttendanceMapping } from './attendance-mapping.js';
import { ED_FI_ATTENDANCE_MAPPING, isEdFiAttendanceHeader } from './attendance-mapping.js';
import type { StatusRead } from './attendance-status.js';
import { defaultFractionAbsent, readStatus } from './attendance-status.js';
import { idProblem } from './check-id.js';
import { mappedAttendanceRows } from './mapped-attendance-rows.js';
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
  /**
   * How to read an export in another layout (`--map`); without one, a header of Ed-Fi
   * attendance events is read by `ED_FI_ATTENDANCE_MAPPING`, any other as our own.
   */
  readonly mapping?: AttendanceMapping;
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
 * `fraction_absent` says so. Two records for one student and day are an error, found
 * within the windows (on every day when no window is given, as `validate` does).
 * A mapped export (or Ed-Fi's) is read through `mappedAttendanceRows`.
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
  let finish: () => Issue[] = () => [];
  let rows = 0;
  let skippedStudents = 0;
  let skippedDays = 0;
  let sha256: string | undefined;
  const fail = (row: number, column: string, message: string) => {
    if (issues.length < 1000) issues.push({ file, row, column, message });
  };

  const onHeader = (header: readonly string[]) => {
    const tally: Tally = {
      index: (name) => header.indexOf(name),
      windows,
      totals,
      options,
      fail,
      skipStudent: () => skippedStudents++,
      skipDay: () => skippedDays++,
    };
    const has = (names: readonly string[]) => names.every((n) => header.includes(n));
    const mapping = options.mapping ?? (isEdFiAttendanceHeader(header) ? ED_FI_ATTENDANCE_MAPPING : undefined);
    if (mapping) {
      form = 'daily';
      const mapped = mappedAttendanceRows(header, mapping, file, {
        fail,
        keep: (student, date) => keepRecord(tally, student, date),
        record: recordDay(tally),
      });
      issues.push(...mapped.issues);
      onRow = mapped.onRow;
      finish = mapped.finish;
    } else if (has(DAILY)) {
      form = 'daily';
      onRow = dailyRowHandler(tally);
    } else if (has(PERIODS)) {
      form = 'periods';
      onRow = periodRowHandler(tally);
    } else {
      issues.push({
        file,
        row: 1,
        message: `not an attendance file: expected daily records (${DAILY.join(', ')}) or period totals (${PERIODS.join(', ')}); the header has ${header.join(', ')} (an export in another layout is read through a mapping file: --map)`,
      });
    }
  };
  const onSha256 = (hex: string) => (sha256 = hex);
  issues.push(...(await streamCsv(source, file, { onHeader, onRow: (fields, line) => (rows++, onRow(fields, line)), onSha256 })));
  if (issues.length > 0 || form === undefined) throw new ValidationError(issues, `${file} is not valid attendance data`);
  const warnings: Issue[] = finish();
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

/** Whether a record of a mapped export counts: its student is in the study and its day instructional (else counted as skipped). */
function keepRecord({ options, skipStudent, skipDay }: Tally, student: string, date: string): boolean {
  if (options.students && !options.students.has(student)) return (skipStudent(), false);
  if (options.calendar && !options.calendar.isInstructional(date, options.schoolOf?.get(student))) return (skipDay(), false);
  return true;
}

/** Adds one student-day of a mapped export to the windows it falls in. */
function recordDay({ windows, totals }: Tally): (student: string, date: string, fraction: number) => void {
  return (student, date, fraction) => {
    for (let w = 0; w < windows.length; w++) if (date >= windows[w].from && date <= windows[w].to) add(totals[w], student, 1, fraction);
  };
}

function dailyRowHandler({ index, windows, totals, options, fail, skipStudent, skipDay }: Tally): (fields: string[], line: number) => void {
  const [idAt, dateAt, statusAt, fractionAt] = [index('student_id'), index('date'), index('status'), index('fraction_absent')];
  // Dates and statuses repeat millions of times: parse each distinct text once.
  const dayNumbers = new Map<string, number>();
  const statuses = new Map<string, StatusRead | undefined>();
  const windowDays = windows.map((w) => [daysBetween(EPOCH, w.from), daysBetween(EPOCH, w.to)] as const);
  // Second records are looked for within the windows, or on every day when there is none.
  const checked = (day: number) => windowDays.length === 0 || windowDays.some(([from, to]) => day >= from && day <= to);
  const seen = new DaysSeen();
  return (fields, line) => {
    const student = fields[idAt];
    if (student === '') return fail(line, 'student_id', 'blank student_id');
    const badId = idProblem('student_id', student);
    if (badId !== undefined) return fail(line, 'student_id', badId);
    const dateText = fields[dateAt];
    let day = dayNumbers.get(dateText);
    if (day === undefined) {
      day = parseIsoDate(dateText) === undefined ? NaN : daysBetween(EPOCH, dateText);
      dayNumbers.set(dateText, day);
    }
    if (Number.isNaN(day)) return fail(line, 'date', `"${dateText}" is not a date as YYYY-MM-DD`);
    const statusText = fields[statusAt];
    let status = statuses.get(statusText);
    if (status === undefined && !statuses.has(statusText)) statuses.set(statusText, (status = readStatus(statusText)));
    if (status === undefined) {
      return fail(line, 'status', `unknown status "${statusText}": expected present, absent, excused, unexcused, tardy or early_departure`);
    }
    let fraction = defaultFractionAbsent(status.status);
    if (fractionAt >= 0 && fields[fractionAt] !== '') {
      const given = parseNonNegative(fields[fractionAt]);
      if (given === undefined || given > 1) return fail(line, 'fraction_absent', `"${fields[fractionAt]}" is not a fraction from 0 to 1`);
      fraction = given;
    } else if (status.partial)
      return fail(line, 'fraction_absent', 'a Partial record needs the fraction of the day missed (fraction_absent)');
    if (options.students && !options.students.has(student)) return skipStudent();
    if (options.calendar && !options.calendar.isInstructional(dateText, options.schoolOf?.get(student))) return skipDay();
    if (checked(day) && !seen.mark(student, day)) return fail(line, 'date', `a second record for student "${student}" on ${dateText}`);
    for (let w = 0; w < windows.length; w++) {
      if (day >= windowDays[w][0] && day <= windowDays[w][1]) add(totals[w], student, 1, fraction);
    }
  };
}

/**
 * One bit per student per day, which finds a second record for a student and day
 * cheaply, on any day. Days come in blocks of 128 (16 bytes a student), made as records
 * reach them: a school year touches three or four. Students are numbered as they first
 * appear and share each block's array: a typed array of their own cost each student
 * some 200 bytes, half a gigabyte for two million students.
 */
class DaysSeen {
  private readonly numbers = new Map<string, number>();
  private readonly blocks = new Map<number, Uint8Array>();
  // Rows come mostly in date order: the last block used is looked up without the map.
  private lastBlock = NaN;
  private lastBits: Uint8Array | undefined;

  /** Marks `student`'s day (days since 2000-01-01, any sign); false when it was marked already. */
  mark(student: string, day: number): boolean {
    let number = this.numbers.get(student);
    if (number === undefined) this.numbers.set(student, (number = this.numbers.size));
    const block = Math.floor(day / BLOCK_DAYS);
    let bits = block === this.lastBlock ? this.lastBits : this.blocks.get(block);
    const at = number * BLOCK_BYTES + ((day - block * BLOCK_DAYS) >> 3);
    if (!bits || at >= bits.length) {
      const bigger = new Uint8Array(Math.max(1024 * BLOCK_BYTES, 2 * (bits?.length ?? 0), (number + 1) * BLOCK_BYTES));
      if (bits) bigger.set(bits);
      this.blocks.set(block, (bits = bigger));
    }
    this.lastBlock = block;
    this.lastBits = bits;
    const bit = 1 << ((day - block * BLOCK_DAYS) & 7);
    if (bits[at] & bit) return false;
    bits[at] |= bit;
    return true;
  }
}

const BLOCK_DAYS = 128;
const BLOCK_BYTES = BLOCK_DAYS / 8;

function periodRowHandler({ index, windows, totals, options, fail, skipStudent }: Tally): (fields: string[], line: number) => void {
  const at = Object.fromEntries(PERIODS.map((name) => [name, index(name)])) as Record<(typeof PERIODS)[number], number>;
  // Each student's periods so far, as (first day, last day, row) triples: a period counted
  // twice (a duplicated row, or two exports that overlap) would inflate the totals unseen.
  const periodsOf = new Map<string, number[]>();
  return (fields, line) => {
    const student = fields[at.student_id];
    if (student === '') return fail(line, 'student_id', 'blank student_id');
    const badId = idProblem('student_id', student);
    if (badId !== undefined) return fail(line, 'student_id', badId);
    const start = parseIsoDate(fields[at.period_start]);
    const end = parseIsoDate(fields[at.period_end]);
    const enrolled = parseNonNegative(fields[at.days_enrolled]);
    const absent = parseNonNegative(fields[at.days_absent]);
    if (!start) return fail(line, 'period_start', `"${fields[at.period_start]}" is not a date as YYYY-MM-DD`);
    if (!end) return fail(line, 'period_end', `"${fields[at.period_end]}" is not a date as YYYY-MM-DD`);
    if (end < start) return fail(line, 'period_end', `the period ends (${end}) before it starts (${start})`);
    if (enrolled === undefined || !Number.isInteger(enrolled))
      return fail(line, 'days_enrolled', `"${fields[at.days_enrolled]}" is not a whole number of days >= 0`);
    if (absent === undefined) return fail(line, 'days_absent', `"${fields[at.days_absent]}" is not a number of days >= 0`);
    if (absent > enrolled) return fail(line, 'days_absent', `${absent} days absent is more than the ${enrolled} days enrolled`);
    const first = daysBetween(EPOCH, start);
    const last = daysBetween(EPOCH, end);
    if (enrolled > last - first + 1)
      return fail(line, 'days_enrolled', `${enrolled} days enrolled in a period of ${last - first + 1} calendar days (${start} to ${end})`);
    if (options.students && !options.students.has(student)) return skipStudent();
    const earlier = periodsOf.get(student);
    for (let k = 0; earlier !== undefined && k < earlier.length; k += 3) {
      if (first > earlier[k + 1] || last < earlier[k]) continue;
      const same = first === earlier[k] && last === earlier[k + 1];
      return fail(
        line,
        'period_start',
        same
          ? `the same period ${start} to ${end} for this student as on row ${earlier[k + 2]} (a duplicated row?)`
          : `the period ${start} to ${end} overlaps this student's period on row ${earlier[k + 2]}: its days would be counted twice`,
      );
    }
    if (earlier === undefined) periodsOf.set(student, [first, last, line]);
    else earlier.push(first, last, line);
    windows.forEach((window, w) => {
      const inside = start >= window.from && end <= window.to;
      const outside = end < window.from || start > window.to;
      if (inside) add(totals[w], student, enrolled, absent);
      else if (!outside) {
        fail(
          line,
          'period_start',
          `the period ${start} to ${end} straddles the window ${window.from} to ${window.to}; choose window edges at period edges`,
        );
      }
    });
  };
}

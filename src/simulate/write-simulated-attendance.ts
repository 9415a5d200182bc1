import { createHash } from 'node:crypto';
import { compareStudentIds } from '../data/compare-student-ids.js';
import { createAtomicWriter } from '../io/write-atomic.js';
import { formatCsvField } from '../io/write-csv.js';
import type { Rng } from '../random.js';
import type { CalendarDay, RosterStudent } from '../types.js';
import type { SimulateAttendanceOptions, SimulatedRecord } from './simulate-attendance.js';
import { simulateAttendance, simulatedSchoolDays } from './simulate-attendance.js';

/**
 * Students simulated between writes: a school year of 250 students is some 44,000 rows,
 * 1.3 MB of text (bigger batches keep more short-lived lines alive and run slower).
 */
const STUDENTS_PER_BATCH = 250;

/** What `writeAttendanceCsv` wrote. */
export interface SimulatedAttendanceFile {
  readonly rows: number;
  /** SHA-256 of the file's bytes. */
  readonly sha256: string;
  /** The first simulated school day: the arms' effect applies from it on (undefined when the calendar has none). */
  readonly armsTookEffect: string | undefined;
}

/**
 * Streams simulated daily records to a CSV file, atomically; returns the number of rows,
 * the file's hash and the day the arms took effect.
 * `simulateAttendance` is synchronous and draws student by student in id order, so the
 * students are simulated a batch at a time in that order from the one `rng` (the same
 * records as in one call), and each batch is written while the next one is simulated.
 */
export async function writeAttendanceCsv(
  path: string,
  students: readonly RosterStudent[],
  armOf: ReadonlyMap<string, string>,
  calendar: readonly CalendarDay[],
  options: SimulateAttendanceOptions,
  rng: Rng,
): Promise<SimulatedAttendanceFile> {
  const writer = await createAtomicWriter(path);
  try {
    const written = await streamAttendanceCsv(writer, students, armOf, calendar, options, rng);
    await writer.commit();
    return written;
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/**
 * The records of `writeAttendanceCsv`, written to `writer` (a file that appears with
 * others, such as one of a staged output, or an atomic writer), which the caller completes.
 */
export async function streamAttendanceCsv(
  writer: { write(text: string): Promise<void> },
  students: readonly RosterStudent[],
  armOf: ReadonlyMap<string, string>,
  calendar: readonly CalendarDay[],
  options: SimulateAttendanceOptions,
  rng: Rng,
): Promise<SimulatedAttendanceFile> {
  const hash = createHash('sha256');
  const write = (text: string) => {
    hash.update(text);
    return writer.write(text);
  };
  const sorted = [...students].sort(compareStudentIds);
  let rows = 0;
  let lines: string[] = [];
  // Records come student by student: each id is formatted once, not once a day.
  let id = '';
  let idCell = '';
  const emit = (r: SimulatedRecord) => {
    if (r.student_id !== id) idCell = formatCsvField((id = r.student_id));
    lines.push(`${idCell},${r.date},${r.status},${r.fraction_absent ?? ''}\n`);
  };
  // One write in flight at a time (a file handle takes writes one after another).
  let writing = write('student_id,date,status,fraction_absent\n');
  try {
    for (let from = 0; from < sorted.length; from += STUDENTS_PER_BATCH) {
      simulateAttendance(sorted.slice(from, from + STUDENTS_PER_BATCH), armOf, calendar, options, rng, emit);
      rows += lines.length;
      const text = lines.join('');
      lines = [];
      await writing;
      writing = write(text);
    }
    await writing;
  } catch (error) {
    await writing.catch(() => undefined);
    throw error;
  }
  return { rows, sha256: hash.digest('hex'), armsTookEffect: simulatedSchoolDays(calendar)[0] };
}

import type { CalendarDay, RosterStudent } from '../types.js';
import type { Rng } from '../random.js';
import { createAtomicWriter } from '../io/write-atomic.js';
import { formatCsvField } from '../io/write-csv.js';
import type { SimulateAttendanceOptions } from './simulate-attendance.js';
import { simulateAttendance } from './simulate-attendance.js';

/** Students simulated between writes: a school year of 1,000 students is some 175,000 rows, 5 MB of text. */
const STUDENTS_PER_BATCH = 1_000;

/**
 * Streams simulated daily records to a CSV file, atomically; returns the number of rows.
 * `simulateAttendance` is synchronous and draws student by student in id order, so the
 * students are simulated a batch at a time in that order from the one `rng` (the same
 * records as in one call) and each batch is written before the next is made.
 */
export async function writeAttendanceCsv(
  path: string,
  students: readonly RosterStudent[],
  armOf: ReadonlyMap<string, string>,
  calendar: readonly CalendarDay[],
  options: SimulateAttendanceOptions,
  rng: Rng,
): Promise<number> {
  const writer = await createAtomicWriter(path);
  const sorted = [...students].sort((a, b) => (a.student_id < b.student_id ? -1 : 1));
  let rows = 0;
  try {
    await writer.write('student_id,date,status,fraction_absent\n');
    for (let from = 0; from < sorted.length; from += STUDENTS_PER_BATCH) {
      const lines: string[] = [];
      simulateAttendance(sorted.slice(from, from + STUDENTS_PER_BATCH), armOf, calendar, options, rng, (r) => {
        lines.push(`${formatCsvField(r.student_id)},${r.date},${r.status},${r.fraction_absent ?? ''}\n`);
      });
      rows += lines.length;
      await writer.write(lines.join(''));
    }
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return rows;
}

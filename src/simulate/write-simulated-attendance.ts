import type { CalendarDay, RosterStudent } from '../types.js';
import type { Rng } from '../random.js';
import { createAtomicWriter } from '../io/write-atomic.js';
import { formatCsvField } from '../io/write-csv.js';
import type { SimulateAttendanceOptions } from './simulate-attendance.js';
import { simulateAttendance } from './simulate-attendance.js';

/** Streams simulated daily records to a CSV file, atomically; returns the number of rows. */
export async function writeAttendanceCsv(
  path: string,
  students: readonly RosterStudent[],
  armOf: ReadonlyMap<string, string>,
  calendar: readonly CalendarDay[],
  options: SimulateAttendanceOptions,
  rng: Rng,
): Promise<number> {
  const writer = await createAtomicWriter(path);
  let rows = 0;
  let lines: string[] = [];
  try {
    await writer.write('student_id,date,status,fraction_absent\n');
    // simulateAttendance is synchronous; lines are gathered per batch and written between batches.
    const batches: string[] = [];
    simulateAttendance(students, armOf, calendar, options, rng, (r) => {
      lines.push(`${formatCsvField(r.student_id)},${r.date},${r.status},${r.fraction_absent ?? ''}\n`);
      rows++;
      if (lines.length >= 50_000) {
        batches.push(lines.join(''));
        lines = [];
      }
    });
    batches.push(lines.join(''));
    for (const batch of batches) await writer.write(batch);
    await writer.commit();
  } catch (error) {
    await writer.abort();
    throw error;
  }
  return rows;
}

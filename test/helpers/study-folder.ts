import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeAssignmentFiles } from '../../src/assignment/assignment-files.js';
import { normalizeDesign } from '../../src/assignment/design.js';
import { planInitialAssignment } from '../../src/assignment/plan-assignment.js';
import { formatCsvObjects } from '../../src/io/write-csv.js';
import { createRng } from '../../src/random.js';
import { simulateCalendar } from '../../src/simulate/simulate-calendar.js';
import { writeAttendanceCsv } from '../../src/simulate/write-simulated-attendance.js';
import type { RosterStudent } from '../../src/types.js';
import { rosterCsv, smallRoster } from './roster.js';

export interface StudyFolder {
  readonly roster: string;
  readonly assignments: string;
  readonly attendance: string;
  readonly calendar: string;
  readonly students: readonly RosterStudent[];
  readonly armOf: ReadonlyMap<string, string>;
}

/**
 * A real study on disk, as the CLI makes it: a simulated roster (edited by `edit`), an
 * assignment with its manifest, a year's calendar and daily attendance.
 */
export async function makeStudyFolder(
  dir: string,
  options: { students?: number; seed?: number; edit?: (s: RosterStudent, i: number) => RosterStudent } = {},
): Promise<StudyFolder> {
  const seed = options.seed ?? 3;
  const students = smallRoster(options.students ?? 200, 2, seed).map(options.edit ?? ((s) => s));
  const roster = join(dir, 'roster.csv');
  await writeFile(roster, rosterCsv(students));
  const plan = planInitialAssignment(students, normalizeDesign(), seed, { command: 'test', inputs: {}, created: '2025-08-01T00:00:00Z' });
  await writeAssignmentFiles(join(dir, 'study'), plan.csvText, plan.manifest, plan.balanceCsv);
  const calendarDays = simulateCalendar(2025);
  const calendar = join(dir, 'calendar.csv');
  await writeFile(calendar, formatCsvObjects(['date', 'school_id', 'instructional'], calendarDays));
  const armOf = new Map(plan.run.assignments.map((a) => [a.student_id, a.arm]));
  const attendance = join(dir, 'attendance.csv');
  await writeAttendanceCsv(attendance, students, armOf, calendarDays, { effect: 0.02 }, createRng(`${seed}-attendance`));
  return { roster, assignments: join(dir, 'study', 'assignments.csv'), attendance, calendar, students, armOf };
}

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

/** Settings whose defaults sign the built-in templates (sender and the school's phone); returns the file. */
export async function writeMessageSettings(dir: string): Promise<string> {
  const settings = join(dir, 'settings.json');
  const defaults = { sender_name: 'Ms. Rivera', sender_role: 'Attendance Coordinator', school_phone: '(555) 010-2000' };
  await writeFile(settings, JSON.stringify({ defaults }));
  return settings;
}

/** The study's four input files as command-line options (roster, assignments, attendance, calendar). */
export function studyFileArgs(study: StudyFolder): string[] {
  return ['--roster', study.roster, '--assignments', study.assignments, '--attendance', study.attendance, '--calendar', study.calendar];
}

/** `pilot messages` for the study's first list of the year (2025-09-12), written to `out`. */
export function messagesArgv(study: StudyFolder, settings: string, out: string): string[] {
  const files = ['--roster', study.roster, '--assignments', study.assignments, '--attendance', study.attendance];
  return [
    'messages',
    ...files,
    '--calendar',
    study.calendar,
    '--settings',
    settings,
    '--as-of',
    '2025-09-12',
    '--kind',
    'initial',
    '--out',
    out,
  ];
}

/** `pilot analyze` of the autumn term by the quick Laplace method, seed 1, into `out`. */
export function analyzeArgv(study: StudyFolder, out: string, extra: readonly string[] = []): string[] {
  const window = ['--from', '2025-09-01', '--to', '2025-12-19'];
  return ['analyze', ...studyFileArgs(study), ...window, '--method', 'laplace', '--seed', '1', ...extra, '--out', out];
}

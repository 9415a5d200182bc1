import { readCheckedManifest, readVerifiedAssignments } from '../assignment/assignment-files.js';
import { rosterRulesOf } from '../assignment/manifest.js';
import { readAssignments } from '../data/read-assignments.js';
import type { SchoolCalendar } from '../data/read-calendar.js';
import { readCalendar } from '../data/read-calendar.js';
import type { MappingFile } from '../data/read-mapping-file.js';
import { readMappingFile } from '../data/read-mapping-file.js';
import type { OneRosterOptions } from '../data/read-oneroster.js';
import { validateRosterSource } from '../data/read-roster-source.js';
import { readWindowTotals } from '../data/read-window-totals.js';
import type { Issue } from '../errors.js';
import { PilotError, ValidationError } from '../errors.js';
import { readMessageSettings } from '../messages/read-message-settings.js';
import type { Assignment, DateWindow } from '../types.js';

/** The inputs `pilot validate` can check; any subset. */
export interface InputFiles {
  readonly roster?: string;
  readonly attendance?: string;
  readonly calendar?: string;
  readonly assignments?: string;
  readonly settings?: string;
  /** A mapping file (`--map`): checked itself, and used to read the roster CSV and the attendance. */
  readonly map?: string;
}

export type InputRole = keyof InputFiles;

/** What checking one file found: every problem (file, row, column, message), and notes. */
export interface FileCheck {
  readonly role: InputRole;
  readonly file: string;
  readonly ok: boolean;
  /** What was read, when it could be: "150 students (oneroster-1.2)". */
  readonly summary?: string;
  readonly issues: readonly Issue[];
  readonly warnings: readonly Issue[];
}

export interface InputValidation {
  readonly ok: boolean;
  readonly problems: number;
  readonly files: readonly FileCheck[];
}

/**
 * Checks each given input with the reader the commands use, collecting every problem
 * of every file instead of stopping at the first; nothing is written. Files are read in
 * the order their checks depend on: the roster and calendar first, so attendance rows
 * of students not in the roster, or on days the calendar closes, are noted.
 */
export async function validateInputFiles(files: InputFiles, rosterOptions: OneRosterOptions = {}): Promise<InputValidation> {
  const checks: FileCheck[] = [];
  let students: ReadonlyMap<string, string> | undefined;
  let calendar: SchoolCalendar | undefined;
  let mapping: MappingFile | undefined;
  if (files.map) {
    checks.push(
      await check('map', files.map, async () => {
        mapping = await readMappingFile(files.map!);
        return `sections ${Object.keys(mapping).join(', ')}`;
      }),
    );
  }
  if (files.settings)
    checks.push(await check('settings', files.settings, async () => describeSettings(await readMessageSettings(files.settings!))));
  if (files.roster) {
    // A study's manifest says how its roster is read (households across districts); a bad one is reported with the assignment.
    const rules = files.assignments ? await readCheckedManifest(files.assignments).then(rosterRulesOf, () => ({})) : {};
    const validation = await validateRosterSource(files.roster, { ...rosterOptions, mapping: mapping?.roster, ...rules });
    const roster = validation.value?.students;
    if (roster) students = new Map(roster.map((s) => [s.student_id, s.school_id]));
    const summary = roster ? `${count(roster.length, 'student')} (${validation.format})` : undefined;
    checks.push({
      role: 'roster',
      file: files.roster,
      ok: validation.ok,
      summary,
      issues: validation.issues,
      warnings: validation.warnings,
    });
  }
  if (files.calendar) {
    checks.push(
      await check('calendar', files.calendar, async () => {
        calendar = await readCalendar({ path: files.calendar! }, files.calendar!);
        const dates = calendar.dates();
        return dates.length === 0 ? 'no dates' : `${count(dates.length, 'date')}, ${dates[0]} to ${dates[dates.length - 1]}`;
      }),
    );
  }
  if (files.assignments) checks.push(await checkAssignments(files.assignments, students));
  if (files.attendance) {
    const path = files.attendance;
    // Duplicate records are found within the windows read: the calendar's span when given.
    const dates = calendar?.dates() ?? [];
    const windows: DateWindow[] = dates.length > 0 ? [{ from: dates[0], to: dates[dates.length - 1] }] : [];
    checks.push(
      await check('attendance', path, async () => {
        const read = await readWindowTotals({ path }, path, windows, {
          calendar,
          schoolOf: students,
          students: students ? new Set(students.keys()) : undefined,
          mapping: mapping?.attendance,
        });
        return {
          summary: `${count(read.rows, 'row')} of ${read.form === 'daily' ? 'daily records' : 'period totals'}`,
          warnings: read.warnings,
        };
      }),
    );
  }
  const problems = checks.reduce((sum, c) => sum + c.issues.length, 0);
  return { ok: problems === 0, problems, files: checks };
}

/** Runs one reader; its ValidationError or PilotError becomes the file's problems. */
async function check(
  role: InputRole,
  file: string,
  read: () => Promise<string | { summary: string; warnings: readonly Issue[] }>,
): Promise<FileCheck> {
  try {
    const result = await read();
    return typeof result === 'string'
      ? { role, file, ok: true, summary: result, issues: [], warnings: [] }
      : { role, file, ok: true, issues: [], ...result };
  } catch (error) {
    return { role, file, ok: false, issues: problemsOf(error, file), warnings: [] };
  }
}

function problemsOf(error: unknown, file: string): Issue[] {
  if (error instanceof ValidationError) return [...error.issues];
  if (error instanceof PilotError) return [{ file, message: error.message }];
  throw error;
}

/**
 * An assignment is checked twice over: against its manifest (a changed file would break
 * the randomization), and row by row, so a refused manifest does not hide bad rows.
 */
async function checkAssignments(file: string, roster: ReadonlyMap<string, string> | undefined): Promise<FileCheck> {
  const issues: Issue[] = [];
  const warnings: Issue[] = [];
  let assignments: Assignment[] | undefined;
  try {
    assignments = (await readVerifiedAssignments(file)).assignments;
  } catch (error) {
    issues.push(...problemsOf(error, file));
  }
  // A verified assignment was read row by row already; a refused manifest leaves the rows to read.
  if (!assignments && !issues.some((i) => i.row !== undefined)) {
    try {
      assignments = await readAssignments({ path: file }, file);
    } catch (error) {
      issues.push(...problemsOf(error, file).filter((i) => !issues.some((seen) => seen.row === i.row && seen.message === i.message)));
    }
  }
  let summary: string | undefined;
  if (assignments) {
    summary = `${count(assignments.length, 'student')} assigned`;
    const missing = roster ? assignments.filter((a) => !roster.has(a.student_id)).length : 0;
    if (missing > 0)
      warnings.push({
        file,
        message: `${count(missing, 'assigned student')} ${missing === 1 ? 'is' : 'are'} not in the roster (left since assignment?)`,
      });
  }
  return { role: 'assignments', file, ok: issues.length === 0, summary, issues, warnings };
}

function describeSettings(settings: Awaited<ReturnType<typeof readMessageSettings>>): string {
  const schools = Object.keys(settings.schools).length;
  const templates = [settings.defaults, ...Object.values(settings.schools)].reduce((sum, s) => sum + (s.templates?.length ?? 0), 0);
  return `defaults and ${schools} school${schools === 1 ? '' : 's'}, ${templates} custom template${templates === 1 ? '' : 's'}`;
}

const count = (n: number, noun: string) => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;

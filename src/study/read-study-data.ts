import { readVerifiedAssignments } from '../assignment/assignment-files.js';
import { rosterRulesOf } from '../assignment/manifest.js';
import { buildModelTable } from '../data/build-model-table.js';
import type { ModelTableRow } from '../data/model-table.js';
import type { SchoolCalendar } from '../data/read-calendar.js';
import { readCalendar } from '../data/read-calendar.js';
import { readMappingFile } from '../data/read-mapping-file.js';
import type { OneRosterOptions } from '../data/read-oneroster.js';
import { readRosterSource } from '../data/read-roster-source.js';
import type { WindowTotals } from '../data/read-window-totals.js';
import { readWindowTotals } from '../data/read-window-totals.js';
import type { Issue } from '../errors.js';
import { PilotError } from '../errors.js';
import { sha256File } from '../io/hash.js';
import type { Assignment, DateWindow, RosterStudent } from '../types.js';

export interface StudyFiles {
  readonly roster: string;
  readonly assignments: string;
  readonly attendance: string;
  readonly calendar?: string;
  /** A mapping file (`--map`): its `roster` section reads a roster CSV, its `attendance` section the attendance. */
  readonly map?: string;
  /** How a OneRoster roster is read: give what `pilot assign` was given (`--include-disabled`, `--district`). */
  readonly oneRoster?: OneRosterOptions;
  /**
   * Last year's attendance, for a continuing study: the baseline window is read from it
   * (default: all of it) instead of from `attendance`, through the same mapping, without
   * the calendar (this year's does not cover last year's days).
   */
  readonly baselineAttendance?: string;
}

export interface StudyData {
  readonly roster: readonly RosterStudent[];
  readonly assignments: readonly Assignment[];
  readonly controlArm: string;
  readonly calendar?: SchoolCalendar;
  /** Per-student totals for each requested window, in order. */
  readonly windows: readonly WindowTotals[];
  readonly warnings: readonly Issue[];
  /** SHA-256 of every input, by role. */
  readonly inputs: Readonly<Record<string, string>>;
}

/**
 * Reads a study's files once: the roster, the assignment (verified against its manifest),
 * the calendar, and the attendance totalled over the given windows in one streaming pass.
 */
export async function readStudyData(files: StudyFiles, windows: readonly DateWindow[]): Promise<StudyData> {
  for (const window of windows) {
    if (window.from > window.to) throw new PilotError(`the window ${window.from} to ${window.to} ends before it starts`);
  }
  const mapping = files.map ? await readMappingFile(files.map) : undefined;
  // The assignment first: its manifest says how the roster is read (households across districts).
  const { assignments, manifest, sha256 } = await readVerifiedAssignments(files.assignments);
  const roster = await readRosterSource(files.roster, undefined, {
    ...files.oneRoster,
    mapping: mapping?.roster,
    ...rosterRulesOf(manifest),
  });
  const calendar = files.calendar ? await readCalendar({ path: files.calendar }, files.calendar) : undefined;
  const attendance = await readWindowTotals({ path: files.attendance }, files.attendance, windows, {
    calendar,
    schoolOf: new Map(roster.students.map((s) => [s.student_id, s.school_id])),
    students: new Set(assignments.map((a) => a.student_id)),
    mapping: mapping?.attendance,
  });
  // The roster and the attendance were hashed as they were read: a 1.5 GB export is read once.
  const inputs: Record<string, string> = { roster: roster.sha256, assignments: sha256, attendance: attendance.sha256! };
  if (files.calendar) inputs.calendar = await sha256File(files.calendar);
  // The mapping decides how the attendance was read, so a result records it with the files.
  if (files.map) inputs.map = await sha256File(files.map);
  return {
    roster: roster.students,
    assignments,
    controlArm: manifest.design.control_arm,
    calendar,
    windows: attendance.totals,
    warnings: [...roster.warnings, ...attendance.warnings],
    inputs,
  };
}

/**
 * The model table for an outcome window, with the baseline from a second window of the
 * attendance data when given (of last year's attendance with `files.baselineAttendance`),
 * else from the roster's baseline columns.
 */
export async function readModelTableFromStudy(
  files: StudyFiles,
  outcome: DateWindow,
  baseline?: DateWindow,
): Promise<{ table: ModelTableRow[]; data: StudyData }> {
  const lastYear = files.baselineAttendance;
  const read = await readStudyData(files, baseline && lastYear === undefined ? [outcome, baseline] : [outcome]);
  const data = lastYear === undefined ? read : await withLastYearsBaseline(read, files, lastYear, baseline ?? WHOLE_FILE);
  const table = buildModelTable({
    assignments: data.assignments,
    outcome: data.windows[0],
    baseline: data.windows[1],
    roster: data.roster,
    controlArm: data.controlArm,
  });
  if (table.every((row) => row.e === 0)) {
    throw new PilotError(
      `no student was enrolled on any day from ${outcome.from} to ${outcome.to} in ${files.attendance}: nothing to analyze; choose --from and --to within the dates the attendance covers`,
    );
  }
  return { table, data };
}

/** Every day an attendance file can hold: last year's whole file is the default baseline. */
const WHOLE_FILE: DateWindow = { from: '0001-01-01', to: '9999-12-31' };

/**
 * The study's data with its baseline window totalled from last year's attendance: the
 * study's students only, read through the study's mapping, and recorded among the inputs
 * (`baseline_attendance`) so a report can check it.
 */
async function withLastYearsBaseline(data: StudyData, files: StudyFiles, path: string, window: DateWindow): Promise<StudyData> {
  if (window.from > window.to) throw new PilotError(`the window ${window.from} to ${window.to} ends before it starts`);
  const mapping = files.map ? await readMappingFile(files.map) : undefined;
  const baseline = await readWindowTotals({ path }, path, [window], {
    students: new Set(data.assignments.map((a) => a.student_id)),
    mapping: mapping?.attendance,
  });
  return {
    ...data,
    windows: [data.windows[0], baseline.totals[0]],
    warnings: [...data.warnings, ...baseline.warnings],
    inputs: { ...data.inputs, baseline_attendance: baseline.sha256! },
  };
}

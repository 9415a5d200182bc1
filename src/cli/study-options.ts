import type { Argv } from 'yargs';
import type { StudyFiles } from '../study/read-study-data.js';
import type { ExportArgs } from './export-options.js';
import { exportOptions, oneRosterOptionsOf } from './export-options.js';

/** The study files and windows, as `analyze` and `report` take them. */
export interface StudyFileArgs extends ExportArgs {
  roster?: string;
  assignments?: string;
  attendance?: string;
  calendar?: string;
  from?: string;
  to?: string;
  baselineFrom?: string;
  baselineTo?: string;
  baselineAttendance?: string;
  assignmentDate?: string;
}

/**
 * Adds the study-file options to a command: the roster, the verified assignment, the
 * attendance (read as `pilot assign` and `pilot messages` read them: `--map`,
 * `--include-disabled`, `--district`) and the windows the model table is built over.
 * `use` says what the files are for in that command (shown with --roster).
 */
export function studyFileOptions<T>(y: Argv<T>, use: string): Argv<T> {
  return exportOptions(y)
    .option('roster', { type: 'string', describe: `roster CSV or a OneRoster folder/.zip (${use})` })
    .option('assignments', { type: 'string', describe: 'assignments.csv, checked against its manifest' })
    .option('attendance', { type: 'string', describe: 'daily records or period totals (.csv or .csv.gz)' })
    .option('calendar', { type: 'string', describe: 'school calendar CSV: instructional days, for days enrolled' })
    .option('from', { type: 'string', describe: 'first day of the outcome window (YYYY-MM-DD)' })
    .option('to', { type: 'string', describe: 'last day of the outcome window (YYYY-MM-DD)' })
    .option('baseline-from', {
      type: 'string',
      describe: "first day of a baseline window in the attendance data (default: the roster's baseline columns)",
    })
    .option('baseline-to', { type: 'string', describe: 'last day of that baseline window' })
    .option('baseline-attendance', {
      type: 'string',
      describe: "last year's attendance, for a continuing study: the baseline window (default: all of it) is read from it",
    })
    .option('assignment-date', {
      type: 'string',
      describe:
        "the day the arms took effect (YYYY-MM-DD), for a study assigned elsewhere or re-created (default: the manifest's date); the outcome window may not start before it",
    }) as Argv<T>;
}

/** The study's files as the library takes them, once the roster, assignments and attendance are known to be given. */
export function studyFilesOf(args: StudyFileArgs): StudyFiles {
  return {
    roster: args.roster!,
    assignments: args.assignments!,
    attendance: args.attendance!,
    calendar: args.calendar,
    map: args.map,
    oneRoster: oneRosterOptionsOf(args),
    ...(args.baselineAttendance ? { baselineAttendance: args.baselineAttendance } : {}),
  };
}

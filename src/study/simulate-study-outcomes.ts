import { join } from 'node:path';
import { fileExists, manifestPathFor, readVerifiedAssignments } from '../assignment/assignment-files.js';
import { rosterRulesOf } from '../assignment/manifest.js';
import { readAssignments } from '../data/read-assignments.js';
import { readRosterSource } from '../data/read-roster-source.js';
import { guardOutputs } from '../io/output-guard.js';
import { PRIVATE_MODE, SHARED_MODE, writeTogether } from '../io/write-atomic.js';
import { formatCsvObjects } from '../io/write-csv.js';
import { deriveRng, generateSeed } from '../random.js';
import { simulateCalendar } from '../simulate/simulate-calendar.js';
import { streamAttendanceCsv } from '../simulate/write-simulated-attendance.js';
import { recordSimulatedOutcomes } from './record-simulated-outcomes.js';

export interface SimulateStudyOutcomesOptions {
  /** The roster CSV, or a OneRoster folder or zip. */
  readonly roster: string;
  /** The study's `assignments.csv`; the simulation is recorded in its manifest, when it has one. */
  readonly assignments: string;
  /** Folder for `calendar.csv` and `attendance.csv`. */
  readonly out: string;
  /** True share of absences the treatment avoids (0.024: 2.4% fewer). Default 0.024. */
  readonly effect?: number;
  /** Per-district true effects, overriding `effect` for the districts named. */
  readonly districtEffects?: Readonly<Record<string, number>>;
  /** First calendar year of the simulated school year. Default 2025. */
  readonly year?: number;
  /** Generated when not given; the result says which. */
  readonly seed?: number;
  /** What the manifest records as the command (the CLI passes the command line as typed). */
  readonly command?: string;
  /** When (ISO 8601), for the manifest; default now. */
  readonly created?: string;
  /** Replace a calendar.csv and attendance.csv already in `out` (never the roster or assignment read). */
  readonly force?: boolean;
}

/** What `simulateStudyOutcomes` wrote. */
export interface SimulatedStudyOutcomes {
  readonly attendance: string;
  readonly calendar: string;
  /** Daily records written. */
  readonly rows: number;
  readonly students: number;
  readonly seed: number;
  readonly effect: number;
  /** The first simulated school day: the arms applied from it on. */
  readonly armsTookEffect?: string;
  /** The manifest the simulation was recorded in; undefined when the assignment has none. */
  readonly manifest?: string;
}

/**
 * A school year of simulated daily attendance for an assigned study, with a known true
 * effect, as `pilot simulate attendance` makes it: a calendar (`calendar.csv`), every
 * rostered student's days (`attendance.csv`), and a record in the assignment's manifest
 * of the day the arms took effect, so that an analysis of these outcomes knows they came
 * after the assignment (`checkArmsInEffect`).
 *
 * @example
 * const made = await simulateStudyOutcomes({ roster: 'sim/roster.csv', assignments: 'sim/study/assignments.csv', out: 'sim', effect: 0.05, seed: 3 });
 * made.armsTookEffect; // '2025-08-18'
 */
export async function simulateStudyOutcomes(options: SimulateStudyOutcomesOptions): Promise<SimulatedStudyOutcomes> {
  const { effect = 0.024, districtEffects = {}, year = 2025 } = options;
  const seed = options.seed ?? generateSeed();
  const calendarPath = join(options.out, 'calendar.csv');
  const path = join(options.out, 'attendance.csv');
  await guardOutputs({
    inputs: [options.roster, options.assignments, manifestPathFor(options.assignments)],
    outputs: [calendarPath, path],
    force: options.force,
  });
  // An assignment with a manifest is verified first (file and manifest): the simulation is
  // recorded in that manifest, which must not be sealed again with an edit inside; and the
  // manifest says how the roster is read (households across districts).
  const verified = (await fileExists(manifestPathFor(options.assignments)))
    ? await readVerifiedAssignments(options.assignments)
    : undefined;
  const assignments = verified?.assignments ?? (await readAssignments({ path: options.assignments }, options.assignments));
  const roster = await readRosterSource(options.roster, undefined, verified ? rosterRulesOf(verified.manifest) : {});
  const calendar = simulateCalendar(year);
  const armOf = new Map(assignments.map((a) => [a.student_id, a.arm]));
  // The calendar and the attendance appear together: never one year's calendar beside another's days.
  const written = await writeTogether(options.out, async (output) => {
    await output.add({
      path: calendarPath,
      contents: formatCsvObjects(['date', 'school_id', 'instructional'], calendar),
      mode: SHARED_MODE,
    });
    const file = await output.stream(path, PRIVATE_MODE);
    const records = await streamAttendanceCsv(
      file,
      roster.students,
      armOf,
      calendar,
      { effect, districtEffects },
      deriveRng(seed, 'attendance'),
    );
    await file.end();
    return records;
  });
  const manifest =
    written.armsTookEffect === undefined
      ? undefined
      : await recordSimulatedOutcomes(options.assignments, {
          created: options.created ?? new Date().toISOString(),
          command: options.command ?? 'simulateStudyOutcomes',
          attendance_sha256: written.sha256,
          arms_took_effect: written.armsTookEffect,
          true_effect: effect,
          ...(Object.keys(districtEffects).length > 0 ? { district_effects: districtEffects } : {}),
          seed,
        });
  return {
    attendance: path,
    calendar: calendarPath,
    rows: written.rows,
    students: roster.students.length,
    seed,
    effect,
    armsTookEffect: written.armsTookEffect,
    manifest,
  };
}

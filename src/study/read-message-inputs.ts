import { manifestPathFor, readVerifiedAssignments } from '../assignment/assignment-files.js';
import { rosterRulesOf } from '../assignment/manifest.js';
import { readCalendar } from '../data/read-calendar.js';
import { readMappingFile } from '../data/read-mapping-file.js';
import type { OneRosterOptions } from '../data/read-oneroster.js';
import { readRosterSource } from '../data/read-roster-source.js';
import { readWindowTotals } from '../data/read-window-totals.js';
import type { Issue } from '../errors.js';
import { guardOutputs } from '../io/output-guard.js';
import type { MessageListInput } from '../messages/build-message-list.js';
import type { MessageListKind } from '../messages/message-window.js';
import { messageWindow } from '../messages/message-window.js';
import { readMessageSettings } from '../messages/read-message-settings.js';
import { skippedPathFor } from '../messages/write-message-list.js';

export interface MessageInputPaths {
  readonly roster: string;
  /** `assignments.csv`, checked against its manifest (a changed file is refused). */
  readonly assignments: string;
  readonly attendance: string;
  readonly calendar?: string;
  readonly settings?: string;
  /** A mapping file (`--map`): its `roster` section reads a roster CSV, its `attendance` section the attendance. */
  readonly map?: string;
  /** How a OneRoster roster is read: give what `pilot assign` was given (`--include-disabled`, `--district`). */
  readonly oneRoster?: OneRosterOptions;
}

export interface MessageInputOptions {
  readonly kind: MessageListKind;
  readonly asOf: string;
  readonly since?: string;
  readonly firstDay?: string;
  /**
   * The message list's path, when it will be written: refused before anything is read if it
   * (or its skip list) would replace one of the inputs, or an existing list without `force`.
   */
  readonly out?: string;
  readonly force?: boolean;
}

/**
 * Reads everything a message list needs, checking each input: the roster, the
 * assignment (its SHA-256 against the manifest), the settings (templates checked before
 * any data), the calendar, and the attendance file, streamed once for the window.
 */
export async function readMessageInputs(
  paths: MessageInputPaths,
  options: MessageInputOptions,
): Promise<MessageListInput & { notes: readonly Issue[] }> {
  if (options.out !== undefined) {
    const inputs = [
      paths.roster,
      paths.assignments,
      manifestPathFor(paths.assignments),
      paths.attendance,
      paths.calendar,
      paths.settings,
      paths.map,
    ];
    await guardOutputs({ inputs, outputs: [options.out, skippedPathFor(options.out)], force: options.force });
  }
  // The settings' templates before any data; then the calendar, so an --as-of outside its
  // school year is refused before the long reads.
  const settings = paths.settings ? await readMessageSettings(paths.settings) : undefined;
  const calendar = paths.calendar ? await readCalendar({ path: paths.calendar }, paths.calendar) : undefined;
  const { window, notes } = messageWindow({ ...options, calendar, calendarFile: paths.calendar });
  const { assignments, manifest } = await readVerifiedAssignments(paths.assignments);
  const mapping = paths.map ? await readMappingFile(paths.map) : undefined;
  const roster = await readRosterSource(paths.roster, undefined, {
    ...paths.oneRoster,
    mapping: mapping?.roster,
    ...rosterRulesOf(manifest),
  });
  // One map serves as the roster's students and their schools: two million students are
  // then one map, not a map and a set.
  const schoolOf = new Map<string, string>();
  for (const student of roster.students) schoolOf.set(student.student_id, student.school_id);
  const attendance = await readWindowTotals({ path: paths.attendance }, paths.attendance, [window], {
    calendar,
    schoolOf,
    students: schoolOf,
    mapping: mapping?.attendance,
  });
  return {
    students: roster.students,
    assignments,
    controlArm: manifest.design.control_arm,
    kind: options.kind,
    asOf: options.asOf,
    window,
    totals: attendance.totals[0],
    calendar,
    settings,
    notes: [...roster.warnings, ...attendance.warnings, ...notes.map((message) => ({ file: 'window', message }))],
  };
}

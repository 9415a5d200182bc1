import { join } from 'node:path';
import { assignmentPaths, readVerifiedAssignments } from '../assignment/assignment-files.js';
import { rosterRulesOf } from '../assignment/manifest.js';
import { readRosterSource } from '../data/read-roster-source.js';
import { UsageError } from '../errors.js';
import { guardOutputs } from '../io/output-guard.js';
import { PRIVATE_MODE, writeFileAtomically } from '../io/write-atomic.js';
import { generateSeed } from '../random.js';
import type { SendLogLayout } from '../simulate/format-vendor-send-log.js';
import { formatSendLogAs } from '../simulate/format-vendor-send-log.js';
import { DEFAULT_REACHABLE, simulateSendLog } from '../simulate/simulate-send-log.js';
import type { MessageMode } from '../types.js';

export interface SimulateStudyDeliveriesOptions {
  /** The study folder `pilot assign` wrote: its assignment is verified against the manifest, whose control arm is never messaged. */
  readonly study: string;
  /** The roster (CSV, or a OneRoster folder or zip): each caregiver's preferred mode and language. Without it, every message is a text. */
  readonly roster?: string;
  /** The days of the sends (YYYY-MM-DD), as `pilot schedule` plans them. */
  readonly sendDates: readonly string[];
  /** Folder to write the log in (`send-log.csv`, `parentsquare-send-log.csv` or `schoolmessenger-send-log.csv`). */
  readonly out: string;
  /** The layout written (default `generic`); a vendor's reads back with its mapping in fixtures/mappings/. */
  readonly layout?: SendLogLayout;
  /** The share of the control arm messaged once by mistake (default 0). */
  readonly contamination?: number;
  /** Compliance rates by mode; a mode not named keeps `DEFAULT_REACHABLE`'s. */
  readonly reachable?: Readonly<Partial<Record<MessageMode, number>>>;
  /** Generated when not given; the result says which. */
  readonly seed?: number;
  /** Replace a log already in `out`. */
  readonly force?: boolean;
}

/** What `simulateStudyDeliveries` wrote. */
export interface SimulatedStudyDeliveries {
  readonly path: string;
  readonly layout: SendLogLayout;
  /** Messages in the file. */
  readonly messages: number;
  /** Letters a vendor that sends none does not log, left out of the file. */
  readonly leftOut: number;
  /** Treated students whose caregivers received at least one message (the compliers). */
  readonly received: number;
  readonly treated: number;
  /** Control students messaged by mistake. */
  readonly contaminated: number;
  /** The mapping file (fixtures/mappings/) that reads a vendor's layout. */
  readonly mapping?: string;
  readonly seed: number;
}

const FILE_NAMES: Readonly<Record<SendLogLayout, string>> = {
  generic: 'send-log.csv',
  parentsquare: 'parentsquare-send-log.csv',
  schoolmessenger: 'schoolmessenger-send-log.csv',
};

/**
 * A simulated messaging system's send log for an assigned study, as `pilot simulate
 * deliveries` writes it: every student of the treatment arm(s) messaged on each send date
 * by their caregiver's preferred mode, reached at that mode's compliance rate
 * (`simulateSendLog`), and a share of the control arm messaged by mistake; in our layout or
 * a vendor's, so `pilot deliveries` reads it back (with `--map` for a vendor's). The file
 * names students, so it is written readable by its owner only (0600), all at once.
 *
 * @example
 * const made = await simulateStudyDeliveries({ study: 'sim/study', roster: 'sim/roster.csv', sendDates: ['2025-09-08', '2025-10-14'], out: 'sim', seed: 4 });
 * made.path; // 'sim/send-log.csv'
 */
export async function simulateStudyDeliveries(options: SimulateStudyDeliveriesOptions): Promise<SimulatedStudyDeliveries> {
  const layout = options.layout ?? 'generic';
  if (options.sendDates.length === 0) throw new UsageError('simulateStudyDeliveries', 'give at least one send date');
  const seed = options.seed ?? generateSeed();
  const assignmentsPath = assignmentPaths(options.study).assignments;
  const path = join(options.out, FILE_NAMES[layout]);
  await guardOutputs({ inputs: [assignmentsPath, options.roster], outputs: [path], force: options.force });
  const { assignments, manifest } = await readVerifiedAssignments(assignmentsPath);
  const roster = options.roster ? await readRosterSource(options.roster, undefined, rosterRulesOf(manifest)) : undefined;
  const byId = new Map(roster?.students.map((s) => [s.student_id, s]));
  const students = assignments.map((a) => {
    const s = byId.get(a.student_id);
    return { student_id: a.student_id, arm: a.arm, mode: s?.preferred_mode ?? 'text', language: s?.preferred_language };
  });
  const controlArm = manifest.design.control_arm;
  const log = simulateSendLog({
    students,
    sendDates: options.sendDates,
    reachable: { ...DEFAULT_REACHABLE, ...options.reachable },
    contamination: options.contamination,
    controlArm,
    seed,
  });
  const written = formatSendLogAs(log.rows, layout);
  await writeFileAtomically(path, written.contents, PRIVATE_MODE);
  return {
    path,
    layout,
    messages: written.rows,
    leftOut: written.leftOut,
    received: log.received.size,
    treated: assignments.filter((a) => a.arm !== controlArm).length,
    contaminated: log.contaminated.size,
    ...(written.mapping ? { mapping: written.mapping } : {}),
    seed,
  };
}

import type { RosterHouseholds } from '../data/read-roster.js';
import type { RosterColumns } from '../data/roster-columns.js';
import { rosterColumnsOf } from '../data/roster-columns.js';
import { PilotError } from '../errors.js';
import type { Assignment, RosterStudent } from '../types.js';
import { VERSION } from '../version.js';
import { addLateEnrollees } from './add-late-enrollees.js';
import type { AssignedRows, AssignmentRun, RosterAssignment } from './assign-blocked.js';
import { assignRoster } from './assign-blocked.js';
import type { BalanceRow } from './balance.js';
import { computeBalance, computeBalanceByPosition } from './balance.js';
import type { AssignmentDesign } from './design.js';
import { encodeAssignedRowsOnTwoThreads, startEncodingWorker } from './encode-assigned-rows-on-two-threads.js';
import { encodeAssignedRows, formatAssignments } from './format-assignments.js';
import { formatBalance } from './format-balance.js';
import type { AssignmentManifest, ManifestRun } from './manifest.js';
import { ASSIGNMENT_STREAM_VERSION, designFromManifest, manifestDesign } from './manifest.js';

/** What a run of `pilot assign` is about to write, computed without touching the disk. */
export interface AssignmentPlan {
  readonly run: AssignmentRun;
  /** assignments.csv as it is hashed and written (UTF-8), in parts to be written one after the other. */
  readonly csvParts: readonly Uint8Array[];
  /** The same as text (decoded when read: a million-row plan is written as bytes). */
  readonly csvText: string;
  readonly manifest: Omit<AssignmentManifest, 'output'>;
  readonly balance: readonly BalanceRow[];
  readonly balanceCsv: string;
  readonly design: AssignmentDesign;
  /** Students this run assigned to each arm, arms in the order they first occur by student id. */
  readonly studentsByArm: Readonly<Record<string, number>>;
}

export interface RunContext {
  readonly command: string;
  readonly inputs: ManifestRun['inputs'];
  /** ISO timestamp; injected so tests are exact. */
  readonly created: string;
}

function manifestRun(label: string, run: AssignmentRun, studentsAdded: number, context: RunContext): ManifestRun {
  return {
    assigned_at: label,
    created: context.created,
    command: context.command,
    inputs: context.inputs,
    students_added: studentsAdded,
    households_added: run.households,
    households_spanning_blocks: run.householdsSpanningBlocks,
    counts: run.counts,
    output_sha256: '',
  };
}

/** The first assignment of a study: every roster student, under `design`, from `seed`. */
export function planInitialAssignment(
  students: readonly RosterStudent[],
  design: AssignmentDesign,
  seed: number,
  context: RunContext,
): AssignmentPlan {
  const roster = rosterColumnsOf(students);
  const run = assignRoster(roster, design, seed);
  const balance = computeBalanceByPosition(roster, run.armOfStudent, run.householdSizeOfStudent, design.arms, design.controlArm);
  return initialPlan(roster, run, design, seed, context, [encodeAssignedRows(run.rows)], balance);
}

/**
 * `planInitialAssignment` for a roster read as columns (`readRosterColumnsSource`). With
 * two `threads` (the default), `assignments.csv` is written on two threads for a large
 * roster (`encodeAssignedRowsOnTwoThreads`): the same plan, byte for byte. `households`
 * (`RosterAsColumns.households`) spares grouping the students again (`assignRoster`).
 */
export async function planRosterAssignment(
  roster: RosterColumns,
  design: AssignmentDesign,
  seed: number,
  context: RunContext,
  { threads = 2, households }: { readonly threads?: 1 | 2; readonly households?: RosterHouseholds } = {},
): Promise<AssignmentPlan> {
  // The worker that writes part of assignments.csv starts while the roster is assigned.
  const worker = threads === 2 ? startEncodingWorker(roster.count) : undefined;
  let run: RosterAssignment;
  try {
    run = assignRoster(roster, design, seed, households);
  } catch (error) {
    void worker?.terminate();
    throw error;
  }
  // This thread writes its part of the rows before the call returns; the balance is then
  // computed while the worker writes the rest (awaited together, so that a failure of
  // either is the one reported and neither is left unhandled).
  const [csvParts, balance] = await Promise.all([
    worker === undefined ? [encodeAssignedRows(run.rows)] : encodeAssignedRowsOnTwoThreads(run.rows, worker),
    Promise.resolve().then(() =>
      computeBalanceByPosition(roster, run.armOfStudent, run.householdSizeOfStudent, design.arms, design.controlArm),
    ),
  ]);
  return initialPlan(roster, run, design, seed, context, csvParts, balance);
}

function initialPlan(
  roster: RosterColumns,
  run: RosterAssignment,
  design: AssignmentDesign,
  seed: number,
  context: RunContext,
  csvParts: readonly Uint8Array[],
  balance: readonly BalanceRow[],
): AssignmentPlan {
  return {
    run,
    design,
    studentsByArm: countRowsByArm(run.rows),
    csvParts,
    get csvText() {
      return Buffer.concat(csvParts).toString('utf8');
    },
    manifest: {
      tool: 'attendance-pilot',
      version: VERSION,
      design: manifestDesign(design),
      seed,
      stream_version: ASSIGNMENT_STREAM_VERSION,
      runs: [manifestRun('initial', run, roster.count, context)],
    },
    balance,
    balanceCsv: formatBalance(balance, design.arms, design.controlArm),
  };
}

/**
 * A late-enrollee run over an existing assignment: the new rows are appended to the
 * existing file text unchanged, so every earlier row stays byte-identical.
 */
export function planLateAssignment(
  existingText: string,
  existing: readonly Assignment[],
  manifest: AssignmentManifest,
  roster: readonly RosterStudent[],
  context: RunContext,
  previousYear: readonly Assignment[] = [],
): AssignmentPlan {
  // An imported assignment has no design or seed of ours to draw late enrollees from.
  if (manifest.imported)
    throw new PilotError(
      `the assignment was imported from ${manifest.imported.file} (made by ${manifest.imported.source}), so pilot cannot randomize late enrollees under its design: randomize them with the tool that made it and import the whole assignment into a new study folder`,
    );
  const design = designFromManifest(manifest);
  const label = `late-${manifest.runs.length}`;
  const run = addLateEnrollees(existing, roster, design, manifest.seed, label, previousYear);
  const all = [...existing, ...run.assignments];
  const balance = computeBalance(roster, all, design.arms, design.controlArm);
  const separator = existingText.endsWith('\n') || existingText === '' ? '' : '\n';
  const csvText = run.assignments.length === 0 ? existingText : existingText + separator + formatAssignments(run.assignments, false);
  return {
    run,
    design,
    studentsByArm: countByArm(run.assignments.map((a) => a.arm)),
    csvParts: [Buffer.from(csvText, 'utf8')],
    csvText,
    manifest: { ...manifest, runs: [...manifest.runs, manifestRun(label, run, run.assignments.length, context)] },
    balance,
    balanceCsv: formatBalance(balance, design.arms, design.controlArm),
  };
}

/**
 * Students per arm of an initial run, arms in order of first occurrence by student id:
 * summed over households, and the rows read only until every arm with students has
 * appeared (a million rows are not read for it).
 */
function countRowsByArm(rows: AssignedRows): Record<string, number> {
  const { householdOf, sizeOf, count } = rows.households;
  const perArm = new Int32Array(rows.arms.length);
  for (let h = 0; h < count; h++) perArm[rows.armOfHousehold[h]] += sizeOf[h];
  const order: number[] = [];
  const arms = perArm.filter((n) => n > 0).length;
  for (let i = 0; i < householdOf.length && order.length < arms; i++) {
    const arm = rows.armOfHousehold[householdOf[i]];
    if (!order.includes(arm)) order.push(arm);
  }
  return Object.fromEntries(order.map((a) => [rows.arms[a], perArm[a]]));
}

/** How many of `arms` (one per student, in id order) name each arm, in order of first occurrence. */
function countByArm(arms: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const arm of arms) counts[arm] = (counts[arm] ?? 0) + 1;
  return counts;
}

import { compareStudentIds } from '../data/compare-student-ids.js';
import { rosterColumnsOf } from '../data/roster-columns.js';
import { PilotError } from '../errors.js';
import { deriveRng, shuffled } from '../random.js';
import type { Assignment, RosterStudent } from '../types.js';
import { VERSION } from '../version.js';
import { armCounts } from './arm-counts.js';
import type { AssignmentRun, BlockCount } from './assign-blocked.js';
import { assignmentRow } from './assign-blocked.js';
import { computeBalance } from './balance.js';
import type { AssignmentDesign } from './design.js';
import { treatmentProbability } from './design.js';
import { formatAssignments } from './format-assignments.js';
import { formatBalance } from './format-balance.js';
import { buildHouseholdTable } from './household-table.js';
import type { AssignmentManifest, ContinuedFrom } from './manifest.js';
import { manifestDesign } from './manifest.js';
import type { AssignmentPlan, RunContext } from './plan-assignment.js';
import { planRosterAssignment } from './plan-assignment.js';

/** What `continueAssignment` made: a whole year's rows, with who kept an arm and who drew one. */
export interface ContinuedRun extends AssignmentRun {
  /** Students of this year's roster who were in last year's assignment (they keep their arm). */
  readonly returningStudents: number;
  /** Households that kept last year's arm (through a returning student, or their household_id). */
  readonly keptHouseholds: number;
  /** Households randomized this year (no member, and no household_id, in last year's assignment). */
  readonly newHouseholds: number;
}

/**
 * Assigns a second year's roster, continuing last year's assignment: every returning
 * student keeps last year's arm, and so does every household with a returning student
 * (its new members join it) or, clustered, whose household_id was in last year's
 * assignment. The other households are newcomers, randomized in this year's blocks (a
 * household in its lowest-grade student's block) with exact counts: in each block the
 * newcomers are split so that the block's households per arm come as close to the design's
 * shares as the kept households allow (`newcomerTargets`), each target rounded down or up
 * as `armCounts` rounds, from a stream derived from the seed and the block's name.
 *
 * `previousFile` names last year's assignment in errors. Refused (PilotError) when a
 * household of this year's roster would have to keep two arms (its returning students, or
 * last year's rows of its household_id, were in different arms) or when a kept arm is not
 * one of the design's arms.
 *
 * @example
 * const year2 = continueAssignment(lastYear, roster2026, design, 2026, 'y1/assignments.csv');
 * year2.returningStudents; // 1040
 */
export function continueAssignment(
  previous: readonly Assignment[],
  roster: readonly RosterStudent[],
  design: AssignmentDesign,
  seed: number,
  previousFile: string,
): ContinuedRun {
  const students = [...roster].sort(compareStudentIds);
  const table = buildHouseholdTable(rosterColumnsOf(students), design.blockBy, design.clustered);
  const keptArm = keptArms(previous, students, table.householdOf, table.count, design, previousFile);

  const byBlock = table.blocks.map(() => ({ kept: new Int32Array(design.arms.length), newcomers: [] as number[] }));
  for (let h = 0; h < table.count; h++) {
    const block = byBlock[table.blockOf[h]];
    if (keptArm[h] >= 0) block.kept[keptArm[h]]++;
    else block.newcomers.push(h);
  }
  const armOf = Int32Array.from(keptArm);
  const pOfNewcomersIn = new Float64Array(table.blocks.length).fill(treatmentProbability(design));
  const control = design.arms.indexOf(design.controlArm);
  for (let b = 0; b < table.blocks.length; b++) {
    const { kept, newcomers } = byBlock[b];
    if (newcomers.length === 0) continue;
    const targets = newcomerTargets(newcomers.length, kept, design.probabilities);
    const shares = targets.map((t) => t / newcomers.length);
    // A newcomer's chance of treatment is its block's expected share of newcomers outside control.
    pOfNewcomersIn[b] = 1 - shares[control];
    const rng = deriveRng(seed, `continue:block:${table.blocks[b]}`);
    const perArm = armCounts(newcomers.length, shares, rng);
    const order = shuffled(newcomers, rng);
    let next = 0;
    for (let a = 0; a < perArm.length; a++) for (let k = 0; k < perArm[a]; k++) armOf[order[next++]] = a;
  }

  const previousOf = new Map(previous.map((row) => [row.student_id, row]));
  // A kept household's probability is last year's, from its first returning student (else its household_id's first row).
  const previousOfHousehold = new Map<number, Assignment>();
  const previousByHouseholdId = new Map<string, Assignment>();
  for (const row of previous) if (!previousByHouseholdId.has(row.household_id)) previousByHouseholdId.set(row.household_id, row);
  students.forEach((student, i) => {
    const row = previousOf.get(student.student_id);
    if (row && !previousOfHousehold.has(table.householdOf[i])) previousOfHousehold.set(table.householdOf[i], row);
  });
  const counts = new Map<string, BlockCount & { households: number; students: number }>();
  const countedHousehold = new Uint8Array(table.count);
  const assignments = students.map((student, i) => {
    const h = table.householdOf[i];
    const block = table.blocks[table.blockOf[h]];
    const arm = design.arms[armOf[h]];
    const p =
      keptArm[h] < 0
        ? pOfNewcomersIn[table.blockOf[h]]
        : (previousOfHousehold.get(h) ?? previousByHouseholdId.get(student.household_id))!.p_treatment;
    const key = `${block}\u0000${arm}`;
    const count = counts.get(key) ?? { block, arm, households: 0, students: 0 };
    count.students++;
    if (countedHousehold[h] === 0) count.households++;
    countedHousehold[h] = 1;
    counts.set(key, count);
    return assignmentRow(student, block, arm, p, 'initial');
  });
  let spanning = 0;
  let kept = 0;
  for (let h = 0; h < table.count; h++) {
    spanning += table.spansBlocks[h];
    if (keptArm[h] >= 0) kept++;
  }
  return {
    assignments,
    counts: [...counts.values()].sort((x, y) => (x.block < y.block ? -1 : x.block > y.block ? 1 : 0)),
    households: table.count,
    householdsSpanningBlocks: spanning,
    returningStudents: students.filter((s) => previousOf.has(s.student_id)).length,
    keptHouseholds: kept,
    newHouseholds: table.count - kept,
  };
}

/**
 * How many of a block's `newcomers` (households) each arm should get, before rounding:
 * the block's households (kept and new) shared out by the design's `probabilities`, less
 * the households each arm keeps. An arm that keeps more than its share gets no newcomers,
 * and the others' shares are taken again over what is left, until no target is negative.
 * The targets sum to `newcomers`; without kept households they are `newcomers * p`.
 *
 * @example newcomerTargets(10, [8, 2], [0.5, 0.5]) // [2, 8]: the block ends 10 and 10
 * @example newcomerTargets(4, [8, 2], [0.5, 0.5])  // [0, 4]: 8 and 6, as near 7 and 7 as it can
 */
export function newcomerTargets(newcomers: number, kept: ArrayLike<number>, probabilities: readonly number[]): number[] {
  const open = probabilities.map(() => true);
  for (;;) {
    let households = newcomers;
    let share = 0;
    for (let a = 0; a < open.length; a++) if (open[a]) [households, share] = [households + kept[a], share + probabilities[a]];
    const targets = probabilities.map((p, a) => (open[a] ? (households * p) / share - kept[a] : 0));
    if (targets.every((t) => t >= 0)) return targets;
    targets.forEach((t, a) => {
      if (t < 0) open[a] = false;
    });
  }
}

/**
 * The arm each of this year's households keeps (an index into the design's arms), or -1
 * for a newcomer. Every household that would have to keep two arms, or an arm the design
 * lacks, is refused, all of them named at once.
 */
function keptArms(
  previous: readonly Assignment[],
  studentsInIdOrder: readonly RosterStudent[],
  householdOf: Int32Array,
  households: number,
  design: AssignmentDesign,
  previousFile: string,
): Int32Array {
  const armOfStudent = new Map(previous.map((row) => [row.student_id, row.arm]));
  const armsOfHouseholdId = new Map<string, Set<string>>();
  for (const row of previous) {
    const arms = armsOfHouseholdId.get(row.household_id) ?? new Set<string>();
    armsOfHouseholdId.set(row.household_id, arms.add(row.arm));
  }
  // Each household's reasons to keep an arm: "student S (arm)" or "household_id H (arms)".
  const reasons: Map<string, string[]>[] = Array.from({ length: households }, () => new Map());
  const householdIdOf: string[] = new Array(households);
  studentsInIdOrder.forEach((student, i) => {
    const h = householdOf[i];
    householdIdOf[h] = student.household_id;
    const arm = armOfStudent.get(student.student_id);
    if (arm !== undefined) reasons[h].set(arm, [...(reasons[h].get(arm) ?? []), `student "${student.student_id}"`]);
  });
  if (design.clustered) {
    for (let h = 0; h < households; h++) {
      if (reasons[h].size > 0) continue;
      for (const arm of armsOfHouseholdId.get(householdIdOf[h]) ?? []) reasons[h].set(arm, [`household_id "${householdIdOf[h]}"`]);
    }
  }
  const kept = new Int32Array(households).fill(-1);
  const problems: string[] = [];
  for (let h = 0; h < households; h++) {
    const arms = [...reasons[h].keys()];
    if (arms.length > 1) {
      const who = arms.map((arm) => `${reasons[h].get(arm)!.slice(0, 3).join(', ')} in ${arm}`).join('; ');
      problems.push(`household "${householdIdOf[h]}" would keep two arms (${who})`);
    } else if (arms.length === 1) {
      kept[h] = design.arms.indexOf(arms[0]);
      if (kept[h] < 0) problems.push(`household "${householdIdOf[h]}" kept arm "${arms[0]}", which is not an arm of this design`);
    }
  }
  if (problems.length > 0) {
    throw new PilotError(
      `${previousFile}: this year's roster cannot continue last year's assignment: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? `; and ${problems.length - 5} more` : ''}. ` +
        "Correct household_id in this year's roster, keep last year's arms in the design, or re-randomize everyone with --rerandomize",
    );
  }
  return kept;
}

/** Last year's assignment as a continuation reads it: its rows and manifest, verified, and where it is. */
export interface PreviousYear {
  readonly assignments: readonly Assignment[];
  readonly manifest: AssignmentManifest;
  /** The new manifest's link to it (what the run adds: rerandomized, the counts, is filled in by the plan). */
  readonly link: Pick<ContinuedFrom, 'assignments' | 'assignments_sha256' | 'manifest_sha256'>;
}

/**
 * The first run of a continuing study (label `initial`), computed without touching the
 * disk: `continueAssignment` over this year's roster, or with `rerandomize` a fresh
 * assignment of everyone under this year's design (`planRosterAssignment`); either way
 * the manifest records the link to last year's (`continued_from`).
 */
export async function planContinuedAssignment(
  previous: PreviousYear,
  roster: readonly RosterStudent[],
  design: AssignmentDesign,
  seed: number,
  context: RunContext,
  { rerandomize = false }: { readonly rerandomize?: boolean } = {},
): Promise<AssignmentPlan> {
  if (rerandomize) {
    const plan = await planRosterAssignment(rosterColumnsOf(roster), design, seed, context, { threads: 1 });
    const previousIds = new Set(previous.assignments.map((row) => row.student_id));
    const returning = roster.filter((s) => previousIds.has(s.student_id)).length;
    const link = { ...previous.link, rerandomized: true, returning_students: returning, kept_households: 0 };
    return { ...plan, manifest: { ...plan.manifest, continued_from: link } };
  }
  const run = continueAssignment(previous.assignments, roster, design, seed, previous.link.assignments);
  const balance = computeBalance(roster, run.assignments, design.arms, design.controlArm);
  const csvText = formatAssignments(run.assignments);
  const studentsByArm: Record<string, number> = {};
  for (const row of run.assignments) studentsByArm[row.arm] = (studentsByArm[row.arm] ?? 0) + 1;
  const manifest: Omit<AssignmentManifest, 'output'> = {
    tool: 'attendance-pilot',
    version: VERSION,
    design: manifestDesign(design),
    seed,
    runs: [
      {
        assigned_at: 'initial',
        created: context.created,
        command: context.command,
        inputs: context.inputs,
        students_added: run.assignments.length,
        households_added: run.households,
        households_spanning_blocks: run.householdsSpanningBlocks,
        counts: run.counts,
        output_sha256: '',
      },
    ],
    continued_from: {
      ...previous.link,
      rerandomized: false,
      returning_students: run.returningStudents,
      kept_households: run.keptHouseholds,
    },
  };
  return {
    run,
    design,
    studentsByArm,
    csvParts: [Buffer.from(csvText, 'utf8')],
    csvText,
    manifest,
    balance,
    balanceCsv: formatBalance(balance, design.arms, design.controlArm),
  };
}

import { positionsInOrder } from '../data/compare-student-ids.js';
import type { RosterHouseholds } from '../data/read-roster.js';
import type { RosterColumns } from '../data/roster-columns.js';
import { rosterColumnsInOrder, rosterColumnsOf } from '../data/roster-columns.js';
import { deriveRng, shuffled } from '../random.js';
import type { Assignment, RosterStudent } from '../types.js';
import { armCounts } from './arm-counts.js';
import type { AssignmentDesign } from './design.js';
import { treatmentProbability } from './design.js';
import type { HouseholdGroups, HouseholdTable } from './household-table.js';
import { buildHouseholdTable } from './household-table.js';

/** Households and students per block and arm, as the manifest records them. */
export interface BlockCount {
  readonly block: string;
  readonly arm: string;
  readonly households: number;
  readonly students: number;
}

export interface AssignmentRun {
  /** Sorted by student id. */
  readonly assignments: readonly Assignment[];
  readonly counts: readonly BlockCount[];
  readonly households: number;
  /** Households whose students fall in different blocks (assigned in their lowest grade's block). */
  readonly householdsSpanningBlocks: number;
}

/**
 * Randomizes households to arms within blocks with exact counts: in each block the number
 * of households per arm is the floor or ceiling of its share (see `armCounts`), and every
 * household's probability of each arm is exactly the design's. Each block draws from its
 * own stream derived from the seed, the run's `label` (`initial`, `late-1`, ...) and the
 * block's name, so adding a block never changes another.
 *
 * Returns the arm of each household (an index into `design.arms`, by position) and the
 * counts per block and arm. `blockOf[h]` is household h's block (an index into `blocks`),
 * `sizeOf[h]` its students. Households go to their blocks in id order, so each block's
 * shuffle sees the same list whatever order the roster came in.
 */
export function drawArms(
  households: { readonly blockOf: Int32Array; readonly sizeOf: Int32Array; readonly blocks: readonly string[] },
  design: AssignmentDesign,
  seed: number,
  label: string,
): { armOf: Int32Array; counts: BlockCount[] } {
  const { blockOf, sizeOf, blocks } = households;
  const members: number[][] = blocks.map(() => []);
  for (let h = 0; h < blockOf.length; h++) members[blockOf[h]].push(h);
  const armOf = new Int32Array(blockOf.length);
  const counts: BlockCount[] = [];
  const byName = Array.from(blocks.keys()).sort((a, b) => (blocks[a] < blocks[b] ? -1 : blocks[a] > blocks[b] ? 1 : 0));
  for (const b of byName) {
    if (members[b].length === 0) continue;
    const block = blocks[b];
    const rng = deriveRng(seed, `${label}:block:${block}`);
    const perArm = armCounts(members[b].length, design.probabilities, rng);
    const order = shuffled(members[b], rng);
    let next = 0;
    for (let a = 0; a < design.arms.length; a++) {
      let students = 0;
      for (let k = next; k < next + perArm[a]; k++) {
        armOf[order[k]] = a;
        students += sizeOf[order[k]];
      }
      next += perArm[a];
      counts.push({ block, arm: design.arms[a], households: perArm[a], students });
    }
  }
  return { armOf, counts };
}

/** A student's row of assignments.csv. */
export function assignmentRow(
  student: Pick<RosterStudent, 'student_id' | 'household_id' | 'district_id' | 'school_id' | 'grade'>,
  block: string,
  arm: string,
  pTreatment: number,
  label: string,
): Assignment {
  return {
    student_id: student.student_id,
    household_id: student.household_id,
    district_id: student.district_id,
    school_id: student.school_id,
    grade: student.grade,
    block,
    arm,
    p_treatment: pTreatment,
    assigned_at: label,
  };
}

/** Assigns a whole roster under a design: the first (`initial`) run of a study. */
export function assignBlocked(students: readonly RosterStudent[], design: AssignmentDesign, seed: number): AssignmentRun {
  const { assignments, counts, households, householdsSpanningBlocks } = assignRoster(rosterColumnsOf(students), design, seed);
  return { assignments, counts, households, householdsSpanningBlocks };
}

/** A run, with what balance needs by roster position and what the writer needs by row. */
export interface RosterAssignment extends AssignmentRun {
  /** `armOfStudent[i]` is the arm (index into `design.arms`) of roster student `i`. */
  readonly armOfStudent: Int32Array;
  /** `householdSizeOfStudent[i]`: students of student `i`'s household_id, itself included. */
  readonly householdSizeOfStudent: Int32Array;
  /** The rows of `assignments` as positions and indices (`encodeAssignedRows` writes them). */
  readonly rows: AssignedRows;
}

/**
 * The rows of a run, in id order, without an object per row: row `i` is
 * student `i` of `roster`, in household `households.householdOf[i]`, which drew arm
 * `armOfHousehold[...]` in block `households.blockOf[...]`.
 */
export interface AssignedRows {
  /** The roster in id order. */
  readonly roster: RosterColumns;
  readonly households: HouseholdTable;
  readonly armOfHousehold: Int32Array;
  readonly arms: readonly string[];
  readonly pTreatment: number;
  readonly label: string;
}

/**
 * Assigns a roster's students (households together) under a design, for every run of a
 * study: a first run's whole roster, or a late run's new households (`label` `late-1`,
 * ...). Built for a million students: the roster comes as columns, is put in id order
 * once (not at all when it already is), households are found as flat arrays
 * (`buildHouseholdTable`), and the rows stay positions and indices until something asks
 * for `assignments` as objects; `encodeAssignedRows` writes them without.
 * `rosterHouseholds`, the grouping roster validation found, spares grouping the
 * students again; it is used only if it matches the roster.
 */
export function assignRoster(
  roster: RosterColumns,
  design: AssignmentDesign,
  seed: number,
  rosterHouseholds?: RosterHouseholds,
  label = 'initial',
): RosterAssignment {
  const order = positionsInOrder(roster.studentIds);
  // Rosters usually come in id order: then the columns need no copy in that order.
  const sorted = isIdentity(order) ? roster : rosterColumnsInOrder(roster, order);
  const grouped = design.clustered && rosterHouseholds !== undefined ? householdGroupsInOrder(roster, rosterHouseholds, order) : undefined;
  const households = buildHouseholdTable(sorted, design.blockBy, design.clustered, grouped);
  const { armOf, counts } = drawArms(households, design, seed, label);
  const rows: AssignedRows = {
    roster: sorted,
    households,
    armOfHousehold: armOf,
    arms: design.arms,
    pTreatment: treatmentProbability(design),
    label,
  };
  const armOfStudent = new Int32Array(roster.count);
  for (let i = 0; i < sorted.count; i++) armOfStudent[order[i]] = armOf[households.householdOf[i]];
  let spanning = 0;
  for (let h = 0; h < households.count; h++) spanning += households.spansBlocks[h];
  let assignments: Assignment[] | undefined;
  return {
    get assignments() {
      return (assignments ??= assignmentObjects(rows));
    },
    counts,
    households: households.count,
    householdsSpanningBlocks: spanning,
    armOfStudent,
    householdSizeOfStudent: householdSizes(roster, design.clustered ? { households, order } : undefined),
    rows,
  };
}

/** The roster's household groups for its students put in `order`; undefined if they do not fit the roster. */
function householdGroupsInOrder(roster: RosterColumns, households: RosterHouseholds, order: Int32Array): HouseholdGroups | undefined {
  const { groupOf, firstOf } = households;
  const n = roster.count;
  if (groupOf.length !== n) return undefined;
  // Plain loops: Int32Array.from and map with a callback cost several times more at a million.
  const keys: string[] = [];
  for (let g = 0; g < firstOf.length; g++) {
    const first = firstOf[g];
    if (!(first >= 0 && first < n)) return undefined;
    keys.push(roster.householdIds[first]);
  }
  const groupOfSorted = new Int32Array(n);
  for (let i = 0; i < n; i++) groupOfSorted[i] = groupOf[order[i]];
  return { groupOf: groupOfSorted, keys };
}

/** The rows as `Assignment` objects, in id order. */
function assignmentObjects(rows: AssignedRows): Assignment[] {
  const { roster, households, armOfHousehold, arms, pTreatment, label } = rows;
  const assignments: Assignment[] = [];
  for (let i = 0; i < roster.count; i++) {
    const h = households.householdOf[i];
    const student = {
      student_id: roster.studentIds[i],
      household_id: roster.householdIds[i],
      district_id: roster.districtIds[i],
      school_id: roster.schoolIds[i],
      grade: roster.grades[i],
    };
    assignments.push(assignmentRow(student, households.blocks[households.blockOf[h]], arms[armOfHousehold[h]], pTreatment, label));
  }
  return assignments;
}

function isIdentity(order: Int32Array): boolean {
  for (let i = 0; i < order.length; i++) if (order[i] !== i) return false;
  return true;
}

/**
 * How many students share each student's household_id. Clustered, that is the size of
 * the household it was assigned with; otherwise households are counted by id.
 */
function householdSizes(roster: RosterColumns, clustered: { households: HouseholdTable; order: Int32Array } | undefined): Int32Array {
  const sizes = new Int32Array(roster.count);
  if (clustered) {
    const { householdOf, sizeOf } = clustered.households;
    for (let i = 0; i < clustered.order.length; i++) sizes[clustered.order[i]] = sizeOf[householdOf[i]];
    return sizes;
  }
  const counts = new Map<string, number>();
  for (const household of roster.householdIds) counts.set(household, (counts.get(household) ?? 0) + 1);
  for (let i = 0; i < roster.count; i++) sizes[i] = counts.get(roster.householdIds[i])!;
  return sizes;
}

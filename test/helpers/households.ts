/**
 * The reference assignment for tests: households as objects, grouped one student at a
 * time and randomized with the same draw (`drawArms`), then the rows sorted by id. The
 * columnar path every run of `pilot assign` takes (`assignRoster`, `buildHouseholdTable`)
 * is held to it.
 */
import type { AssignmentRun } from '../../src/assignment/assign-blocked.js';
import { assignmentRow, drawArms } from '../../src/assignment/assign-blocked.js';
import type { AssignmentDesign, BlockVariable } from '../../src/assignment/design.js';
import { blockOf, sameBlock, treatmentProbability } from '../../src/assignment/design.js';
import { compareStudentIds } from '../../src/data/compare-student-ids.js';
import { gradeIndex } from '../../src/data/normalize-grade.js';
import type { RosterStudent } from '../../src/types.js';

/** The unit of assignment: a household's students (sorted by id) and the block it is randomized in. */
export interface Household {
  readonly id: string;
  readonly block: string;
  readonly students: readonly RosterStudent[];
  /** True when its students fall in different blocks. */
  readonly spansBlocks: boolean;
}

/** Households, and for each student (by its position in the input) the position of its household. */
export interface HouseholdIndex {
  /** Sorted by id. */
  readonly households: readonly Household[];
  readonly householdOf: Int32Array;
}

/**
 * Groups students into households. A household whose students fall in different blocks
 * is randomized in the block of its lowest-grade student (ties: the lowest student id),
 * so siblings always share an arm; such households are marked `spansBlocks`. Without
 * clustering every student is a household of one. Sorted by id, so row order never matters.
 */
export function groupHouseholds(students: readonly RosterStudent[], blockBy: readonly BlockVariable[], clustered: boolean): Household[] {
  return indexHouseholds(students, blockBy, clustered).households as Household[];
}

/** `groupHouseholds`, also saying which household each student is in, so callers need no lookup by id. */
export function indexHouseholds(students: readonly RosterStudent[], blockBy: readonly BlockVariable[], clustered: boolean): HouseholdIndex {
  // Groups in order of first appearance; each student's group, by position.
  const groupOfKey = new Map<string, number>();
  const keys: string[] = [];
  const members: RosterStudent[][] = [];
  const groupOf = new Int32Array(students.length);
  for (let i = 0; i < students.length; i++) {
    const student = students[i];
    const key = clustered ? student.household_id : student.student_id;
    // Siblings often sit next to each other: then the last student's group is theirs.
    let group = i > 0 && key === keys[groupOf[i - 1]] ? groupOf[i - 1] : groupOfKey.get(key);
    if (group === undefined) {
      group = keys.length;
      groupOfKey.set(key, group);
      keys.push(key);
      members.push([student]);
    } else members[group].push(student);
    groupOf[i] = group;
  }
  // One string per block, shared by its households: a million students name a few
  // thousand blocks, and later lookups by block hash each string once.
  const blocks = new Map<string, string>();
  const built: Household[] = new Array(keys.length);
  for (let group = 0; group < keys.length; group++) {
    const list = members[group];
    if (list.length > 1) list.sort(compareStudentIds);
    let anchor = list[0];
    for (const student of list) if (gradeIndex(student.grade) < gradeIndex(anchor.grade)) anchor = student;
    const key = blockOf(anchor, blockBy);
    let block = blocks.get(key);
    if (block === undefined) blocks.set(key, (block = key));
    // Comparing the fields first spares building a block name for every sibling.
    const spansBlocks = list.length > 1 && list.some((s) => !sameBlock(s, anchor, blockBy) && blockOf(s, blockBy) !== block);
    built[group] = { id: keys[group], block, students: list, spansBlocks };
  }
  const order = Array.from(keys.keys()).sort((a, b) => (keys[a] < keys[b] ? -1 : keys[a] > keys[b] ? 1 : 0));
  const positionOfGroup = new Int32Array(keys.length);
  const households: Household[] = new Array(keys.length);
  for (let position = 0; position < order.length; position++) {
    positionOfGroup[order[position]] = position;
    households[position] = built[order[position]];
  }
  const householdOf = new Int32Array(students.length);
  for (let i = 0; i < students.length; i++) householdOf[i] = positionOfGroup[groupOf[i]];
  return { households, householdOf };
}

/** Assigns grouped households as the columnar path does, one object at a time. */
export function assignHouseholds(households: readonly Household[], design: AssignmentDesign, seed: number, label: string): AssignmentRun {
  const blocks: string[] = [];
  const index = new Map<string, number>();
  const blockOfHousehold = new Int32Array(households.length);
  households.forEach((household, h) => {
    let b = index.get(household.block);
    if (b === undefined) index.set(household.block, (b = blocks.push(household.block) - 1));
    blockOfHousehold[h] = b;
  });
  const sizeOf = Int32Array.from(households, (household) => household.students.length);
  const { armOf, counts } = drawArms({ blockOf: blockOfHousehold, sizeOf, blocks }, design, seed, label);
  const pTreatment = treatmentProbability(design);
  const assignments = households.flatMap((household, h) =>
    household.students.map((s) => assignmentRow(s, household.block, design.arms[armOf[h]], pTreatment, label)),
  );
  assignments.sort(compareStudentIds);
  return { assignments, counts, households: households.length, householdsSpanningBlocks: households.filter((h) => h.spansBlocks).length };
}

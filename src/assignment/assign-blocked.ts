import type { Assignment, RosterStudent } from '../types.js';
import { deriveRng, shuffled } from '../random.js';
import type { AssignmentDesign } from './design.js';
import { treatmentProbability } from './design.js';
import { armCounts } from './arm-counts.js';
import type { Household } from './households.js';
import { groupHouseholds } from './households.js';

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
 * own stream derived from the seed and the block's name, so adding a block never changes
 * another, and sorting by id first makes the result independent of row order.
 *
 * `label` names the run in the seed derivation and in `assigned_at` (`initial`, `late-1`, ...).
 */
export function assignHouseholds(
  households: readonly Household[],
  design: AssignmentDesign,
  seed: number,
  label: string,
): AssignmentRun {
  const byBlock = new Map<string, Household[]>();
  for (const household of households) {
    const list = byBlock.get(household.block);
    if (list) list.push(household);
    else byBlock.set(household.block, [household]);
  }
  const pTreatment = treatmentProbability(design);
  const assignments: Assignment[] = [];
  const counts: BlockCount[] = [];
  for (const block of [...byBlock.keys()].sort()) {
    const members = byBlock.get(block)!;
    const rng = deriveRng(seed, `${label}:block:${block}`);
    const perArm = armCounts(members.length, design.probabilities, rng);
    const order = shuffled(members, rng);
    let next = 0;
    design.arms.forEach((arm, a) => {
      let students = 0;
      for (const household of order.slice(next, next + perArm[a])) {
        for (const s of household.students) assignments.push(assignmentRow(s, household, block, arm, pTreatment, label));
        students += household.students.length;
      }
      next += perArm[a];
      counts.push({ block, arm, households: perArm[a], students });
    });
  }
  assignments.sort((a, b) => (a.student_id < b.student_id ? -1 : a.student_id > b.student_id ? 1 : 0));
  return {
    assignments,
    counts,
    households: households.length,
    householdsSpanningBlocks: households.filter((h) => h.spansBlocks).length,
  };
}

function assignmentRow(student: RosterStudent, household: Household, block: string, arm: string, pTreatment: number, label: string): Assignment {
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
  return assignHouseholds(groupHouseholds(students, design.blockBy, design.clustered), design, seed, 'initial');
}

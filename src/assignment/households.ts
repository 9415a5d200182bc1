import type { RosterStudent } from '../types.js';
import { gradeIndex } from '../data/normalize-grade.js';
import type { BlockVariable } from './design.js';
import { blockOf } from './design.js';

/** The unit of assignment: a household's students (sorted by id) and the block it is randomized in. */
export interface Household {
  readonly id: string;
  readonly block: string;
  readonly students: readonly RosterStudent[];
  /** True when its students fall in different blocks. */
  readonly spansBlocks: boolean;
}

const byId = (a: RosterStudent, b: RosterStudent) => (a.student_id < b.student_id ? -1 : a.student_id > b.student_id ? 1 : 0);

/**
 * Groups students into households. A household whose students fall in different blocks
 * is randomized in the block of its lowest-grade student (ties: the lowest student id),
 * so siblings always share an arm; such households are marked `spansBlocks`. Without
 * clustering every student is a household of one. Sorted by id, so row order never matters.
 */
export function groupHouseholds(students: readonly RosterStudent[], blockBy: readonly BlockVariable[], clustered: boolean): Household[] {
  const members = new Map<string, RosterStudent[]>();
  for (const student of students) {
    const key = clustered ? student.household_id : student.student_id;
    const list = members.get(key);
    if (list) list.push(student);
    else members.set(key, [student]);
  }
  const households: Household[] = [];
  for (const [id, list] of members) {
    list.sort(byId);
    let anchor = list[0];
    for (const student of list) if (gradeIndex(student.grade) < gradeIndex(anchor.grade)) anchor = student;
    const block = blockOf(anchor, blockBy);
    const spansBlocks = list.length > 1 && list.some((s) => blockOf(s, blockBy) !== block);
    households.push({ id, block, students: list, spansBlocks });
  }
  return households.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

import { positionsInOrder } from '../data/compare-student-ids.js';
import { gradeIndex } from '../data/normalize-grade.js';
import type { RosterColumns } from '../data/roster-columns.js';
import type { Grade } from '../types.js';
import type { BlockVariable } from './design.js';
import { blockOf } from './design.js';

/**
 * A roster's households as flat arrays, for a million students: positions and small
 * integers instead of objects and names. Built from
 * students in id order (`assignRoster` sorts first), so each household's students come
 * in id order without a sort.
 */
export interface HouseholdTable {
  /** Households, sorted by id (household_id, or student_id when not clustered). */
  readonly count: number;
  /** `householdOf[i]`: the household of student `i` (its position in the input). */
  readonly householdOf: Int32Array;
  /** Students per household. */
  readonly sizeOf: Int32Array;
  /** The block each household is randomized in, an index into `blocks`. */
  readonly blockOf: Int32Array;
  /** 1 when a household's students fall in different blocks. */
  readonly spansBlocks: Uint8Array;
  /** Block names (`blockOf` of a student), each once. */
  readonly blocks: readonly string[];
  /** `placeOf[i]`: student `i`'s district, school and grade, an index into `places`. */
  readonly placeOf: Int32Array;
  /** The distinct (district, school, grade) of the students, with the block they make. */
  readonly places: readonly Place[];
}

/** A district, school and grade that students share, and the block they make under the design. */
export interface Place {
  readonly district: string;
  readonly school: string;
  readonly grade: Grade;
  /** Index into `HouseholdTable.blocks`. */
  readonly block: number;
}

/**
 * Groups students (in id order) into households (by household_id, or each student alone
 * when not clustered): a household is
 * randomized in the block of its lowest-grade student (ties: the lowest id), and spans
 * blocks when a sibling's block name differs. Names are compared as interned indices:
 * a million students share a few thousand places and blocks, each named once.
 */
export function buildHouseholdTable(
  rosterInIdOrder: RosterColumns,
  blockBy: readonly BlockVariable[],
  clustered: boolean,
  households?: HouseholdGroups,
): HouseholdTable {
  const roster = rosterInIdOrder;
  const n = roster.count;
  const { placeOf, places, blocks } = internPlaces(roster, blockBy);
  const placeGrade = Int32Array.from(places, (place) => gradeIndex(place.grade));
  const { groupOf, keys } =
    (clustered && households !== undefined && groupsIfTheyMatch(roster, households)) || groupStudents(roster, clustered);

  // Each group's anchor: the first of its lowest-grade students, in id order.
  const groups = keys.length;
  const anchor = new Int32Array(groups).fill(-1);
  const size = new Int32Array(groups);
  for (let i = 0; i < n; i++) {
    const group = groupOf[i];
    size[group]++;
    if (anchor[group] < 0 || placeGrade[placeOf[i]] < placeGrade[placeOf[anchor[group]]]) anchor[group] = i;
  }
  const blockOfGroup = new Int32Array(groups);
  for (let group = 0; group < groups; group++) blockOfGroup[group] = places[placeOf[anchor[group]]].block;
  const spans = new Uint8Array(groups);
  for (let i = 0; i < n; i++) if (places[placeOf[i]].block !== blockOfGroup[groupOf[i]]) spans[groupOf[i]] = 1;

  // Households in id order; keys often appear in order already (ids assigned by household).
  const order = positionsInOrder(keys);
  const positionOfGroup = new Int32Array(groups);
  const table = { sizeOf: new Int32Array(groups), blockOf: new Int32Array(groups), spansBlocks: new Uint8Array(groups) };
  for (let position = 0; position < groups; position++) {
    const group = order[position];
    positionOfGroup[group] = position;
    table.sizeOf[position] = size[group];
    table.blockOf[position] = blockOfGroup[group];
    table.spansBlocks[position] = spans[group];
  }
  const householdOf = new Int32Array(n);
  for (let i = 0; i < n; i++) householdOf[i] = positionOfGroup[groupOf[i]];
  return { count: groups, householdOf, ...table, blocks, placeOf, places };
}

/**
 * Students grouped into households, numbered in any order (the table sorts households by
 * key): `groupOf[i]` is the group of student `i`, `keys[g]` the household_id of group `g`.
 */
export interface HouseholdGroups {
  readonly groupOf: Int32Array;
  readonly keys: readonly string[];
}

/**
 * Groups in order of first appearance. Unclustered, each student is its own household
 * (ids in order, so a repeated id would be the previous one).
 */
function groupStudents(roster: RosterColumns, clustered: boolean): HouseholdGroups {
  const groupOf = new Int32Array(roster.count);
  const keys: string[] = [];
  const groupOfKey = new Map<string, number>();
  const keyOf = clustered ? roster.householdIds : roster.studentIds;
  for (let i = 0; i < roster.count; i++) {
    const key = keyOf[i];
    // Siblings often sit next to each other: then the last student's group is theirs.
    let group = i > 0 && key === keys[groupOf[i - 1]] ? groupOf[i - 1] : clustered ? groupOfKey.get(key) : undefined;
    if (group === undefined) {
      group = keys.length;
      keys.push(key);
      if (clustered) groupOfKey.set(key, group);
    }
    groupOf[i] = group;
  }
  return { groupOf, keys };
}

/**
 * `households` (found by roster validation) when it groups exactly these students by
 * household_id, one key per group; otherwise undefined, and the students are grouped anew.
 * The check costs a pass of mostly identical strings, not a 400,000-entry map.
 */
function groupsIfTheyMatch(roster: RosterColumns, households: HouseholdGroups): HouseholdGroups | undefined {
  const { groupOf, keys } = households;
  if (groupOf.length !== roster.count) return undefined;
  const seen = new Uint8Array(keys.length);
  for (let i = 0; i < roster.count; i++) {
    const group = groupOf[i];
    if (!(group >= 0 && group < keys.length) || roster.householdIds[i] !== keys[group]) return undefined;
    seen[group] = 1;
  }
  for (let group = 0; group < keys.length; group++) if (seen[group] === 0) return undefined;
  return households;
}

/**
 * Each student's (district, school, grade) as an index, found through maps keyed by the
 * strings a roster shares, and each place's block named once with `blockOf`. Two places
 * whose names join to the same block name share its index.
 */
function internPlaces(
  roster: RosterColumns,
  blockBy: readonly BlockVariable[],
): { placeOf: Int32Array; places: Place[]; blocks: string[] } {
  const { districtIds, schoolIds, grades } = roster;
  const placeOf = new Int32Array(roster.count);
  const places: Place[] = [];
  const blocks: string[] = [];
  const blockIndex = new Map<string, number>();
  const byDistrict = new Map<string, Map<string, Map<string, number>>>();
  for (let i = 0; i < roster.count; i++) {
    let bySchool = byDistrict.get(districtIds[i]);
    if (bySchool === undefined) byDistrict.set(districtIds[i], (bySchool = new Map()));
    let byGrade = bySchool.get(schoolIds[i]);
    if (byGrade === undefined) bySchool.set(schoolIds[i], (byGrade = new Map()));
    let place = byGrade.get(grades[i]);
    if (place === undefined) {
      const name = blockOf({ district_id: districtIds[i], school_id: schoolIds[i], grade: grades[i] }, blockBy);
      let block = blockIndex.get(name);
      if (block === undefined) {
        block = blocks.length;
        blocks.push(name);
        blockIndex.set(name, block);
      }
      place = places.length;
      places.push({ district: districtIds[i], school: schoolIds[i], grade: grades[i], block });
      byGrade.set(grades[i], place);
    }
    placeOf[i] = place;
  }
  return { placeOf, places, blocks };
}
